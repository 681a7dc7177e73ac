"""``lattice-deploy doctor``: before the first deploy on an account, will it work there?

Read calls only (Describe*, Get*, List*, Head*, IAM's policy simulator, and a ranged download of
the SDK layer's archive). One line per check, each problem with its fix (the AWS CLI command, or
what to change in the template or the bundle); ``--json`` the same as a document. Exit codes: 0
nothing would fail (warnings allowed), 1 something would, 2 nothing to read (no stack there, no
credentials, no endpoint).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..emulator import demo_account as demo
from ..runner import targets


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor", help="check, before the first deploy, that deploys will work on this account"
    )
    parser.add_argument(
        "bundles",
        nargs="*",
        metavar="DIR",
        help="bundles to check beside those in the stack's bucket (default: the bucket's only)",
    )
    parser.add_argument("--endpoint-url", help="check a `lattice-deploy serve` at this URL")
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's, else boto3's)")
    targets.add_stack_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    parser.set_defaults(run=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from .. import doctor
    from ..doctor.account import open_account

    region = args.region or (demo.REGION if args.endpoint_url else None)
    try:
        account = open_account(args.endpoint_url, region, args.stack, args.bundles)
        checks = doctor.run(account)
    except doctor.Unreadable as exc:
        if args.json:
            print(json.dumps({"exitCode": 2, "error": str(exc), "checks": []}, indent=2))
        else:
            print(f"✗ lattice-deploy doctor: {exc}", file=sys.stderr)
        return 2
    code = doctor.exit_code(checks)
    if args.json:
        document = {
            "stack": account.stack_name,
            "region": account.region,
            "account": account.account_id,
            **({"endpointUrl": args.endpoint_url} if args.endpoint_url else {}),
            "exitCode": code,
            "checks": [c.to_dict() for c in checks],
        }
        print(json.dumps(document, indent=2))
    else:
        print("\n".join(doctor.lines(checks)))
        failed = [c.title for c in checks if c.status == doctor.FAIL]
        print(
            f"doctor: {', '.join(failed)} would fail; fix them before deploying"
            if failed
            else "doctor: nothing here would make a deploy fail"
        )
    return code
