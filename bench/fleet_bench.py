"""Benchmark: one base image, used by N services, pushed once, with AWS's documented request
quotas in force (the embedded AWS's throttling on from the push: :mod:`lattice_deploy.emulator.
throttle`).

N services are deployed first (each through the workflow, throttling off: that is the fleet's
past, not the push). Then one push of their shared image, and from what happened:

- ``succeeded``: the fan-out's deployments that SUCCEEDED (all N, or the bench fails);
- ``throttledCalls``: requests the buckets refused (each retried: by botocore, then the state's
  Retry); ``throttlingFailures``: deployments that failed on a throttle (must be 0);
- ``virtualSeconds``: from the push to the fan-out's end (its last deployment's verdict);
- ``floorSeconds``: one deployment's time (the fastest of the fan-out's) plus, for the scarcest
  bucket, the requests it served beyond its burst ÷ its refill rate: no pacing can end sooner;
- state transitions and Lambda invocations per service, and what they cost at list prices
  (:data:`PRICES`);
- ``wallSeconds`` (the push to the end, on this machine) and ``peakMemoryMB`` (the process's).

Run: ``python bench/fleet_bench.py --services 100 [--json]``; ``make bench`` runs 100.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from lattice_deploy.emulator import CLOCK, THROTTLE, EmbeddedAws
from lattice_deploy.emulator.demo_account import VPC_ID
from lattice_deploy.emulator.servicequotas.models import servicequotas_backends
from lattice_deploy.emulator.stepfunctions import retention
from lattice_deploy.emulator.usage import USAGE
from lattice_deploy.runner import execution, stack, targets

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "examples" / "orders"

PRICES = {
    "state transition": 0.025 / 1000,
    "Lambda request": 0.20 / 1_000_000,
    "Lambda GB-second (arm64)": 0.0000133334,
}
"""US East (N. Virginia) list prices (AWS Step Functions pricing: Standard workflows, $0.025 per
1,000 state transitions; AWS Lambda pricing: $0.20 per 1M requests, $0.0000133334 per GB-second
on Arm), free tiers left out. A Lambda's duration is its in-process wall time here, the calls it
makes to the embedded AWS included, at the template's 256 MB."""
MEMORY_GB = 0.25


def orders_copy(root: Path, service: str, subnets: list[str] | None = None) -> Path:
    """The orders example (an ECR image, ``myapp:latest``) as another service (in ``subnets``)."""
    bundle = root / service
    shutil.copytree(ORDERS, bundle)
    for name, key in (("ecs-service-def.json", "serviceName"), ("ecs-task-def.json", "family")):
        data = json.loads((bundle / name).read_text())
        data[key] = service
        if subnets and name == "ecs-service-def.json":
            data["networkConfiguration"]["awsvpcConfiguration"]["subnets"] = subnets
        (bundle / name).write_text(json.dumps(data))
    config = (bundle / "ecspresso.yml").read_text().replace("orders", service)
    (bundle / "ecspresso.yml").write_text(config)
    return bundle


def _settle(sfn: Any, arn: str, limit: float) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while True:
        found = sfn.list_executions(stateMachineArn=arn)["executions"]
        if found and all(e["status"] != "RUNNING" for e in found):
            return dict(sfn.describe_execution(executionArn=found[0]["executionArn"]))
        if time.monotonic() > deadline:
            raise TimeoutError(f"{arn}: still running after {limit} s")
        time.sleep(1.0)  # each look is a ListExecutions: not the fleet's CPU


def _floor(one: float, ledger: list[dict[str, Any]]) -> tuple[float, str]:
    """One deployment's time plus the longest any bucket needs to serve what it served."""
    worst, which = 0.0, "-"
    for row in ledger:
        served, rate = row["requests"] - row["throttled"], row["rate"]
        need = max(0.0, served - rate.capacity) / rate.refill
        if need > worst:
            worst, which = need, f"{row['service']} {row['bucket']}"
    return one + worst, which


