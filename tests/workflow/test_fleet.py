"""A fleet under AWS's request quotas: more services than an INLINE Map runs at once, the
embedded AWS throttling as AWS documents, and a second push of the image arriving while the
first one's fan-out runs. Every service ends on the newest image, no deployment fails on a
throttle, and no two deployments of one service ever change it at once."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.emulator import THROTTLE, EmbeddedAws
from lattice_deploy.emulator.calls import CALLS
from lattice_deploy.emulator.stepfunctions import retention

from . import policies
from .conftest import Local
from .test_ecr_trigger import REGISTRY, copy_of_orders, image_of, push
from .test_ordering import history, window
from .test_s3_trigger import settle

SERVICES = 41
"""One more than an INLINE Map's 40 iterations at once."""


@pytest.fixture
def throttled(monkeypatch: pytest.MonkeyPatch) -> Iterator[Local]:
    """A stack in an account that throttles as AWS documents, from its first request; every
    execution and its history kept (the test reads them all)."""
    monkeypatch.setattr(retention, "KEPT_EXECUTIONS", 1000)
    monkeypatch.setattr(retention, "KEPT_HISTORIES", 1000)
    CALLS.reset()
    with EmbeddedAws(throttle=True) as aws:
        made = Local(aws)
        yield made
        missing = policies.not_granted(made.stack.functions)
    assert not missing, "actions called but not granted in template.yaml:\n" + "\n".join(missing)


def every(local: Local, machine: str = "DeployStateMachine") -> list[dict[str, Any]]:
    """Every execution of ``machine``, all pages (a fleet's are more than one)."""
    pages = local.aws.client("stepfunctions").get_paginator("list_executions")
    arn = local.stack.state_machines[machine]
    return [e for page in pages.paginate(stateMachineArn=arn) for e in page["executions"]]


def settled(local: Local, limit: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + limit
    while True:
        found = every(local)
        if all(e["status"] != "RUNNING" for e in found):
            return found
        assert time.monotonic() < deadline, "deployments still running"
        time.sleep(0.05)


def test_two_pushes_to_a_fleet_end_on_the_newest_image_without_a_throttling_failure(
    throttled: Local, tmp_path: Path
) -> None:
    local = throttled
    services = [f"fleet{n:02d}" for n in range(SERVICES)]
    for service in services:
        assert local.deploy(copy_of_orders(tmp_path, service))["status"] == "SUCCEEDED"
    first_deploys = len(every(local))
    push(local, n=1)
    deadline = time.monotonic() + 120
    while len(every(local)) - first_deploys < 5:  # the first fan-out is under way
        assert time.monotonic() < deadline, "the first fan-out started no deployment"
        time.sleep(0.01)
    newest = push(local, n=2)
    fan_outs = settle(local, "RedeployStateMachine", limit=480, at_least=2)
    runs = settled(local, limit=60)
    assert [f["status"] for f in fan_outs] == ["SUCCEEDED", "SUCCEEDED"]
    sfn = local.aws.client("stepfunctions")
    results = [
        json.loads(sfn.describe_execution(executionArn=f["executionArn"])["output"])["results"]
        for f in sorted(fan_outs, key=lambda f: f["startDate"])
    ]
    assert {r["service"] for r in results[1]} == set(services)
    assert {r["status"] for r in results[1]} == {"SUCCEEDED"}, results[1]
    first = {r["status"] for r in results[0]}  # deployed, superseded while waiting its turn, or
    assert first <= {"SUCCEEDED", "SUPERSEDED", "SKIPPED"}, results[0]  # its tag had moved on
    assert "SKIPPED" in first  # the second push came while the first fan-out ran
    assert THROTTLE.throttled(local.aws.account_id) > 0  # the quotas were met, and retried
    redeploys = [r for r in runs if r["startDate"] >= min(f["startDate"] for f in fan_outs)]
    outcomes = [_outcome(sfn, r) for r in redeploys]
    assert {o["status"] for o in outcomes} <= {"SUCCEEDED", "SUPERSEDED"}, outcomes
    by_service: dict[str, list[tuple[Any, Any]]] = {}
    for run, outcome in zip(redeploys, outcomes, strict=True):
        span = window(history(local, run["executionArn"]))
        if span:
            by_service.setdefault(outcome["service"], []).append(span)
    for service, spans in by_service.items():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, f"two deployments of {service} changed it at once"
    for service in services:
        assert image_of(local, service)[0] == f"{REGISTRY}/myapp@{newest}", service


def _outcome(sfn: Any, run: dict[str, Any]) -> dict[str, Any]:
    described = sfn.describe_execution(executionArn=run["executionArn"])
    return dict(json.loads(described.get("output") or "{}").get("report") or {"status": "?"})
