"""Every corpus bundle through ``validate``, ``plan --local`` and ``deploy --local`` (the CLI, in
process): each ends as its entry says, with no traceback from any verb."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.emulator import demo_account

from .cases import CASES
from .corpus import ACCOUNT_REFUSED, FAILED, HEALTHY, REFUSED, Case

CODES = {HEALTHY: (0, 0, 0), REFUSED: (2, 2, 2), ACCOUNT_REFUSED: (0, 2, 2), FAILED: (0, 0, 1)}
"""Exit codes of validate, plan --local and deploy --local for each expectation."""


def test_the_corpus_covers_the_shapes() -> None:
    kinds = {expect: [c.name for c in CASES if c.expect == expect] for expect in CODES}
    print({k: len(v) for k, v in kinds.items()})
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert len(kinds[HEALTHY]) >= 30


def _written(case: Case, tmp_path: Path) -> Path:
    directory = tmp_path / "myservice"
    for name, text in case.files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    return directory


def _seeding(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every embedded account the verbs open gets what the case's bundle reads."""
    if case.setup is None:
        return
    seed, setup = demo_account.seed, case.setup

    def seeded(*args: Any, **kwargs: Any) -> Any:
        made = seed(*args, **kwargs)
        setup(boto3.session.Session(region_name=demo_account.REGION))
        return made

    monkeypatch.setattr(demo_account, "seed", seeded)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bundle_ends_as_its_entry_says(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _written(case, tmp_path)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    _seeding(case, monkeypatch)
    outputs = []
    for verb, code in zip(("validate", "plan", "deploy"), CODES[case.expect], strict=True):
        extra = [] if verb == "validate" else ["--local"]
        got = main([verb, str(directory), *case.args, *extra])
        captured = capsys.readouterr()
        out = captured.out + captured.err
        outputs.append(out)
        assert "Traceback" not in out, f"{verb}: {out}"
        assert got == code, f"{verb} exited {got}, not {code}:\n{out}"
    validated, planned, deployed = outputs
    if case.expect == HEALTHY:
        assert "SUCCEEDED" in deployed and "HEALTHY" in deployed, deployed
    if case.expect == REFUSED:
        assert "deploying" not in deployed, deployed  # refused before any upload
    if case.expect == ACCOUNT_REFUSED:  # by load_bundle, before any change
        assert (
            "mutating calls to deploy" not in deployed or " 0 mutating calls to deploy" in deployed
        )
    shown = [validated, planned] if case.expect == HEALTHY else [deployed]
    for out in shown:  # the notes a HEALTHY case owes are in validate's and plan's output
        for word in case.words:
            assert word in out, f"{word!r} not in:\n{out}"
