"""The functions refuse, at cold start and by name, a Lambda runtime whose boto3 is too old to
wire ECS to VPC Lattice (boto3 comes from the runtime; nothing pins it)."""

from __future__ import annotations

import importlib

import botocore
import pytest

from deployer import ecs


def test_an_old_botocore_is_named_at_cold_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(botocore, "__version__", "1.34.162")
    with pytest.raises(RuntimeError) as refused:
        importlib.reload(ecs)
    message = str(refused.value)
    assert "botocore 1.34.162" in message and "ECS vpcLatticeConfigurations" in message
    assert "botocore >= 1.35.64" in message and "requirements.txt" in message
    monkeypatch.undo()
    importlib.reload(ecs)  # the real one loads


def test_the_version_that_added_it_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(botocore, "__version__", "1.35.64")
    importlib.reload(ecs)
    monkeypatch.undo()
    importlib.reload(ecs)
