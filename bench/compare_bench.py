"""Benchmark: this workflow beside what users would do instead; writes ``docs/benchmarks.md``.

Each way puts examples/myservice behind VPC Lattice in a fresh embedded account, in the same
scenarios, and every figure is read from that run (the emulator's call counter, the execution
history, the virtual clock, the Lattice target timeline):

- **lattice-deploy**: one execution of the state machine (`lattice-deploy deploy`);
- **ecspresso-style wait**: the Lattice side made beforehand; `ecspresso deploy` is
  RegisterTaskDefinition + CreateService/UpdateService, then its wait: DescribeServices every 15 s
  until ECS's services-stable condition (one deployment, runningCount = desiredCount) or the
  bundle's timeout; Lattice target health is never read;
- **the origin document's procedure**: its `aws vpc-lattice` commands in order, then ecspresso as
  above; and what the same script does when it runs a second time.

"Truth" is what Lattice says of the service's targets when the verdict is given, and 10 virtual
minutes after the start: a success whose targets are not HEALTHY is a false success.
Run: ``make bench`` (or ``python bench/compare_bench.py [--write docs/benchmarks.md]``).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError
from deploy_bench import EXAMPLE, measure, with_image

from lattice_deploy.emulator import CLOCK, EmbeddedAws
from lattice_deploy.runner import stack, targets

ROOT = Path(__file__).resolve().parents[1]
POLL, TIMEOUT, LATER = 15, 600, 600
"""ecspresso's poll (seconds) and the bundle's timeout; when the truth is read again."""
VPC, SUBNETS, GROUPS = "vpc-12345678", ["subnet-12345678", "subnet-87654321"], ["sg-12345678"]


def _task_def() -> dict[str, Any]:
    return dict(json.loads((EXAMPLE / "ecs-task-def.json").read_text()))


def _lattice_by_hand(aws: EmbeddedAws) -> dict[str, str]:
    """The origin document's commands, in its order, with the ids each printed (its example
    passes names where Lattice takes ids, and an INSTANCE group where ECS registers task IPs:
    both are fixed here, as a reader would have to)."""
    api = aws.client("vpc-lattice")
    network = api.create_service_network(name="my-service-network", authType="NONE")
    api.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["id"], vpcIdentifier=VPC, securityGroupIds=GROUPS
    )
    service = api.create_service(name="myservice", authType="NONE")
    group = api.create_target_group(
        name="myservice-tg",
        type="IP",
        config={"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC},
    )
    api.create_listener(
        serviceIdentifier=service["id"],
        name="myservice-listener",
        protocol="HTTP",
        port=80,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"]}]}},
    )
    return {"service": service["arn"], "targetGroup": group["arn"]}


def _stable(service: dict[str, Any]) -> bool:
    """boto3's ``services_stable`` waiter acceptor, which ecspresso's wait follows."""
    return len(service["deployments"]) == 1 and service["runningCount"] == service["desiredCount"]


def _ecspresso(aws: EmbeddedAws, group_arn: str, role: str, image: str) -> tuple[str, float]:
    """``ecspresso deploy`` then its wait; (verdict, virtual seconds it took)."""
    ecs, start = aws.client("ecs"), CLOCK.now()
    found = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
    task = {**_task_def()}
    task["containerDefinitions"][0]["image"] = image
    arn = ecs.register_task_definition(**task)["taskDefinition"]["taskDefinitionArn"]
    wiring = [{"roleArn": role, "targetGroupArn": group_arn, "portName": "http"}]
    if any(s["status"] == "ACTIVE" for s in found):
        ecs.update_service(cluster="my-cluster", service="myservice", taskDefinition=arn)
    else:
        ecs.create_service(
            cluster="my-cluster",
            serviceName="myservice",
            taskDefinition=arn,
            desiredCount=3,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": SUBNETS, "securityGroups": GROUPS}
            },
            vpcLatticeConfigurations=wiring,
        )
    while CLOCK.now() - start < TIMEOUT:
        aws.advance(POLL)
        (service,) = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
        if _stable(service):
            return "SUCCESS", CLOCK.now() - start
    return "TIMEOUT", CLOCK.now() - start


def _truth(aws: EmbeddedAws, group_arn: str | None) -> Counter[str] | None:
    """Lattice's count of the group's targets by status; None when the group is gone."""
    try:
        api = aws.client("vpc-lattice")
        items = api.list_targets(targetGroupIdentifier=group_arn)["items"] if group_arn else None
    except ClientError:
        items = None
    return None if items is None else Counter(t["status"] for t in items)


def _ecs(aws: EmbeddedAws) -> str:
    """The service's deployments: revision and rollout state, newest first."""
    ecs = aws.client("ecs")
    found = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
    active = [s for s in found if s["status"] == "ACTIVE"]
    if not active:
        return "no service (rolled back)"
    return " + ".join(
        f"rev {d['taskDefinition'].rsplit(':', 1)[-1]} {d.get('rolloutState', '')}".strip()
        for d in active[0]["deployments"]
    )


