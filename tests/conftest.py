"""Shared fixtures: a fresh embedded AWS account per test (process-isolated under xdist)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config

from lattice_deploy.emulator import EmbeddedAws

pytest_plugins = ["shape_check"]  # every JSON reply served is checked against its output shape

NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture
def aws() -> Iterator[EmbeddedAws]:
    with EmbeddedAws() as account:
        yield account


@pytest.fixture
def lattice(aws: EmbeddedAws) -> Any:
    return aws.client("vpc-lattice", config=NO_RETRY)


@pytest.fixture
def ecs(aws: EmbeddedAws) -> Any:
    return aws.client("ecs", config=NO_RETRY)
