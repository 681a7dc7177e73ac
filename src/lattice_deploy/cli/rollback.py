"""``lattice-deploy rollback SERVICE [--to VERSION]``: deploy an earlier version of a service
again, through the deploy state machine, so it is gated and rolled back like any deploy.

VERSION is an earlier deployment's execution name as ``status`` shows it (or a unique start of
it); by default the newest succeeded deployment that deployed something other than what runs now.
``--endpoint-url`` goes to a running ``serve``, else the real stack ``--stack`` names; there is no
``--local``: a fresh embedded AWS has no history to go back to. Progress as ``deploy`` prints it;
``--json`` prints the summary; ``--dry-run`` says what it would deploy and starts nothing.
Exit codes: 0 succeeded (or a dry run), 1 failed (rolled back), 2 nothing to go to, or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from ..emulator import demo_account as demo
from ..runner import rollback, run, targets


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "rollback", help="deploy an earlier version of a service again (gated like a deploy)"
    )
    parser.add_argument("service", help="the ECS service")
    parser.add_argument(
        "--to",
        metavar="VERSION",
        help="the deployment to go back to: its execution name as `status` shows it, or a unique "
        "start of it (default: the newest succeeded one that deployed something other than what "
        "runs now)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what it would deploy; start nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument("--endpoint-url", help="run on a `lattice-deploy serve` at this URL")
    targets.add_stack_argument(parser)
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's, else boto3's)")
    parser.set_defaults(run=run_rollback)


def _out(args: argparse.Namespace) -> Callable[[str], None]:
    def out(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    return out


def run_rollback(args: argparse.Namespace) -> int:
    out = _out(args)
    region = args.region or (demo.REGION if args.endpoint_url else None)
    try:
        target = targets.connect(args.endpoint_url, region, args.stack)
        choice = rollback.choose(target, args.service, args.to)
    except targets.Unreachable as exc:
        out(str(exc))
        return 2
    except rollback.Refused as exc:
        out(f"lattice-deploy rollback: {exc}")
        return 2
    for line in rollback.described(choice):
        out(line)
    if args.dry_run:
        out("nothing started (--dry-run)")
        if args.json:
            print(json.dumps(rollback.dry_run(choice), indent=2))
        return 0
    summary = rollback.redeploy(target, choice, out)
    out(run.headline(summary))
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    return run.exit_code(summary)
