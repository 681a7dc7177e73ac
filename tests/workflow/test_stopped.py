"""A deployment stopped by hand (or timed out) skips its own Catch: its Step Functions status
event starts a cleanup that rolls it back, unless a newer run owns the service already."""

from __future__ import annotations

import json
import threading
from typing import Any

from bundles import renamed
from lattice_deploy.emulator import CLOCK
from lattice_deploy.emulator.events.models import DELIVERIES

from .conftest import EXAMPLE, Local
from .snapshot import snapshot
from .test_ordering import until
from .test_s3_trigger import settle, started


def stop_while_waiting_for_health(local: Local, directory: Any) -> dict[str, Any]:
    """Deploy ``directory``, stop the run once it waits for health; its summary."""
    sfn, result = local.aws.client("stepfunctions"), {}
    held = CLOCK.started()  # virtual time stands still until the run is stopped
    try:
        run = threading.Thread(target=lambda: result.update(local.deploy(directory)))
        run.start()

        def waiting() -> list[str]:
            arn = local.stack.state_machine_arn
            running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")
            return [
                e["executionArn"]
                for e in running["executions"]
                if "wait_for_health" in str(local.history(e))
            ]

        until(lambda: waiting(), "the run made the Lattice side and waits for health")
        sfn.stop_execution(executionArn=waiting()[0], cause="stopped by hand")
    finally:
        CLOCK.ended(held)
    run.join(timeout=120)
    return result


def status_event(local: Local, summary: dict[str, Any], status: str = "ABORTED") -> dict[str, Any]:
    """Step Functions' status change event for the run of ``summary``."""
    sample = json.loads((EXAMPLE.parents[1] / "events" / "sfn-stopped.json").read_text())
    sample["detail"] |= {
        "executionArn": summary["executionArn"],
        "stateMachineArn": local.stack.state_machine_arn,
        "name": summary["deploymentId"],
        "status": status,
    }
    return dict(sample)


def stopped_rule(local: Local) -> str:
    """The template's rule that hands a stopped run's status event to the cleanup function."""
    rules = local.aws.client("events").list_rules()["Rules"]
    (rule,) = [r["Name"] for r in rules if "DeploymentStopped" in r["Name"]]
    return str(rule)


def stopped_event_delivered(local: Local, summary: dict[str, Any]) -> dict[str, Any]:
    """The cleanup function's answer to the run's ABORTED event, delivered now (as EventBridge
    would, late)."""
    sample = status_event(local, summary)
    function = local.stack.functions["CleanUpStoppedFunction"]
    answer = local.aws.client("lambda").invoke(FunctionName=function, Payload=json.dumps(sample))
    return dict(json.loads(answer["Payload"].read()))


def test_a_stopped_first_deploy_is_cleaned_up_to_the_account_it_found(local: Local) -> None:
    before = snapshot(local.aws)
    summary = stop_while_waiting_for_health(local, EXAMPLE)
    assert summary["status"] == "ABORTED"
    (cleanup,) = settle(local, "CleanupStateMachine", at_least=1)
    assert cleanup["status"] == "SUCCEEDED"
    assert cleanup["name"].startswith(summary["deploymentId"][:40])
    assert snapshot(local.aws) == before
    item = local.aws.client("dynamodb").get_item(
        TableName="lattice-deploy-DeploymentsTable", Key={"service": {"S": "myservice"}}
    )["Item"]
    assert "holder" not in item  # the turn is given back
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"  # the next run needs no takeover


def test_a_cleanup_never_undoes_a_newer_run(local: Local, tmp_path: Any) -> None:
    """The stopped run's event arrives after a newer run took the service's turn (the rule is
    off meanwhile): the cleanup changes nothing and says why."""
    local.aws.client("events").disable_rule(Name=stopped_rule(local))
    summary = stop_while_waiting_for_health(local, EXAMPLE)
    newer = local.deploy(renamed(EXAMPLE, tmp_path, "myservice"))
    assert newer["status"] == "SUCCEEDED"
    after_newer = snapshot(local.aws)
    result = stopped_event_delivered(local, summary)
    assert result["started"] is False and "a newer request for myservice exists" in result["reason"]
    assert settle(local, "CleanupStateMachine") == []
    assert snapshot(local.aws) == after_newer


def test_a_run_stopped_after_it_gave_its_turn_back_is_left_as_it_ended(local: Local) -> None:
    """Stopped while writing its report: it had deployed (or rolled back) and released the turn,
    so there is nothing to undo; a cleanup would undo a good deployment."""
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    deployed = snapshot(local.aws)
    result = stopped_event_delivered(local, summary)
    assert result == {
        "started": False,
        "reason": f"{summary['executionArn']} had ended its deployment: nothing to undo",
    }
    assert settle(local, "CleanupStateMachine") == [] and snapshot(local.aws) == deployed


def test_a_redelivered_stopped_event_starts_one_cleanup(local: Local) -> None:
    """EventBridge delivers at least once, and retries a failed invocation: the second
    delivery finds its own cleanup holding the turn and starts nothing new."""
    local.aws.client("events").disable_rule(Name=stopped_rule(local))
    before = snapshot(local.aws)
    summary = stop_while_waiting_for_health(local, EXAMPLE)
    first = stopped_event_delivered(local, summary)
    again = stopped_event_delivered(local, summary)
    assert first["started"] is True
    assert again["started"] is False and "same request" in again["reason"]
    (cleanup,) = settle(local, "CleanupStateMachine", at_least=1)
    assert cleanup["status"] == "SUCCEEDED" and snapshot(local.aws) == before


def test_a_timed_out_deploy_is_cleaned_up_as_a_stopped_one(local: Local) -> None:
    """A run that outlives its execution timeout ends TIMED_OUT, skipping Catch as a stop does:
    its status event, through the template's rule, starts the same cleanup. (The embedded Step
    Functions times executions out on the wall clock only: the run is stopped with the rule
    off, and its TIMED_OUT event sent as Step Functions would.)"""
    events, rule = local.aws.client("events"), stopped_rule(local)
    events.disable_rule(Name=rule)
    before = snapshot(local.aws)
    summary = stop_while_waiting_for_health(local, EXAMPLE)
    events.enable_rule(Name=rule)
    timed_out, delivered = status_event(local, summary, "TIMED_OUT"), len(DELIVERIES)
    sent = events.put_events(
        Entries=[
            {
                "Source": timed_out["source"],
                "DetailType": timed_out["detail-type"],
                "Detail": json.dumps(timed_out["detail"]),
                "Resources": [summary["executionArn"]],
            }
        ]
    )
    assert sent["FailedEntryCount"] == 0
    (delivery,) = [d for d in DELIVERIES[delivered:] if d["rule"] == rule]
    assert started(delivery)["started"] is True, delivery["result"]
    (cleanup,) = settle(local, "CleanupStateMachine", at_least=1)
    assert cleanup["status"] == "SUCCEEDED"
    assert snapshot(local.aws) == before
