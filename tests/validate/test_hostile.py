"""Hostile values: every one refused by ``validate`` (exit 2) with file, field and fix, and by
the state machine's first state with 0 mutating calls, a healthy service left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lattice_deploy.cli.main import main

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
