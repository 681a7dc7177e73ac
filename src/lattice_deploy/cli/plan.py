"""``lattice-deploy plan DIR``: what a deploy would create, adopt, change (with a field diff) and
leave alone, found with read calls only. ``--endpoint-url`` plans against a running ``serve``;
without it, against the account boto3 finds. Exit 0 (a plan was made), 2 invalid bundle."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from deployer import bundle
from deployer.errors import DeployError
from deployer.load_bundle import plan_of, ssm_parameter
from deployer.plan import plan_changes

from ..emulator import demo_account as demo
from ..runner.execution import read_bundle, rendered
from ..runner.targets import use_endpoint

MARKS = {"create": "+", "adopt": "=", "change": "~", "unchanged": "="}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("plan", help="show what a deploy would change (read calls only)")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--endpoint-url", help="plan against a `lattice-deploy serve` at this URL")
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


def run(args: argparse.Namespace) -> int:
    try:
        raw = read_bundle(args.directory)
        config = bundle.config_of(rendered(raw))
        region = str(args.region or config.get("region") or demo.REGION)
        use_endpoint(args.endpoint_url, region)
        files = rendered(raw, ssm_parameter)  # SSM read in the account planned against
        items = plan_changes(plan_of(files, "plan", args.environment))
    except (DeployError, OSError, ClientError) as exc:
        print(f"cannot plan: {exc}")
        return 2
    if args.json:
        print(json.dumps({"changes": items}, indent=2, default=str))
    else:
        print(f"plan for {args.directory}:")
        print("\n".join(render(items)))
    return 0
