"""What a verb says, with exit 2 and no traceback, when there is nothing to read (no
credentials, a dead endpoint), and that ``deploy`` refuses what ``validate`` refuses before
any upload or execution; an unsupported thing is named once, without follow-on errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deployer.core.errors import BundleInvalid
from lattice_deploy.cli.main import main
from lattice_deploy.runner import run
from workflow.conftest import EXAMPLE, Local


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
def test_init_without_credentials_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--cluster", "c", "--service", "s", "--dir", str(tmp_path)]) == 2
    said = capsys.readouterr().out
    assert "cannot init:" in said and "Unable to locate credentials" in said


def test_init_with_a_dead_endpoint_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "")  # put back as it was after: use_endpoint sets them
        monkeypatch.delenv(name)
    argv = ["init", "--cluster", "c", "--service", "s", "--dir", str(tmp_path)]
    assert main([*argv, "--endpoint-url", "http://127.0.0.1:9"]) == 2
    assert "cannot init: cannot read http://127.0.0.1:9" in capsys.readouterr().out


@pytest.mark.usefixtures("no_credentials")
def test_validate_account_without_credentials_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE), "--account"]) == 2
    assert "cannot check against the account boto3 finds" in capsys.readouterr().out


def test_deploy_refuses_a_broken_bundle_before_any_upload(local: Local, tmp_path: Path) -> None:
    broken = tmp_path / "myservice"
    shutil.copytree(EXAMPLE, broken)
    text = (broken / "ecs-service-def.json").read_text()
    (broken / "ecs-service-def.json").write_text(text.replace('"desiredCount": 3,', '"desired'))
    before = local.aws.calls()["mutating"]
    with pytest.raises(BundleInvalid, match=r"ecs-service-def\.json:\d+:\d+: invalid JSON"):
        run.deploy_bundle(local.target, broken, None, local.lines.append)
    assert local.aws.calls()["mutating"] == before  # nothing uploaded, nothing started
    s3 = local.aws.client("s3").list_objects_v2(Bucket=local.target.bucket)
    assert s3.get("KeyCount", 0) == 0


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("plugins:\n- name: vault\n", "plugin vault is not available"),
        ('service: "{{ nope }}"\n', "{{ nope ... }} with 0 argument(s) is not a template"),
        ("plugins:\n- name: tfstate\n  config: {url: 'gs://b/k'}\n", "gs:// scheme is not read"),
    ],
)
def test_what_is_unsupported_is_named_once(
    config: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "myservice"
    shutil.copytree(EXAMPLE, directory)
    (directory / "ecspresso.yml").write_text(f"region: ap-northeast-1\n{config}")
    service = directory / "ecs-service-def.json"  # JSON only once rendered: no "invalid JSON"
    service.write_text(
        service.read_text().replace('"desiredCount": 3', '"desiredCount": {{ env `N` `3` }}')
    )
    assert main(["validate", str(directory), "--json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert len(problems) == 1 and said in problems[0], problems
