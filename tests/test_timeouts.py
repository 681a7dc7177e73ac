"""Every test has a time limit (pytest-timeout, ``timeout`` in pyproject.toml): a lock or a wait
that never ends fails its test instead of holding CI until its own limit."""

from __future__ import annotations

import pytest


def test_every_test_has_a_time_limit(request: pytest.FixtureRequest) -> None:
    assert 0 < float(request.config.getini("timeout")) <= 900
