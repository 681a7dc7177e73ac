"""Hostile values: every one refused by ``validate`` (exit 2) with file, field and fix, and by
the state machine's first state with 0 mutating calls, a healthy service left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deployer.core.errors import BundleInvalid
from lattice_deploy.cli.main import main
from lattice_deploy.emulator import EmbeddedAws
from workflow.conftest import Local

from .hostile import HOSTILE, Case
from .test_validate import broken


def test_each_hostile_case_is_one_of_its_kind() -> None:
    print(f"hostile corpus: {len(HOSTILE)} values")
    assert len({case.name for case in HOSTILE}) == len(HOSTILE) >= 40


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_validate_refuses_the_hostile_value(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = broken(tmp_path, case.file, case.edit)
    assert main(["validate", str(bundle), "--json"]) == 2, case.must
    problems = json.loads(capsys.readouterr().out)["problems"]
    said = "\n".join(problems)
    for word in case.words:
        assert word in said, f"{case.name} ({case.must}): {word!r} not in {said!r}"
    assert all(len(problem) < 2000 for problem in problems), "a value echoed whole"


def test_the_state_machine_refuses_every_hostile_value_with_zero_mutating_calls(
    tmp_path: Path,
) -> None:
    with EmbeddedAws() as aws:
        local = Local(aws)
        for case in HOSTILE:
            bundle = broken(tmp_path / case.name, case.file, case.edit)
            aws.reset_calls()
            try:
                summary = local.deploy(bundle)
            except BundleInvalid as exc:  # refused by the CLI before any upload
                assert case.words[-1] in str(exc), case.name
                assert aws.calls()["mutating"] == 0, case.name
                continue
            assert summary["status"] == "FAILED", case.name
            assert summary["failure"]["error"] == "BundleInvalid", (case.name, summary["failure"])
            assert case.words[-1] in summary["failure"]["message"], case.name
            deployed = [
                call
                for call in aws.calls()["mutatingCalls"]
                if call.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
            ]
            assert deployed == [], (case.name, deployed)