def _said(counts: Counter[str] | None) -> str:
    if counts is None:
        return "no target group (rolled back)"
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no targets"


def _missed(verdict: str, at_end: Counter[str] | None, later: Counter[str] | None) -> str:
    """What a SUCCESS verdict got wrong, from what Lattice said then and 10 minutes on."""
    if verdict != "SUCCESS":
        return "-"
    if not later or set(later) != {"HEALTHY"}:
        return f"false success: {_said(later)} 10 min on"
    if not at_end or set(at_end) != {"HEALTHY"}:
        return f"premature: {_said(at_end)} when it said SUCCESS"
    return "-"


def _row(
    aws: EmbeddedAws,
    verdict: str,
    seconds: float,
    calls: dict[str, Any],
    at_end: Counter[str] | None,
    later: Counter[str] | None,
    **more: Any,
) -> dict[str, Any]:
    ecs = _ecs(aws)
    missed = _missed(verdict, at_end, later)
    if verdict == "TIMEOUT":
        missed = f"not put back: {ecs} 10 min on"
    return {
        "verdict": verdict,
        "virtual s until it ends": round(seconds),
        "mutating calls": calls["mutating"],
        "read calls": calls["read"],
        "Lattice when it ends": _said(at_end),
        "Lattice 10 min on": _said(later),
        "missed": missed,
        "ECS 10 min on": ecs,
        **more,
    }


def _account(parameters: dict[str, Any] | None = None) -> tuple[EmbeddedAws, Any]:
    aws = EmbeddedAws().__enter__()
    made = stack.deploy(aws.region, parameters=parameters)
    target = targets.Target(
        boto3.session.Session(region_name=aws.region),
        made.bucket,
        made.state_machine_arn,
        made.definition,
    )
    return aws, target


def _role(aws: EmbeddedAws) -> str:
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}}]}
    made = aws.client("iam").create_role(
        RoleName="ecsInfrastructureRoleForVpcLattice", AssumeRolePolicyDocument=json.dumps(trust)
    )
    return str(made["Role"]["Arn"])


def _group(aws: EmbeddedAws, name: str) -> str | None:
    groups = aws.client("vpc-lattice").list_target_groups()["items"]
    return next((g["arn"] for g in groups if g["name"] == name), None)


def workflow(fault: str | None, update: bool) -> dict[str, Any]:
    aws, target = _account()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if update:
                measure(aws, target, EXAMPLE)
            if fault:
                aws.inject(fault)
            start = CLOCK.now()
            bundle = with_image(Path(tmp), "nginx:1.27") if update else EXAMPLE
            row = measure(aws, target, bundle)
        group = _group(aws, "dev-myservice-targetgroup")
        at_verdict = _truth(aws, group)
        aws.advance(max(0.0, start + LATER - CLOCK.now()))
        verdict = "SUCCESS" if row["status"] == "SUCCEEDED" else "FAILED, rolled back"
        return _row(
            aws,
            verdict,
            row["virtual seconds"],
            {"mutating": row["mutating, all (emulator)"], "read": row["read, all (emulator)"]},
            at_verdict,
            _truth(aws, group),
            transitions=row["state transitions"],
        )
    finally:
        aws.__exit__(None, None, None)


