"""Benchmark: what the triggers cost on the embedded AWS.

- a burst of N uploads of one service's bundle (each with a new image): executions started,
  deployments that ran, superseded ones, ECS+Lattice mutating calls, wall time until all ended;
- one ECR push used by K deployed services: deploy executions the fan-out ran and its wall time.

Counts, not timed tests. Run: ``make bench``.
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

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import execution, run, stack, targets

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE, ORDERS = ROOT / "examples" / "myservice", ROOT / "examples" / "orders"


def _settle(sfn: Any, arn: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 600
    while any(
        e["status"] == "RUNNING" for e in sfn.list_executions(stateMachineArn=arn)["executions"]
    ):
        if time.monotonic() > deadline:
            raise TimeoutError(arn)
        time.sleep(0.02)
    return list(sfn.list_executions(stateMachineArn=arn)["executions"])


def burst(uploads: int) -> dict[str, Any]:
    with EmbeddedAws() as aws:
        made = stack.deploy(aws.region)
        s3, sfn = aws.client("s3"), aws.client("stepfunctions")
        files = execution.read_bundle(EXAMPLE)
        prefix = "definitions/myservice/"
        s3.put_object(Bucket=made.bucket, Key=prefix + "ecspresso.yml", Body=files["ecspresso.yml"])
        task = json.loads(files["ecs-task-def.json"])
        started = time.perf_counter()
        for k in range(uploads):
            task["containerDefinitions"][0]["image"] = f"nginx:1.{k}"
            s3.put_object(
                Bucket=made.bucket, Key=prefix + "ecs-task-def.json", Body=json.dumps(task)
            )
            service_def = files["ecs-service-def.json"]
            s3.put_object(Bucket=made.bucket, Key=prefix + "ecs-service-def.json", Body=service_def)
        runs = _settle(sfn, made.state_machine_arn)
        wall = time.perf_counter() - started
        reports = [
            json.loads(sfn.describe_execution(executionArn=r["executionArn"])["output"])["report"]
            for r in runs
        ]
        served = aws.calls()["mutatingCalls"]
    return {
        "executions": len(runs),
        "deployed": sum(r["status"] == "SUCCEEDED" for r in reports),
        "superseded": sum(r["status"] == "SUPERSEDED" for r in reports),
        "mutating ECS+Lattice": sum(
            n for k, n in served.items() if k.split(":")[0] in ("ecs", "vpc-lattice")
        ),
        "wall seconds": round(wall, 2),
    }


def fan_out(services: int, concurrency: int) -> dict[str, Any]:
    with EmbeddedAws() as aws, tempfile.TemporaryDirectory() as tmp:
        made = stack.deploy(aws.region, parameters={"RedeployConcurrency": concurrency})
        target = targets.Target(
            boto3.session.Session(region_name=aws.region),
            made.bucket,
            made.state_machine_arn,
            made.definition,
        )
        for n in range(services):
            bundle = Path(tmp) / f"svc{n}"
            shutil.copytree(ORDERS, bundle)
            for name, key in (
                ("ecs-service-def.json", "serviceName"),
                ("ecs-task-def.json", "family"),
            ):
                data = json.loads((bundle / name).read_text())
                data[key] = f"svc{n}"
                (bundle / name).write_text(json.dumps(data))
            config = (bundle / "ecspresso.yml").read_text().replace("orders", f"svc{n}")
            (bundle / "ecspresso.yml").write_text(config)
            run.deploy_bundle(target, bundle, None, lambda _: None)
        started = time.perf_counter()
        manifest = (ORDERS / "image-manifest.json").read_text()
        aws.client("ecr").put_image(
            repositoryName="myapp", imageTag="latest", imageManifest=manifest
        )
        sfn = aws.client("stepfunctions")
        (done,) = _settle(sfn, made.state_machines["RedeployStateMachine"])
        wall = time.perf_counter() - started
        results = json.loads(sfn.describe_execution(executionArn=done["executionArn"])["output"])
        runs = [
            sfn.describe_execution(executionArn=e["executionArn"])
            for page in sfn.get_paginator("list_executions").paginate(
                stateMachineArn=made.state_machine_arn
            )
            for e in page["executions"]
            if e["startDate"] >= done["startDate"]
        ]
        transitions = sum(
            _transitions(sfn, arn)
            for arn in [done["executionArn"]] + [r["executionArn"] for r in runs]
        )
    return {
        "executions": len(results["results"]),
        "deployed": sum(r["status"] == "SUCCEEDED" for r in results["results"]),
        "superseded": 0,
        "mutating ECS+Lattice": "-",
        "most deploys at once": _most_at_once(runs),
        "throttling failures": sum("Throttl" in (r.get("cause") or "") for r in runs),
        "state transitions": transitions,
        "wall seconds": round(wall, 2),
    }


def _transitions(sfn: Any, arn: str) -> int:
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    return sum(e["type"].endswith("StateEntered") for page in pages for e in page["events"])


def _most_at_once(runs: list[dict[str, Any]]) -> int:
    """The most executions running at one moment, from their start and stop dates."""
    edges = sorted(
        [(r["startDate"], 1) for r in runs] + [(r["stopDate"], -1) for r in runs if "stopDate" in r]
    )
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most


def main() -> int:
    rows = {
        "20 uploads, 1 service": burst(20),
        "1 push, 6 services, x2": fan_out(6, 2),
        "1 push, 100 services, x4": fan_out(100, 4),
    }
    keys = list(dict.fromkeys(k for row in rows.values() for k in row))
    width = max(len(k) for k in keys)
    print(f"{'':<{width}}  " + "  ".join(f"{name:>24}" for name in rows))
    for key in keys:
        print(
            f"{key:<{width}}  " + "  ".join(f"{row.get(key, '-')!s:>24}" for row in rows.values())
        )
    burst_ok = rows["20 uploads, 1 service"]["deployed"] >= 1
    fanned = all(
        row["deployed"] == row["executions"] and row["most deploys at once"] <= int(name[-1])
        for name, row in rows.items()
        if name.startswith("1 push")
    )
    return 0 if burst_ok and fanned else 1


if __name__ == "__main__":
    sys.exit(main())
