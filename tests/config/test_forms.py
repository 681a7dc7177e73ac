"""Every config form ecspresso reads, ``--config FILE`` on every verb that reads a bundle, and a
directory without a config refused (exit 2, naming what was looked for)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deployer.bundle import normalize as bundle
from deployer.bundle.source import BundleSource
from deployer.core.errors import BundleInvalid
from lattice_deploy.cli.main import main
from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import execution
from workflow.conftest import EXAMPLE

FORMS = {
    "ecspresso.yml": "region: ap-northeast-1\ncluster: yml-cluster\nservice: myservice\n",
    "ecspresso.yaml": "region: ap-northeast-1\ncluster: yaml-cluster\nservice: myservice\n",
    "ecspresso.json": json.dumps({"region": "ap-northeast-1", "cluster": "json-cluster"}),
    "ecspresso.jsonnet": "local env = std.native('env');\n"
    "{ region: 'ap-northeast-1', cluster: env('CLUSTER', 'jsonnet') + '-cluster' }\n",
}


def bare(tmp_path: Path) -> Path:
    """The example bundle without its config."""
    target = tmp_path / "myservice"
    shutil.copytree(EXAMPLE, target)
    (target / "ecspresso.yml").unlink()
    return target


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_config_form_is_read(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = bare(tmp_path)
    (directory / name).write_text(FORMS[name])
    files = execution.rendered(execution.read_bundle(directory))
    assert bundle.config_of(files)["cluster"] == f"{name.split('.')[1]}-cluster"
    assert main(["validate", str(directory)]) == 0, capsys.readouterr().out


def test_in_a_directory_the_first_of_ecspressos_order_is_read(tmp_path: Path) -> None:
    directory = bare(tmp_path)
    for name in ("ecspresso.json", "ecspresso.yaml"):
        (directory / name).write_text(FORMS[name])
    files = execution.read_bundle(directory)
    assert "ecspresso.yaml" in files and "ecspresso.json" not in files  # .yaml before .json


@pytest.mark.parametrize("verb", [["validate"], ["plan", "--local"], ["deploy", "--local"]])
def test_a_directory_without_a_config_is_refused(
    verb: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([verb[0], str(bare(tmp_path)), *verb[1:]]) == 2
    said = capsys.readouterr().out
    assert "no ecspresso config: looked for ecspresso.yml, ecspresso.yaml, ecspresso.json" in said
    assert "--config FILE" in said


@pytest.mark.parametrize("verb", ["validate", "plan", "deploy"])
def test_no_bundle_and_a_missing_config_are_refused(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([verb]) == 2
    assert "no bundle given" in capsys.readouterr().out
    assert main([verb, "--config", str(tmp_path / "prod.yml")]) == 2
    assert "prod.yml: no such file" in capsys.readouterr().out


def staged(tmp_path: Path) -> Path:
    """A bundle whose config is ``conf/prod.yml`` naming its definitions relative to it."""
    directory = bare(tmp_path)
    conf = directory / "conf"
    conf.mkdir()
    for name in ("ecs-service-def.json", "ecs-task-def.json"):
        (directory / name).rename(conf / f"prod-{name}")
    (conf / "prod.yml").write_text(
        "region: ap-northeast-1\ncluster: my-cluster\nservice: myservice\n"
        "service_definition: prod-ecs-service-def.json\ntask_definition: prod-ecs-task-def.json\n"
    )
    return directory


def test_config_names_a_config_and_its_directory_is_the_bundles(tmp_path: Path) -> None:
    directory = staged(tmp_path)
    files = execution.read_bundle(directory / "conf" / "prod.yml")
    assert sorted(files) == ["ecspresso.yml", "prod-ecs-service-def.json", "prod-ecs-task-def.json"]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{dir}", "--config", "conf/prod.yml"],  # inside DIR
        ["validate", "--config", "{dir}/conf/prod.yml"],  # from the current directory
        ["plan", "--local", "--config", "{dir}/conf/prod.yml"],
    ],
)
def test_config_on_validate_and_plan(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = staged(tmp_path)
    code = main([a.format(dir=directory) for a in argv])
    assert code == 0, capsys.readouterr().out


def test_config_on_deploy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = staged(tmp_path)
    code = main(["deploy", "--local", "--json", "--config", str(directory / "conf/prod.yml")])
    assert code == 0, capsys.readouterr().err
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "SUCCEEDED"


def test_an_upload_may_carry_any_config_name_but_not_two(aws: EmbeddedAws) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(
        Bucket="bundle-bucket", CreateBucketConfiguration={"LocationConstraint": aws.region}
    )
    source = {"bucket": "bundle-bucket", "prefix": "definitions/myservice/"}
    s3.put_object(
        Bucket="bundle-bucket", Key="definitions/myservice/ecspresso.json", Body=b'{"cluster": "c"}'
    )
    assert BundleSource.of(source).configs() == {"ecspresso.json": '{"cluster": "c"}'}
    s3.put_object(
        Bucket="bundle-bucket", Key="definitions/myservice/ecspresso.yml", Body=b"cluster: d\n"
    )
    with pytest.raises(BundleInvalid, match="the bundle holds 2 configs"):
        BundleSource.of(source).configs()
    pinned = {**source, "versions": {"ecspresso.yml": "null"}}  # the CLI pins what it uploaded
    assert BundleSource.of(pinned).configs() == {"ecspresso.yml": "cluster: d\n"}


def test_ecspresso_config_in_the_environment_is_the_configs_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = staged(tmp_path)
    monkeypatch.setenv("ECSPRESSO_CONFIG", "conf/prod.yml")
    assert main(["validate", str(directory)]) == 0, capsys.readouterr().out
