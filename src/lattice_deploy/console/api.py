"""What the local console shows, read from the embedded account as the aws CLI would read it.

Step Functions (executions, their history, the deployed definition), VPC Lattice (targets,
listener rules) and the ``/_lattice-deploy/`` state (the virtual clock, the faults, each
target's moments); no second record is kept. Why server-side JSON and not the browser calling
the AWS APIs itself: the page stays plain (no SigV4, no SDK), and every figure comes from the
same calls a person could make with ``aws --endpoint-url``.
"""

from __future__ import annotations

import json
from datetime import datetime
from itertools import pairwise
from typing import Any

import boto3

from deployer.lattice import auth_policy, ensure_auth

from ..emulator.demo_account import ACCOUNT_ID, REGION
from ..picture import draw
from ..runner import progress
from ..runner.versions import REDEPLOY_OF

LIMIT = 50


def _client(service: str) -> Any:
    session: Any = boto3.session.Session(region_name=REGION)
    return session.client(service)


def _service_and_trigger(machine: str, given: dict[str, Any]) -> tuple[str, str]:
    if machine.endswith("RedeployStateMachine"):  # its services are in S3: name the image
        push = given.get("push") or {}
        return (f"{push['name']}:{push['tag']}" if push.get("name") else ""), "push"
    if machine.endswith("CleanupStateMachine"):
        stopped = (given.get("detail") or {}).get("name") or ""
        return str(stopped.split("-")[0]), "stopped run"
    prefix = str((given.get("bundle") or {}).get("prefix") or "")
    service = prefix.strip("/").rsplit("/", 1)[-1]
    by = str((given.get("request") or {}).get("by") or "")
    trigger = (
        "rollback"
        if REDEPLOY_OF in given  # lattice-deploy rollback: an earlier version again
        else "CLI"
        if "templateEnv" in given
        else "upload"
        if by.startswith("upload")
        else "push"
        if by.startswith("ECR")
        else "CLI"
    )
    return service, trigger


def _seconds(start: datetime, stop: datetime | None) -> float | None:
    return (stop - start).total_seconds() if stop else None


_ENDED: dict[str, float | None] = {}
"""Virtual durations of ended executions, kept once read (an ended history does not change)."""


def _virtual_seconds(sfn: Any, arn: str, ended: bool) -> float | None:
    """From the first history event to the last: the history's clock is the virtual one."""
    if not ended:
        return None
    if arn not in _ENDED:
        pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
        stamps = [e["timestamp"] for page in pages for e in page["events"]]
        _ENDED[arn] = _seconds(min(stamps), max(stamps)) if stamps else None
    return _ENDED[arn]


def executions() -> list[dict[str, Any]]:
    """Every state machine's executions, newest first, with their virtual time (the execution's
    dates are the virtual clock's now, as a summary's ``seconds`` is: no wall-clock figure is
    shown, none being recorded)."""
    sfn, found = _client("stepfunctions"), []
    for machine in sfn.list_state_machines()["stateMachines"]:
        listed = sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]
        for item in listed[:LIMIT]:
            described = sfn.describe_execution(executionArn=item["executionArn"])
            service, trigger = _service_and_trigger(
                machine["name"], json.loads(described.get("input") or "{}")
            )
            ended = item.get("stopDate") is not None
            found.append(
                {
                    "arn": item["executionArn"],
                    "name": item["name"],
                    "machine": machine["name"].removeprefix("lattice-deploy-"),
                    "service": service,
                    "trigger": trigger,
                    "status": item["status"],
                    "started": item["startDate"].isoformat(),
                    "virtualSeconds": _virtual_seconds(sfn, item["executionArn"], ended),
                }
            )
    return sorted(found, key=lambda e: e["started"], reverse=True)


