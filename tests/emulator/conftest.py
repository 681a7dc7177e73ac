"""The emulator's own tests count virtual seconds, so they pin when a new target's first health
check runs: at the end of its first interval, the latest the emulator allows. Tests that prove a
rule for any offset set another with ``aws.pin_first_check``."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.emulator.ecs import models
from lattice_deploy.emulator.vpclattice import targets


@pytest.fixture(autouse=True)
def first_check_at_the_end_of_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets, "FIRST_CHECK", 1.0)


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The services :meth:`EmulatedEcsBackend.reconcile_all` replays, in order."""
    seen: list[str] = []
    real = models.reconcile

    def counted(backend: Any, service: Any) -> None:
        seen.append(service.name)
        real(backend, service)

    monkeypatch.setattr(models, "reconcile", counted)
    return seen
