"""``lattice-deploy plan DIR``: what a deploy would create, adopt, change (with a field diff) and
leave alone, found with read calls only. ``--endpoint-url`` plans against a running ``serve``,
``--local`` against a fresh embedded AWS; without either, against the account boto3 finds.
Exit 0 (a plan was made), 2 invalid bundle or nothing to plan against."""

from __future__ import annotations

import argparse
import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from deployer.bundle import normalize as bundle
from deployer.bundle import validate
from deployer.bundle.account_check import plan_of
from deployer.bundle.plan import plan_changes
from deployer.core.errors import DeployError

from ..emulator import demo_account as demo
from ..runner.execution import read_bundle, rendered
from ..runner.targets import use_endpoint
from . import source

MARKS = {"create": "+", "adopt": "=", "change": "~", "unchanged": "="}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("plan", help="show what a deploy would change (read calls only)")
    source.add_arguments(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--endpoint-url", help="plan against a `lattice-deploy serve` at this URL")
    where.add_argument(
        "--local", action="store_true", help="plan against a fresh embedded AWS (the demo account)"
    )
    parser.add_argument(
        "--env", dest="environment", default="dev", help="environment prefix of created names"
    )
    parser.add_argument("--region", help="AWS region (default: ecspresso.yml's)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.set_defaults(run=run)


def render(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for item in items:
        mark, name = MARKS[item["action"]], item["name"] or ""
        lines.append(f"  {mark} {item['resource']:<20} {item['action']:<10} {name}")
        for diff in item["diff"]:
            current, desired = json.dumps(diff["current"]), json.dumps(diff["desired"])
            lines.append(f"      {diff['path']}: {current} → {desired}")
    changes = sum(item["action"] in ("create", "change") for item in items)
    lines.append("No changes." if not changes else f"{changes} resource(s) to create or change.")
    return lines


def _plan(raw: dict[str, str], environment: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The changes, and the notes the run would give (what was dropped, named or derived)."""
    files = rendered(raw, account=True)  # SSM read in the account planned against
    plan = plan_of(files, "plan", environment)
    notes = validate.notices_in(files, environment) + list(plan.get("warnings") or [])
    return plan_changes(plan), notes


def run(args: argparse.Namespace) -> int:
    try:
        raw = read_bundle(source.resolve(args))
        config = bundle.config_of(rendered(raw))
        region = str(args.region or config.get("region") or demo.REGION)
        if args.local:
            from ..emulator import EmbeddedAws  # moto loads only for --local

            with EmbeddedAws(region=region):
                items, notes = _plan(raw, args.environment)
        else:
            use_endpoint(args.endpoint_url, region)
            items, notes = _plan(raw, args.environment)
    except (DeployError, OSError, ClientError) as exc:
        print(f"cannot plan: {exc}")
        return 2
    except BotoCoreError as exc:  # no endpoint or no credentials: nothing to read
        print(f"cannot plan: {exc}; start `lattice-deploy serve`, use --local, or set AWS creds")
        return 2
    if args.json:
        print(json.dumps({"changes": items, "notes": notes}, indent=2, default=str))
    else:
        print(f"plan for {args.directory}:")
        print("\n".join(render(items)))
        print("".join(f"  note: {note}\n" for note in notes), end="")
    return 0
