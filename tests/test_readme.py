"""The README a newcomer reads first: its code fences are well formed, and the output it shows
for `make demo` is what `make demo` prints today (ids and times aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lattice_deploy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
VARYING = (
    (re.compile(r"\d{8}T\d{12}-[0-9a-f]{8}"), "<when>-<digest>"),  # execution names
    (re.compile(r"\b(snva|snsa|sn|svc|tg|listener)-[0-9a-f]{17}\b"), r"\1-<id>"),
)


def _normal(text: str) -> list[str]:
    for pattern, stand_in in VARYING:
        text = pattern.sub(stand_in, text)
    return [line.rstrip() for line in text.strip().splitlines()]


def test_every_code_fence_says_its_language_and_is_closed() -> None:
    opened: int | None = None
    for number, line in enumerate(README.splitlines(), start=1):
        if not line.lstrip().startswith("```"):
            continue
        if opened is None:
            assert line.strip() != "```", f"README.md:{number}: a fence without a language"
            opened = number
        else:
            assert line.strip() == "```", f"README.md:{number}: fence opened at {opened} not closed"
            opened = None
    assert opened is None, f"README.md:{opened}: fence never closed"


def test_the_sample_output_is_what_make_demo_prints(capsys: pytest.CaptureFixture[str]) -> None:
    shown = README.split("`make demo` prints the execution state by state")[1]
    sample = shown.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert main(["deploy", str(ROOT / "examples" / "myservice"), "--local"]) == 0
    assert _normal(capsys.readouterr().out) == _normal(sample)