def _steps(events: list[dict[str, Any]], definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Each state the execution entered, in order, with its input, output and outcome: failed
    when its last attempt failed (a Catch took the run on) or its result is a failed verdict (a
    FAILED health check), else succeeded, with how often a Retry ran it again, as the CLI marks
    it (:func:`..runner.progress.mark`)."""
    states = dict(progress.all_states(definition.get("States") or {}))
    steps: list[dict[str, Any]] = []
    entries: list[progress.Entry] = []
    for event in events:
        kind = event["type"]
        if kind.endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            steps.append(
                {
                    "name": details["name"],
                    "input": details.get("input"),
                    "entered": event["timestamp"].isoformat(),
                    "status": "running",
                }
            )
            entries.append(progress.Entry())
        elif kind.endswith("StateExited") and steps:
            details = event["stateExitedEventDetails"]
            at = next(i for i in reversed(range(len(steps))) if steps[i]["name"] == details["name"])
            output = details.get("output")
            path = states.get(details["name"], {}).get("ResultPath")
            result = progress.result_at(json.loads(output or "{}"), path)
            failed = progress.mark(entries[at], details["name"], result) == "✗"
            steps[at].update(output=output, status="failed" if failed else "succeeded")
            if entries[at].failures:
                steps[at]["retries"] = entries[at].failures - int(entries[at].failed_last)
        elif kind in progress.FAILED_ATTEMPTS | {"ExecutionFailed"} and steps:
            failure: dict[str, Any] = next(
                (dict(v) for k, v in event.items() if k.endswith("EventDetails")), {}
            )
            steps[-1].update(
                status="failed", error=failure.get("error"), cause=failure.get("cause")
            )
        if steps and kind in progress.FAILED_ATTEMPTS | progress.SUCCEEDED_ATTEMPTS:
            entries[-1].attempt(kind, event)
    return steps


def _marks(steps: list[dict[str, Any]], status: str) -> dict[str, str]:
    """Each state entered: failed (its last attempt failed; the Fail state an execution ends in
    gets the ExecutionFailed event), running (the one the execution is in), else taken."""
    marks: dict[str, str] = {}
    for step in steps:
        marks[step["name"]] = "failed" if step["status"] == "failed" else "taken"
    if steps and status == "RUNNING" and steps[-1]["status"] == "running":
        marks[steps[-1]["name"]] = "running"
    return marks


def _resources(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """What the run's states said they made or found (the newest mention of each)."""
    found: dict[str, Any] = {}
    for step in steps:
        output = json.loads(step.get("output") or "{}")
        found.update((output.get("resources") or {}) if isinstance(output, dict) else {})
    return found


def _lattice(resources: dict[str, Any]) -> dict[str, Any]:
    from ..emulator.vpclattice.models import lattice_backends

    api, backend = _client("vpc-lattice"), lattice_backends[ACCOUNT_ID][REGION]
    groups = []
    for key in ("targetGroup", "alternateGroup"):
        arn = (resources.get(key) or {}).get("arn")
        if not arn:
            continue
        try:
            listed = api.list_targets(targetGroupIdentifier=arn)["items"]
        except api.exceptions.ResourceNotFoundException:
            listed = []
        moments = {t["id"]: t for t in backend.timeline(arn)}
        targets = []
        for target in listed:
            seen = moments.get(target["id"]) or {}
            took = (
                seen["healthyAt"] - seen["registeredAt"]
                if seen.get("healthyAt") is not None and seen.get("registeredAt") is not None
                else None
            )
            targets.append({**target, "secondsToHealthy": took})
        groups.append({"kind": key, "arn": arn, "targets": targets})
    weights = []
    service, listener = resources.get("latticeService") or {}, resources.get("listener") or {}
    for rule in ((resources.get("rules") or {}).get(k) for k in ("production", "test")):
        if rule and service.get("id") and listener.get("id"):
            try:
                got = api.get_rule(
                    serviceIdentifier=service["id"],
                    listenerIdentifier=listener["id"],
                    ruleIdentifier=rule["id"],
                )
            except api.exceptions.ResourceNotFoundException:
                continue
            forward = (got.get("action") or {}).get("forward") or {}
            weights.append({"rule": got["name"], "targetGroups": forward.get("targetGroups", [])})
    return {"groups": groups, "weights": weights, "auth": _auth(api, service.get("arn"))}


def _auth(api: Any, arn: str | None) -> str | None:
    """The Lattice service's auth type and who may call it, in one line (None: not known)."""
    if not arn:
        return None
    try:
        now = ensure_auth.current(api, "service", arn)
    except api.exceptions.ResourceNotFoundException:
        return None
    return auth_policy.summary(now["type"], now["policy"])


def execution(arn: str) -> dict[str, Any]:
    """One execution: its graph with the path marked, history steps, failure and rollback."""
    sfn = _client("stepfunctions")
    described = sfn.describe_execution(executionArn=arn)
    machine = sfn.describe_state_machine(stateMachineArn=described["stateMachineArn"])
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    events = [e for page in pages for e in page["events"]]
    definition = json.loads(machine["definition"])
    steps = _steps(events, definition)
    marks = _marks(steps, described["status"])
    passed = {(a["name"], b["name"]) for a, b in pairwise(steps)}  # the transitions made
    report = next(
        (
            json.loads(s["output"]).get("report") or {}
            for s in reversed(steps)
            if s["name"] == "report" and s.get("output")
        ),
        {},
    )
    resources = _resources(steps)
    return {
        "arn": arn,
        "name": described["name"],
        "status": described["status"],
        "error": described.get("error"),
        "cause": described.get("cause"),
        "graph": draw(definition, machine["name"], marks, passed),
        "marks": marks,
        "steps": steps,
        "rollback": {k: report.get(k) for k in ("removed", "restored", "kept") if report.get(k)},
        "lattice": _lattice(resources),
    }
