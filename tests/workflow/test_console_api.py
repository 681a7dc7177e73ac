"""The console's reads, without a browser: what the page is given after a deploy and a failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lattice_deploy.console import api, routes

from .conftest import EXAMPLE, Local


def test_a_run_is_listed_with_its_trigger_and_its_path_marked(local: Local) -> None:
    summary = local.deploy(EXAMPLE)
    (listed,) = api.executions()
    assert (listed["service"], listed["trigger"], listed["status"]) == (
        "myservice",
        "CLI",
        "SUCCEEDED",
    )
    assert listed["virtualSeconds"] >= 30  # the tasks start in 30 virtual seconds
    shown = api.execution(summary["executionArn"])
    assert shown["marks"]["deployed"] == "taken" and "rollback" not in shown["marks"]
    assert 'data-state="check_health" data-mark="taken"' in shown["graph"]
    (group,) = shown["lattice"]["groups"]
    # one passing check, the first, within one 30 s interval of registration
    assert all(0 < t["secondsToHealthy"] <= 30 for t in group["targets"])


def test_a_failed_run_shows_its_failed_state_cause_and_rollback(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(EXAMPLE)
    shown = api.execution(summary["executionArn"])
    assert shown["status"] == "FAILED" and "Rolled back" in (shown["cause"] or "")
    assert shown["marks"]["failed"] == "failed" and shown["marks"]["rollback"] == "taken"
    assert {r["type"] for r in shown["rollback"]["removed"]} >= {"targetGroup", "ecsService"}


def test_the_page_is_served_and_unknown_paths_are_not(local: Any) -> None:
    status, kind, body = routes.serve("console", {})
    assert status == 200 and kind.startswith("text/html") and b"lattice-deploy console" in body
    assert b"http" not in body.replace(b"http://www.w3.org", b"")  # no CDN: works offline
    assert routes.serve("console/api/nothing", {})[0] == 404


def test_a_progressive_run_shows_the_rule_weights(local: Local, tmp_path: Path) -> None:
    from .test_progressive import bundle_of

    summary = local.deploy(bundle_of(tmp_path, "nginx:1.27"))
    (rule,) = api.execution(summary["executionArn"])["lattice"]["weights"]
    assert rule["rule"] == "lattice-deploy-production"
    assert [g["weight"] for g in rule["targetGroups"]] == [100, 0]


def test_a_fan_out_is_listed_by_the_image_its_push_redeploys(local: Local) -> None:
    from .test_ecr_trigger import ORDERS, fan_outs, push

    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    push(local)
    fan_outs(local)  # ended
    listed = {e["trigger"]: e for e in api.executions() if e["service"] == "myapp:latest"}
    assert set(listed) == {"push"} and listed["push"]["status"] == "SUCCEEDED"


def test_a_caught_or_failed_step_is_failed_and_a_retried_one_says_so(local: Local) -> None:
    """As the CLI marks them (runner/progress.py): a step whose failure a Catch took on is
    failed, not succeeded; a FAILED health check is failed; a step a Retry ran again says how
    often."""
    local.aws.inject("fail:CreateService")
    shown = api.execution(local.deploy(EXAMPLE)["executionArn"])
    (ensure,) = [s for s in shown["steps"] if s["name"] == "ensure_lattice"]
    assert ensure["status"] == "failed" and shown["marks"]["ensure_lattice"] == "failed"
    local.aws.clear_faults()
    local.aws.inject("unhealthy-targets")
    shown = api.execution(local.deploy(EXAMPLE)["executionArn"])
    checks = [s for s in shown["steps"] if s["name"] == "check_health"]
    assert checks[-1]["status"] == "failed" and shown["marks"]["check_health"] == "failed"
    assert {s["status"] for s in checks[:-1]} <= {"succeeded"}  # WAITING passes
    local.aws.clear_faults()
    local.aws.inject("throttle:CreateListener:5")
    shown = api.execution(local.deploy(EXAMPLE)["executionArn"])
    (ensure,) = [s for s in shown["steps"] if s["name"] == "ensure_lattice"]
    assert ensure["status"] == "succeeded" and ensure["retries"] == 1
