"""Executions side by side: the same virtual time for each (discrete-event clock), and emulated
state that stays whole under the threads of Map states and parallel runs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from lattice_deploy.runner import run

from .conftest import Local
from .test_ecr_trigger import copy_of_orders, fan_outs, push


def polls(local: Local, summary: dict[str, Any]) -> int:
    return sum(
        1
        for e in local.history(summary)
        if (e.get("stateEnteredEventDetails") or {}).get("name") == "check_health"
    )


def test_six_parallel_deploys_each_poll_as_often_as_a_lone_one(
    local: Local, tmp_path: Path
) -> None:
    lone = local.deploy(copy_of_orders(tmp_path, "alone"))
    assert lone["status"] == "SUCCEEDED"
    expected = polls(local, lone)
    assert expected >= 3  # tasks starting (PollSeconds), then one 30 s interval after registration
    bundles = [copy_of_orders(tmp_path, f"side{n}") for n in range(6)]
    summaries: list[dict[str, Any]] = []

    def deploy(directory: Path) -> None:
        summaries.append(run.deploy_bundle(local.target, directory, None, lambda _: None))

    threads = [threading.Thread(target=deploy, args=(b,)) for b in bundles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert [s["status"] for s in summaries] == ["SUCCEEDED"] * 6
    assert [polls(local, s) for s in summaries] == [expected] * 6


def test_three_fan_outs_to_twenty_services_all_succeed(local: Local, tmp_path: Path) -> None:
    """The ECR fan-out under load (Map iterations, 20 services deployed at once: the default
    burst): a race in the emulator's state once failed a healthy deploy in 1 of 3 such
    fan-outs."""
    services = [f"svc{n:02d}" for n in range(20)]
    for service in services:
        assert local.deploy(copy_of_orders(tmp_path, service))["status"] == "SUCCEEDED"
    for n in range(1, 4):
        push(local, n=n)
        runs = fan_outs(local)
        assert len(runs) == n
        newest = max(runs, key=lambda r: r["startDate"])
        results = json.loads(newest["output"])["results"]
        assert sorted(r["service"] for r in results) == services
        failed = [r for r in results if r["status"] != "SUCCEEDED"]
        assert not failed, failed
