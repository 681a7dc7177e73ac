"""The emulator's own tests count virtual seconds, so they pin when a new target's first health
check runs: at the end of its first interval, the latest the emulator allows. Tests that prove a
rule for any offset set another with ``aws.pin_first_check``."""

from __future__ import annotations

import pytest

from lattice_deploy.emulator.vpclattice import targets


@pytest.fixture(autouse=True)
def first_check_at_the_end_of_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets, "FIRST_CHECK", 1.0)
