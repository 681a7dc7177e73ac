"""``lattice-deploy status [SERVICE]``: who deploys the service now, its newest request, and its
recent executions (started by an upload, an ECR push or ``deploy``) with their outcome.

``--endpoint-url`` reads a running ``serve``; without it, the real stack named in
``samconfig.toml``. Read calls only. Exit codes: 0, or 2 when there is no stack to read.
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
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's)")
    parser.add_argument("--limit", type=int, default=10, help="executions to show (default 10)")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.set_defaults(run=run_status)


def render(found: dict[str, Any]) -> list[str]:
    lines = []
    if "turn" in found:
        turn = found["turn"]
        holder = turn["holder"].rsplit(":", 1)[-1] if turn["holder"] else "nobody"
        lines.append(f"{found['service']}: deploying now: {holder}")
        if turn["newestRequest"]:
            lines.append(f"  newest request #{turn['newestRequest']}: {turn['newestRequestBy']}")
    if not found["executions"]:
        lines.append("  no deployments yet")
    for run in found["executions"]:
        mark = MARKS.get(run["status"], "?")
        lines.append(f"  {mark} {run['status']:<10} {run['execution']}  {run['started']}")
        lines.append(f"      by {run['by']}")
        if run.get("why"):
            lines.append(f"      {run['why']}")
    return lines


def run_status(args: argparse.Namespace) -> int:
    region = args.region or (demo.REGION if args.endpoint_url else None)
    try:
        target = targets.connect(args.endpoint_url, region)
    except targets.Unreachable as exc:
        print(exc)
        return 2
    found = status(target, args.service, args.limit)
    print(json.dumps(found, indent=2) if args.json else "\n".join(render(found)))
    return 0
