"""``lattice-deploy validate DIR``: check a bundle offline, with the checks the state machine's
first state runs. Exit 0 valid, 2 invalid; every message names the file, the field, what is
wrong and how to fix it. ``--json`` prints ``{"valid": …, "problems": […]}``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from deployer import validate
from deployer.errors import BundleInvalid

from ..runner.execution import read_bundle


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate", help="check a bundle offline (exit 0 valid, 2 invalid)"
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--env", dest="environment", default="dev", help="environment prefix of created names"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        problems = validate.problems_in(read_bundle(args.directory, strict=False), args.environment)
    except (BundleInvalid, OSError) as exc:
        problems = [str(exc)]
    if args.json:
        print(json.dumps({"valid": not problems, "problems": problems}, indent=2))
    elif problems:
        print(f"{args.directory}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"{args.directory}: valid")
    return 2 if problems else 0
