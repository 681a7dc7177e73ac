"""``lattice-deploy deploy DIR``: deploy an ecspresso bundle as one Step Functions execution.

``--local`` runs it on an embedded AWS in this process (stack deployed from ``template.yaml``),
``--endpoint-url`` on a running ``serve``, and neither on the real stack ``--stack`` names.
Progress is printed state by state; ``--json`` prints the summary document.
Exit codes: 0 succeeded, 1 failed, 2 invalid bundle or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3

from deployer import bundle, validate, validate_values
from deployer.errors import BundleInvalid

from ..emulator import demo_account as demo
from ..emulator.control import ControlClient
from ..emulator.faults import Fault, FaultSpecError
from ..runner import execution, run, targets
from . import source

if TYPE_CHECKING:
    from ..emulator import EmbeddedAws


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "deploy", help="deploy a bundle directory (one Step Functions execution)"
    )
    source.add_arguments(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--local", action="store_true", help="run on an embedded AWS in this process"
    )
    where.add_argument("--endpoint-url", help="run on a `lattice-deploy serve` at this URL")
    targets.add_stack_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument(
        "--env",
        dest="environment",
        help="environment prefix of created names (default: the stack's)",
    )
    parser.add_argument(
        "--region", help="AWS region (default: ecspresso.yml's, else samconfig.toml's)"
    )
    parser.add_argument(
        "--inject",
        action="append",
        default=[],
        metavar="SPEC",
        help="embedded AWS only: a fault, e.g. unhealthy-targets, fail:CreateTargetGroup, "
        "throttle:CreateListener:2, crash-after:RegisterTaskDefinition, alarm:errors (repeatable)",
    )
    parser.set_defaults(run=run_deploy)


def _region(args: argparse.Namespace, files: dict[str, str]) -> str:
    return str(args.region or bundle.config_of(files).get("region") or demo.REGION)


def _out(args: argparse.Namespace) -> Callable[[str], None]:
    def out(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    return out


def _deploy(
    args: argparse.Namespace,
    target: targets.Target,
    faults: list[Fault],
    controls: EmbeddedAws | ControlClient | None,
) -> dict[str, Any]:
    """Run the deploy with ``--inject``'s faults scoped to it: injected for its execution and
    service just before it starts, and gone when it ends (the server also drops them then)."""
    if controls is None or not faults:
        return run.deploy_bundle(target, args.directory, args.environment, _out(args))
    owners: list[str] = []

    def inject(deployment_id: str, service: str) -> None:
        owners.append(deployment_id)
        for fault in faults:
            controls.inject(fault.scoped(deployment_id, service))

    try:
        return run.deploy_bundle(target, args.directory, args.environment, _out(args), inject)
    finally:
        for owner in owners:
            controls.clear_faults(owner)


def run_deploy(args: argparse.Namespace) -> int:
    out = _out(args)

    try:
        files = execution.rendered(execution.read_bundle(source.resolve(args)))
        validate.check(files, args.environment or "dev")  # before any upload or AWS call
        refused: list[str] = []
        validate_values.region(args.region, "--region", refused)
        if refused:
            raise BundleInvalid(refused[0])
        faults = [Fault.parse(spec) for spec in args.inject]
    except (BundleInvalid, OSError) as exc:
        out(f"invalid bundle: {exc}")
        return 2
    except FaultSpecError as exc:
        out(f"invalid --inject: {exc}")
        return 2
    if faults and not (args.local or args.endpoint_url):
        out("--inject drives the embedded AWS: use it with --local or --endpoint-url")
        return 2
    region = _region(args, files)
    if args.local:
        from ..emulator import EmbeddedAws  # moto loads only for --local
        from ..runner import stack

        with EmbeddedAws(region=region) as aws:
            made = stack.deploy(region)
            target = targets.Target(
                boto3.session.Session(region_name=region),
                made.bucket,
                made.state_machine_arn,
                made.definition,
            )
            summary = _deploy(args, target, faults, aws)
    else:
        try:
            target = targets.connect(
                args.endpoint_url, region if args.endpoint_url else args.region, args.stack
            )
        except targets.Unreachable as exc:
            out(str(exc))
            return 2
        control = ControlClient(args.endpoint_url) if faults else None
        summary = _deploy(args, target, faults, control)
    out(run.headline(summary))
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    return run.exit_code(summary)