def _fleet_account(aws: EmbeddedAws, services: int) -> list[str]:
    """What an account running a fleet has: VPC Lattice's "Target groups per Region" and
    "Service associations per service network" (500 each) raised as an approved increase would,
    and subnets with room for every task's IP during a rolling update (the demo account's two
    /24s hold 502: 250 services of two tasks). Returns the subnets the bundles use."""
    backend = servicequotas_backends[aws.account_id][aws.region]
    for code in ("L-BB11C6B9", "L-75D4A19E"):
        backend.apply("vpc-lattice", code, max(500, services + 50))
    ec2 = aws.client("ec2")
    return [
        ec2.create_subnet(VpcId=VPC_ID, CidrBlock=cidr, AvailabilityZone=f"{aws.region}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for cidr, zone in (("10.0.64.0/18", "a"), ("10.0.128.0/18", "c"))
    ]


def _deploy_all(
    target: targets.Target, root: Path, services: int, subnets: list[str], batch: int = 50
) -> None:
    """The fleet's first deployments, ``batch`` at a time, started as the CLI starts one (the
    bundle checked and uploaded), not followed event by event: only their verdicts are read."""
    sfn = target.session.client("stepfunctions")
    for first in range(0, services, batch):
        arns = [
            execution.start(
                target.session,
                target.bucket,
                target.state_machine_arn,
                orders_copy(root, f"svc{n:04d}", subnets),
                None,
            ).execution_arn
            for n in range(first, min(services, first + batch))
        ]
        deadline = time.monotonic() + 600
        while arns:
            status = sfn.describe_execution(executionArn=arns[0])["status"]
            if status == "RUNNING":
                assert time.monotonic() < deadline, f"{arns[0]} still running"
                time.sleep(0.2)
                continue
            if status != "SUCCEEDED":
                cause = sfn.describe_execution(executionArn=arns[0]).get("cause", "")
                raise AssertionError(f"{arns[0]}: {status}: {cause[:2000]}")
            arns.pop(0)


def fleet(services: int) -> dict[str, Any]:
    retention.KEPT_EXECUTIONS = services + 100  # every deployment of the push stays describable
    with EmbeddedAws(throttle=False) as aws, tempfile.TemporaryDirectory() as tmp:
        made = stack.deploy(aws.region)
        subnets = _fleet_account(aws, services)
        session = boto3.session.Session(region_name=aws.region)
        target = targets.Target(session, made.bucket, made.state_machine_arn, made.definition)
        setup = time.perf_counter()
        _deploy_all(target, Path(tmp), services, subnets)
        setup_wall = time.perf_counter() - setup
        THROTTLE.reset(enabled=True)  # AWS's quotas from the push on, every bucket full
        before = USAGE.snapshot()
        pushed, started = CLOCK.datetime(), time.perf_counter()
        manifest = json.loads((ORDERS / "image-manifest.json").read_text())
        manifest["config"]["size"] += 1  # a new image: its own digest
        aws.client("ecr").put_image(
            repositoryName="myapp", imageTag="latest", imageManifest=json.dumps(manifest)
        )
        sfn = aws.client("stepfunctions")
        done = _settle(sfn, made.state_machines["RedeployStateMachine"], 60.0 + services * 3)
        wall = time.perf_counter() - started
        used = {k: USAGE.snapshot()[k] - before[k] for k in before}
        results = json.loads(done["output"])["results"]
        prefix = made.state_machine_arn.replace(":stateMachine:", ":execution:")
        runs = [
            sfn.describe_execution(executionArn=f"{prefix}:{r['execution']}")
            for r in results
            if r.get("execution")
        ]
        ledger = THROTTLE.ledger(aws.account_id)
    failed = [r for r in runs if r["status"] != "SUCCEEDED"]
    one = min((r["stopDate"] - r["startDate"]).total_seconds() for r in runs if r not in failed)
    floor, scarcest = _floor(one, ledger)
    per = {k: used[k] / services for k in used}
    cost = (
        per["transitions"] * PRICES["state transition"]
        + per["invocations"] * PRICES["Lambda request"]
        + per["invocationSeconds"] * MEMORY_GB * PRICES["Lambda GB-second (arm64)"]
    )
    return {
        "services": services,
        "succeeded": sum(r["status"] == "SUCCEEDED" for r in results),
        "throttledCalls": sum(row["throttled"] for row in ledger),
        "throttlingFailures": sum("Throttl" in json.dumps(r.get("cause") or "") for r in failed)
        + sum("Throttl" in str(r.get("error") or "") for r in results),
        "virtualSeconds": round((done["stopDate"] - pushed).total_seconds(), 1),
        "floorSeconds": round(floor, 1),
        "scarcestBucket": scarcest,
        "oneDeploySeconds": round(one, 1),
        "transitionsPerService": round(per["transitions"], 1),
        "invocationsPerService": round(per["invocations"], 1),
        "costPerServiceUSD": round(cost, 6),
        "setupWallSeconds": round(setup_wall, 1),
        "wallSeconds": round(wall, 1),
        "peakMemoryMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "buckets": [
            {**row, "rate": f"{row['rate'].capacity:g} / {row['rate'].refill:g} per s"}
            for row in ledger
            if row["requests"]
        ],
    }


