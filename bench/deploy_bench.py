"""Benchmark: what one deployment of examples/myservice costs, on the embedded AWS.

Counts, not timed tests: mutating and read AWS calls (first deploy, redeploy of the same bundle,
image update) as the run counts them (all phases, and the deploy phase's changes) and as the
emulator served them to that execution, Step Functions state transitions, Lambda invocations and
health polls per run, virtual seconds until healthy, and the wall time of each run in this
process. Run: ``make bench``.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from lattice_deploy.emulator import CLOCK, EmbeddedAws
from lattice_deploy.runner import run, stack, targets

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "myservice"
ROLLBACKS = {
    "new image, unhealthy": "unhealthy-targets",
    "new image, no start": "tasks-fail-to-start",
    "new image, step fails": "fail:UpdateService",
}
"""Rollback paths, each from the deployed service: the health gate fails, or a step does."""


def measure(aws: EmbeddedAws, target: targets.Target, directory: Path) -> dict[str, Any]:
    aws.reset_calls()
    started_clock, started = CLOCK.now(), time.perf_counter()
    summary = run.deploy_bundle(target, directory, None, lambda _: None)
    wall = time.perf_counter() - started
    sfn = aws.client("stepfunctions")
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=summary["executionArn"]
    )
    events = [e for page in pages for e in page["events"]]
    served = aws.calls(execution=summary["deploymentId"])
    calls = summary["calls"]
    return {
        "status": summary["status"],
        "mutating, deploy phase": calls["phases"]["deploy"]["mutating"],
        "mutating, all (workflow)": calls["mutating"],
        "read, all (workflow)": calls["read"],
        "mutating, all (emulator)": served["mutating"],
        "read, all (emulator)": served["read"],
        "state transitions": sum(e["type"].endswith("StateEntered") for e in events),
        "lambda invocations": sum(e["type"] == "LambdaFunctionScheduled" for e in events),
        "health polls": sum(
            (e.get("stateEnteredEventDetails") or {}).get("name") == "check_health" for e in events
        ),
        "virtual seconds": round(CLOCK.now() - started_clock),
        **latency(aws, summary, events, started_clock),
        "wall seconds": round(wall, 2),
    }


def new_task_ips(aws: EmbeddedAws, summary: dict[str, Any]) -> set[str]:
    """The IPs of every task (running or stopped) of the revision this run registered."""
    arns = {r["type"]: r.get("arn") for r in summary["resources"]}
    if not arns.get("taskDefinition") or not arns.get("ecsService"):
        return set()
    ecs, cluster = aws.client("ecs"), arns["ecsService"].split("/")[-2]
    tasks = [
        arn
        for status in ("RUNNING", "STOPPED")
        for page in ecs.get_paginator("list_tasks").paginate(cluster=cluster, desiredStatus=status)
        for arn in page["taskArns"]
    ]
    described = ecs.describe_tasks(cluster=cluster, tasks=tasks)["tasks"] if tasks else []
    return {
        detail["value"]
        for task in described
        if task["taskDefinitionArn"] == arns["taskDefinition"]
        for attachment in task.get("attachments", [])
        for detail in attachment.get("details", [])
        if detail["name"] == "privateIPv4Address"
    }


def latency(
    aws: EmbeddedAws, summary: dict[str, Any], events: list[dict[str, Any]], since: float
) -> dict[str, Any]:
    """Virtual seconds from the moment Lattice made the verdict true (the last new target
    HEALTHY, or the first UNHEALTHY: the emulator's target timeline) to the gate's verdict (the
    poll that said so), and from the registration of that last (first) target to it, over the
    targets of this run's revision registered during the run;
    "-" when the gate gave no such verdict (a step failed, no task ever ran, nothing new)."""
    verdicts = [
        (
            (e["timestamp"] - CLOCK.datetime(0)).total_seconds(),
            json.loads(e["stateExitedEventDetails"]["output"]),
        )
        for e in events
        if e["type"] == "TaskStateExited" and e["stateExitedEventDetails"]["name"] == "check_health"
    ]
    group = next((r["arn"] for r in summary["resources"] if r["type"] == "targetGroup"), None)
    found = {"to HEALTHY verdict": "-", "to UNHEALTHY verdict": "-", "registered to verdict": "-"}
    if verdicts and group:
        at, state = verdicts[-1]
        verdict = state["health"]["status"]
        ips = new_task_ips(aws, summary)
        new = [
            t
            for t in aws.target_timeline(group)
            if t["id"] in ips and since <= t["registeredAt"] <= at
        ]
        healthy = [t["healthyAt"] for t in new]
        unhealthy = [t["unhealthyAt"] for t in new if t["unhealthyAt"] is not None]
        registered = [t["registeredAt"] for t in new]
        if verdict == "HEALTHY" and new and None not in healthy:
            found["to HEALTHY verdict"] = round(at - max(healthy))
            found["registered to verdict"] = round(at - max(registered))  # the last one's
        elif verdict == "FAILED" and unhealthy:
            found["to UNHEALTHY verdict"] = round(at - min(unhealthy))
            found["registered to verdict"] = round(at - min(registered))  # the first one's
    return found


def with_image(tmp: Path, image: str, source: Path = EXAMPLE) -> Path:
    """A bundle (the example's by default) with another image: a deploy of new tasks."""
    directory = tmp / image.replace(":", "-")
    shutil.copytree(source, directory)
    task = json.loads((directory / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["image"] = image
    (directory / "ecs-task-def.json").write_text(json.dumps(task))
    return directory


def target_of(aws: EmbeddedAws) -> targets.Target:
    """The stack deployed into ``aws``, as the runner targets it."""
    made = stack.deploy(aws.region)
    session = boto3.session.Session(region_name=aws.region)
    return targets.Target(session, made.bucket, made.state_machine_arn, made.definition)


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    keys = list(next(iter(rows.values())))
    width = max(len(k) for k in keys)
    print(f"{'':<{width}}  " + "  ".join(f"{name:>21}" for name in rows))
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{row[key]!s:>21}" for row in rows.values()))


def main() -> int:
    with EmbeddedAws() as aws, tempfile.TemporaryDirectory() as tmp:
        target = target_of(aws)
        rows = {
            "first deploy": measure(aws, target, EXAMPLE),
            "redeploy, same bundle": measure(aws, target, EXAMPLE),
            "new image": measure(aws, target, with_image(Path(tmp), "nginx:1.27")),
        }
        for number, (name, fault) in enumerate(ROLLBACKS.items()):
            bundle = with_image(Path(tmp), f"nginx:1.{28 + number}")
            aws.inject(fault)
            rows[name] = measure(aws, target, bundle)
            aws.clear_faults()
    print_table(rows)
    expected = {name: "FAILED" if name in ROLLBACKS else "SUCCEEDED" for name in rows}
    return 0 if {name: r["status"] for name, r in rows.items()} == expected else 1


if __name__ == "__main__":
    sys.exit(main())
