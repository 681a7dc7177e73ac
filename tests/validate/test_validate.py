"""Every bad bundle is refused before anything changes, naming the file, the field and the fix."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from deployer.core.errors import BundleInvalid
from lattice_deploy.cli.main import main
from lattice_deploy.emulator import EmbeddedAws
from workflow.conftest import EXAMPLE, Local

from .corpus import ACCOUNT_CORPUS, CORPUS


def broken(tmp_path: Path, file: str, edit: Any) -> Path:
    bundle = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, bundle)
    raw = (bundle / file).read_text()
    (bundle / file).write_text(edit(raw))
    return bundle


def test_the_corpus_is_large_and_one_defect_each() -> None:
    print(
        f"corpus: {len(CORPUS)} bad bundles offline, {len(ACCOUNT_CORPUS)} more against the account"
    )
    assert len(CORPUS) >= 40
    assert len({name for name, *_ in CORPUS}) == len(CORPUS)


def test_the_example_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "file", "edit", "words"), CORPUS, ids=[c[0] for c in CORPUS])
def test_validate_refuses(
    name: str,
    file: str,
    edit: Any,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = broken(tmp_path, file, edit)
    assert main(["validate", str(bundle), "--json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is False
    text = "\n".join(result["problems"])
    for word in words:
        assert word in text, f"{name}: {word!r} not in {text!r}"


def test_the_state_machine_refuses_the_whole_corpus_with_zero_mutating_calls(
    tmp_path: Path,
) -> None:
    with EmbeddedAws() as aws:
        local = Local(aws)
        for name, file, edit, words in CORPUS + ACCOUNT_CORPUS:
            bundle = broken(tmp_path / name, file, edit)
            aws.reset_calls()
            try:
                summary = local.deploy(bundle)
            except BundleInvalid as exc:  # unreadable ecspresso.yml: refused before any upload
                assert words[0] in str(exc) and aws.calls()["mutating"] == 0, name
                continue
            assert summary["status"] == "FAILED", name
            assert summary["failure"]["error"] == "BundleInvalid", (name, summary["failure"])
            assert words[0] in summary["failure"]["message"], name
            deployed = [
                k
                for k in aws.calls()["mutatingCalls"]
                if k.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
            ]
            assert deployed == [], (name, deployed)


def test_truncated_json_names_the_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = broken(tmp_path, "ecs-service-def.json", lambda t: t[: len(t) // 2])
    assert main(["validate", str(bundle)]) == 2
    assert re.search(r"ecs-service-def\.json:\d+:\d+: invalid JSON", capsys.readouterr().out)


def test_a_renamed_port_mapping_names_the_port_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rename(text: str) -> str:
        task = json.loads(text)
        task["containerDefinitions"][0]["portMappings"][0]["name"] = "web"
        return json.dumps(task)

    assert main(["validate", str(broken(tmp_path, "ecs-task-def.json", rename))]) == 2
    out = capsys.readouterr().out
    assert "portName 'http'" in out and "names there: web" in out


def test_validate_against_the_account_finds_what_only_the_account_knows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, file, edit, words = ACCOUNT_CORPUS[3]  # a cluster that does not exist
    bundle = broken(tmp_path, file, edit)
    with EmbeddedAws():
        assert main(["validate", str(bundle)]) == 0  # offline it cannot know
        capsys.readouterr()
        assert main(["validate", str(bundle), "--account"]) == 2
        assert words[1] in capsys.readouterr().out
        assert main(["validate", str(EXAMPLE), "--account"]) == 0


def test_a_public_image_without_logs_needs_no_execution_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def minimal(text: str) -> str:
        task = json.loads(text)
        del task["executionRoleArn"]
        return json.dumps(task)

    assert main(["validate", str(broken(tmp_path, "ecs-task-def.json", minimal))]) == 0


def test_a_yaml_error_does_not_hide_the_definitions_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = broken(tmp_path, "ecspresso.yml", lambda t: t + "oops\n")
    service = json.loads((bundle / "ecs-service-def.json").read_text())
    service["desiredCount"] = "three"
    (bundle / "ecs-service-def.json").write_text(json.dumps(service))
    assert main(["validate", str(bundle)]) == 2
    out = capsys.readouterr().out
    assert "ecspresso.yml:7:" in out and "desiredCount" in out


def test_ecspresso_keys_it_does_not_act_on_are_named_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def ecspresso_config(text: str) -> str:
        return text + (
            "required_version: '>= 2.0'\n"
            "plugins:\n"
            "  - name: tfstate\n"
            "    config:\n"
            "      url: s3://my-bucket/terraform.tfstate\n"
            "  - name: ssm\n"
        )

    assert main(["validate", str(broken(tmp_path, "ecspresso.yml", ecspresso_config))]) == 0
    out = capsys.readouterr().out
    assert "note: ecspresso.yml: required_version: not honoured by lattice-deploy" in out
    assert "plugins: tfstate" not in out and "plugins: ssm" not in out  # both honoured