SECTION = "## Fleet: one push of a shared image"

ROWS = (
    ("services", "services"),
    ("succeeded", "SUCCEEDED"),
    ("throttledCalls", "throttled calls (each retried)"),
    ("throttlingFailures", "failures from throttling"),
    ("virtualSeconds", "virtual s, push to last verdict"),
    ("floorSeconds", "floor s (one deploy + scarcest bucket)"),
    ("scarcestBucket", "scarcest bucket"),
    ("oneDeploySeconds", "one deploy, virtual s"),
    ("transitionsPerService", "state transitions per service"),
    ("invocationsPerService", "Lambda invocations per service"),
    ("costPerServiceUSD", "cost per service deploy, USD"),
    ("setupWallSeconds", "setup: first deploys, wall s"),
    ("wallSeconds", "push to last verdict, wall s"),
    ("peakMemoryMB", "peak memory, MB"),
)


def markdown(runs: list[dict[str, Any]]) -> str:
    """The section ``docs/benchmarks.md`` ends with: one column per fleet size."""
    head = "| | " + " | ".join(f"{r['services']} services" for r in runs) + " |"
    lines = [
        SECTION,
        "",
        "Written by `bench/fleet_bench.py` (`make bench`) from its runs on this machine (2 cores).",
        "N services (examples/orders renamed) are deployed through the workflow, throttling off;",
        "then AWS's documented request quotas are put in force (every bucket full) and one image",
        "they all run is pushed. The floor is one deployment's virtual time (the fastest of the",
        "fan-out's) plus, for the bucket that needs longest, the requests it served beyond its",
        "burst over its refill rate. Cost: US East list prices, "
        + "; ".join(f"{k} ${v:.10g}" for k, v in PRICES.items())
        + " (free tiers left out; Lambda's duration is its in-process wall time at 256 MB).",
        "",
        head,
        "|---|" + "---|" * len(runs),
    ]
    lines += [f"| {label} | " + " | ".join(str(r[key]) for r in runs) + " |" for key, label in ROWS]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace the fleet section of ``path`` (or add it at the end)."""
    old = path.read_text()
    kept = old.split(SECTION)[0].rstrip("\n")
    path.write_text(kept + "\n\n" + text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, nargs="+", default=[100])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write", type=Path, help="put the table in this Markdown file")
    args = parser.parse_args(argv)
    runs = [fleet(n) for n in args.services]
    if args.json:
        print(json.dumps(runs[0] if len(runs) == 1 else runs, indent=2))
    else:
        print(markdown(runs))
        for row in runs[-1]["buckets"]:
            print(
                f"  {row['service']:<13} {row['bucket']:<38} {row['rate']:<17} "
                f"{row['requests']:>6} requests, {row['throttled']:>5} throttled"
            )
    if args.write:
        write_section(args.write, markdown(runs))
    ok = all(r["succeeded"] == r["services"] and r["throttlingFailures"] == 0 for r in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
