"""``lattice-deploy smoke``: prove a deployed stack works on this account, and leave nothing.

A throwaway copy of examples/myservice (``smoke-<random>``) is deployed and seen HEALTHY, made
to fail its health gate and seen rolled back, then removed; the account must list as it did
before (:mod:`..runner.smoke`). ``--endpoint-url`` runs it on a ``serve`` (the demo account has
the example's cluster and network); without it, on the stack ``--stack`` names, in the cluster,
subnets and security groups given (required there: the example's are the demo account's).
``--remove NAME`` only removes what smoke test NAME left (the command a failed run prints).
Exit codes: 0 passed, 1 a stage failed (what was left is listed, with the command removing it),
2 invalid usage or no stack.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import Any

from deployer.bundle import validate_values

from ..emulator import demo_account as demo
from ..emulator.control import ControlClient
from ..runner import targets, throwaway
from ..runner.pace import Pace
from ..runner.smoke import Smoke
from ..runner.teardown import NAME

ROLE = "ecsTaskExecutionRole"
IDS = {"--subnets": r"subnet-[0-9a-f]{8,17}", "--security-groups": r"sg-[0-9a-f]{8,17}"}


def _ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "smoke",
        help="prove the stack on this account: a throwaway deploy, a failed one rolled back, "
        "then removed",
    )
    parser.add_argument("--endpoint-url", help="run on a `lattice-deploy serve` at this URL")
    targets.add_stack_argument(parser)
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's, else boto3's)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    place = parser.add_argument_group("where the throwaway service runs (real account: required)")
    place.add_argument("--cluster", help="ECS cluster (Fargate capacity)")
    place.add_argument("--subnets", type=_ids, default=[], help="comma-separated subnet ids")
    place.add_argument(
        "--security-groups",
        type=_ids,
        default=[],
        help="comma-separated ids; VPC Lattice's prefix list must reach port 80",
    )
    place.add_argument("--service-network", help="name or ARN (default: the VPC's, else made)")
    place.add_argument(
        "--execution-role", help=f"task execution role, name or ARN (default: {ROLE})"
    )
    place.add_argument("--image", help="container image serving HTTP on 80 (default: nginx)")
    place.add_argument(
        "--assign-public-ip", action="store_true", help="for public subnets without NAT"
    )
    parser.add_argument(
        "--remove", metavar="NAME", help="only remove what smoke test NAME left (smoke-…)"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print each execution's states (stderr)"
    )
    parser.set_defaults(run=run_smoke)


def _refused(args: argparse.Namespace) -> str:
    """Why the arguments cannot run ('' when they can)."""
    problems: list[str] = []
    validate_values.region(args.region, "--region", problems)
    if args.remove and not NAME.fullmatch(args.remove):
        problems.append(f"--remove {args.remove!r}: not a smoke test's name (smoke-<random>)")
    for option, pattern in IDS.items():
        for value in getattr(args, option[2:].replace("-", "_")):
            if not re.fullmatch(pattern, value):
                problems.append(f"{option}: {value!r} is not an id ({pattern})")
    if not args.endpoint_url and not args.remove:
        missing = [
            o
            for o in ("--cluster", "--subnets", "--security-groups")
            if not getattr(args, o[2:].replace("-", "_"))
        ]
        if missing:
            problems.append(
                f"on a real account give {', '.join(missing)}: where the throwaway service "
                "runs (the example names the demo account's; with --endpoint-url serve has them)"
            )
    elif args.remove and not args.endpoint_url and not args.cluster:
        problems.append("--remove on a real account needs --cluster (the one the test ran in)")
    return "; ".join(problems)


def _role(args: argparse.Namespace, target: targets.Target) -> str | None:
    """The execution role as an ARN: serve's demo keeps the example's unless one is given."""
    if args.execution_role and args.execution_role.startswith("arn:"):
        return str(args.execution_role)
    if args.endpoint_url and not args.execution_role:
        return None
    caller = target.session.client("sts").get_caller_identity()
    partition = str(caller["Arn"]).split(":")[1]
    return f"arn:{partition}:iam::{caller['Account']}:role/{args.execution_role or ROLE}"


def remove_command(args: argparse.Namespace, name: str, cluster: str) -> str:
    parts = ["lattice-deploy smoke --remove", name, "--cluster", cluster]
    for option in ("endpoint_url", "stack", "region"):
        if getattr(args, option):
            parts += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    return " ".join(parts)


def _lines(args: argparse.Namespace) -> tuple[Callable[[str], None], Callable[[str], None]]:
    def out(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    def progress(line: str) -> None:
        if args.verbose:
            print(f"      {line}", file=sys.stderr, flush=True)

    return out, progress


def _left_lines(result: dict[str, Any], command: str) -> list[str]:
    """Each thing left: the teardown's, with its command, then what only the listing shows."""
    left = result.get("left") or []
    lines = [f"  left: {i['type']} {i['id']}: {i.get('remove') or i['reason']}" for i in left]
    added = (result.get("difference") or {}).get("added") or {}
    named = {str(i["id"]) for i in left}
    lines += [
        f"  left: {kind} {item}"
        for kind, items in added.items()
        for item in items
        if not named & set(item.split())
    ]
    return [*lines, f"Remove what is left with: {command}"] if lines else []


def _placement(args: argparse.Namespace, target: targets.Target, region: str | None) -> Any:
    return throwaway.Placement(
        region=str(region if args.endpoint_url else target.session.region_name),
        cluster=args.cluster or "",
        subnets=args.subnets,
        security_groups=args.security_groups,
        execution_role=None if args.remove else _role(args, target),
        image=args.image,
        service_network=args.service_network,
        public_ip=args.assign_public_ip,
    )


def run_smoke(args: argparse.Namespace) -> int:
    out, progress = _lines(args)
    if problem := _refused(args):
        out(f"lattice-deploy smoke: {problem}")
        return 2
    region = args.region or (demo.REGION if args.endpoint_url else None)
    try:
        target = targets.connect(args.endpoint_url, region, args.stack)
    except targets.Unreachable as exc:
        out(str(exc))
        return 2
    pace = Pace(ControlClient(args.endpoint_url) if args.endpoint_url else None)
    clock = "virtual time" if pace.virtual else "wall-clock time"
    where = _placement(args, target, region)
    smoke = Smoke(
        target, where, pace, out, progress, **({"name": args.remove} if args.remove else {})
    )
    command = remove_command(args, smoke.name, where.cluster)
    place = f"serve at {args.endpoint_url}" if args.endpoint_url else "AWS"
    doing = "removing what it left" if args.remove else "a throwaway service"
    out(
        f"lattice-deploy smoke: {smoke.name} on cluster {where.cluster} ({doing}; {place}; {clock})"
    )
    try:
        result = smoke.remove_only() if args.remove else smoke.run()
    except KeyboardInterrupt:
        out(f"interrupted: once its execution has ended, remove what it made with: {command}")
        return 1
    if result["passed"]:
        took = f" in {result['seconds']:.0f}s of {clock}" if not args.remove else ""
        out(f"PASSED{took}: nothing of {smoke.name} is left")
    else:
        result["remove"] = command
        failed = ", ".join(s["stage"] for s in result["stages"] if not s["passed"])
        lines = _left_lines(result, command)
        out(f"FAILED: {failed}" + ("" if lines else f"; nothing of {smoke.name} is left"))
        for line in lines:
            out(line)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    return 0 if result["passed"] else 1