def by_hand(fault: str | None, update: bool, lattice_counted: bool) -> dict[str, Any]:
    aws, _ = _account()
    try:
        role = _role(aws)
        if not lattice_counted:
            made = _lattice_by_hand(aws)
            if update:  # a deployed service, settled: its targets HEALTHY, its rollout done
                _ecspresso(aws, made["targetGroup"], role, "nginx:latest")
                aws.advance(LATER)
        aws.reset_calls()
        if lattice_counted:
            made = _lattice_by_hand(aws)
        if fault:
            aws.inject(fault)
        start = CLOCK.now()
        verdict, seconds = _ecspresso(aws, made["targetGroup"], role, "nginx:1.27")
        calls = aws.calls()
        at_verdict = _truth(aws, made["targetGroup"])
        aws.advance(max(0.0, start + LATER - CLOCK.now()))
        later = _truth(aws, made["targetGroup"])
        more: dict[str, Any] = {"transitions": "-"}
        if lattice_counted:
            more["second run"] = _rerun(aws)
            associations = aws.client("vpc-lattice").list_service_network_service_associations(
                serviceIdentifier=made["service"]
            )["items"]
            more["service in a network"] = "yes" if associations else "no (never associated)"
        return _row(aws, verdict, seconds, calls, at_verdict, later, **more)
    finally:
        aws.__exit__(None, None, None)


def _rerun(aws: EmbeddedAws) -> str:
    try:
        _lattice_by_hand(aws)
    except ClientError as exc:
        error = exc.response["Error"]
        return f"stops at {exc.operation_name}: {error['Code']}"
    return "creates everything again"


SCENARIOS: dict[str, tuple[str | None, bool]] = {
    "first deploy, healthy": (None, False),
    "first deploy, targets UNHEALTHY": ("unhealthy-targets", False),
    "new image, targets UNHEALTHY": ("unhealthy-targets:myservice:2", True),
}
WAYS: dict[str, Callable[[str | None, bool], dict[str, Any]]] = {
    "lattice-deploy": workflow,
    "ecspresso-style wait": lambda fault, update: by_hand(fault, update, False),
}


def tables() -> str:
    lines = []
    for scenario, (fault, update) in SCENARIOS.items():
        rows = {way: run(fault, update) for way, run in WAYS.items()}
        if scenario == "first deploy, healthy":
            rows["origin document's procedure"] = by_hand(fault, update, True)
        lines += [f"### {scenario}", "", _markdown(rows), ""]
    return "\n".join(lines)


def _markdown(rows: dict[str, dict[str, Any]]) -> str:
    keys = list(dict.fromkeys(k for row in rows.values() for k in row))
    out = ["| | " + " | ".join(rows) + " |", "|---|" + "---|" * len(rows)]
    out += [
        f"| {k} | " + " | ".join(str(r.get(k, "-")) for r in rows.values()) + " |" for k in keys
    ]
    return "\n".join(out)


HEADER = """# Benchmarks: lattice-deploy beside what users would do instead

Written by `make bench` (`bench/compare_bench.py`) from one run on the embedded AWS; every figure
is read from that run. Each way deploys examples/myservice in a fresh account:

- **lattice-deploy**: one execution of the state machine; calls are every AWS call the execution
  made (lock, deploy, health polls, rollback, report), transitions its state transitions.
- **ecspresso-style wait**: the Lattice side made beforehand (not counted); RegisterTaskDefinition
  and CreateService/UpdateService, then DescribeServices every 15 s until ECS's services-stable
  condition (one deployment, runningCount = desiredCount) or the 10 min timeout. It never reads
  Lattice target health.
- **origin document's procedure**: its `aws vpc-lattice` commands in its order (with the two
  fixes a reader must make: ids where it passes names, an IP target group where it makes an
  INSTANCE one), then ecspresso as above; "second run" is the same script run again.

"Lattice when it ends" is what Lattice says of the target group's targets when the way gives its
verdict; "10 min on" ten virtual minutes after the deploy started. A SUCCESS whose targets are not
all HEALTHY then is a false success; one given before they were is premature.

"""


def main(argv: list[str]) -> int:
    text = HEADER + tables()
    print(text)
    if argv[:1] == ["--write"]:
        Path(argv[1]).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
