"""``lattice-deploy status [SERVICE]``: who deploys the service now, its newest request, its
recent executions (started by an upload, an ECR push, ``deploy`` or ``rollback``) with their
outcome, and the versions ``rollback`` can go to.

With SERVICE, also whether it is healthy now: the ECS service (revision, counts, each
deployment's rollout) and its VPC Lattice target group's targets with status and reason.
``--endpoint-url`` reads a running ``serve``; without it, the real stack ``--stack`` names.
Read calls only. Exit codes: 0 healthy and the newest deployment succeeded
(or a list of services), 1 unhealthy or the newest deployment failed, 2 no stack to read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..emulator import demo_account as demo
from ..runner import targets
from ..runner.status import status

MARKS = {"SUCCEEDED": "✓", "FAILED": "✗", "RUNNING": "…", "SUPERSEDED": "↷"}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("status", help="show a service's deployments and who holds it")
    parser.add_argument("service", nargs="?", help="the ECS service (default: every service)")
    parser.add_argument("--endpoint-url", help="read a `lattice-deploy serve` at this URL")
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's, else boto3's)")
    targets.add_stack_argument(parser)
    parser.add_argument("--limit", type=int, default=10, help="executions to show (default 10)")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.set_defaults(run=run_status)


def _health_lines(health: dict[str, Any]) -> list[str]:
    lines = [f"  {'healthy' if health['healthy'] else 'NOT HEALTHY'}"]
    ecs = health.get("ecs")
    if not ecs:
        lines.append("  ECS: the service does not exist")
    else:
        lines.append(f"  ECS: {ecs['taskDefinition']}, {ecs['running']}/{ecs['desired']} running")
        for d in ecs["deployments"]:
            lines.append(
                f"    {d['status']:<8} {d['taskDefinition']} {d['rolloutState']} "
                f"{d['running']}/{d['desired']}"
            )
    lattice = health["lattice"]
    lines.append(f"  VPC Lattice: target group {lattice.get('targetGroup')}")
    if auth := lattice.get("auth"):
        lines.append(f"  auth: {auth['summary']}")
    for t in lattice["targets"]:
        reason = f" ({t['reasonCode']})" if t.get("reasonCode") else ""
        lines.append(f"    {t['id']}:{t['port']} {t['status']}{reason}")
    return lines


def exit_code(found: dict[str, Any]) -> int:
    """0 healthy and the newest deployment succeeded; 1 otherwise (one service); 0 for a list."""
    if not found.get("service"):
        return 0
    decided = [r for r in found["executions"] if r["status"] != "SUPERSEDED"]
    newest_ok = bool(decided) and decided[0]["status"] in ("SUCCEEDED", "RUNNING")
    return 0 if newest_ok and (found.get("health") or {}).get("healthy") else 1


def render(found: dict[str, Any]) -> list[str]:
    lines = []
    if "turn" in found:
        turn = found["turn"]
        holder = turn["holder"].rsplit(":", 1)[-1] if turn["holder"] else "nobody"
        lines.append(f"{found['service']}: deploying now: {holder}")
        if turn["newestRequest"]:
            lines.append(f"  newest request #{turn['newestRequest']}: {turn['newestRequestBy']}")
    if "health" in found:
        lines += _health_lines(found["health"])
    if not found["executions"]:
        lines.append("  no deployments yet")
    for run in found["executions"]:
        mark = MARKS.get(run["status"], "?")
        lines.append(f"  {mark} {run['status']:<10} {run['execution']}  {run['started']}")
        lines.append(f"      by {run['by']}")
        if run.get("why"):
            lines.append(f"      {run['why']}")
    return lines + _rollback_lines(found)


def _rollback_lines(found: dict[str, Any]) -> list[str]:
    """The versions ``rollback --to`` takes, newest first: what runs now, and the default."""
    choices = found.get("rollbackTo") or []
    if not choices:
        return []
    command = f"lattice-deploy rollback {found['service']} --to NAME"
    lines = [f"  versions to roll back to (`{command}`):"]
    for choice in choices:
        said = (
            " (running now)"
            if choice["running"]
            else " (rollback's default)"
            if choice["default"]
            else ""
        )
        lines.append(f"    {choice['execution']}  {choice['started']}{said}")
    return lines


def run_status(args: argparse.Namespace) -> int:
    region = args.region or (demo.REGION if args.endpoint_url else None)
    try:
        target = targets.connect(args.endpoint_url, region, args.stack)
    except targets.Unreachable as exc:
        print(exc)
        return 2
    found = status(target, args.service, args.limit)
    print(json.dumps(found, indent=2) if args.json else "\n".join(render(found)))
    return exit_code(found)
