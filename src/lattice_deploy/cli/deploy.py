"""``lattice-deploy deploy DIR``: deploy an ecspresso bundle as one Step Functions execution.

``--local`` runs it on an embedded AWS in this process (stack deployed from ``template.yaml``),
``--endpoint-url`` on a running ``serve``, and neither on the real stack ``--stack`` names.
Progress is printed state by state; ``--json`` prints the summary document; ``--github`` also
writes the outcome as GitHub Actions takes it (:mod:`lattice_deploy.runner.github`: the action's
outputs and job summary), on every way out, a refused bundle too.
Exit codes: 0 succeeded, 1 failed, 2 invalid bundle or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3

from deployer.bundle import normalize as bundle
from deployer.bundle import validate, validate_values
from deployer.core.errors import BundleInvalid

from ..emulator import demo_account as demo
from ..emulator.control import ControlClient
from ..emulator.faults import Fault, FaultSpecError
from ..runner import execution, github, run, targets
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
        "--github",
        action="store_true",
        help="GitHub Actions: write the outcome to $GITHUB_OUTPUT (execution-arn, status, "
        "report-url) and $GITHUB_STEP_SUMMARY, each when set, and an ::error:: line on failure",
    )
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


def _refuse(args: argparse.Namespace, message: str) -> int:
    """Exit 2 before any execution started, saying why (in the job summary too)."""
    _out(args)(message)
    if args.github:
        _out(args)(github.refused(message))
    return 2


def run_deploy(args: argparse.Namespace) -> int:
    try:
        files = execution.rendered(execution.read_bundle(source.resolve(args)))
        validate.check(files, args.environment or "dev")  # before any upload or AWS call
        refused: list[str] = []
        validate_values.region(args.region, "--region", refused)
        if refused:
            raise BundleInvalid(refused[0])
        faults = [Fault.parse(spec) for spec in args.inject]
    except (BundleInvalid, OSError) as exc:
        return _refuse(args, f"invalid bundle: {exc}")
    except FaultSpecError as exc:
        return _refuse(args, f"invalid --inject: {exc}")
    if faults and not (args.local or args.endpoint_url):
        return _refuse(
            args, "--inject drives the embedded AWS: use it with --local or --endpoint-url"
        )
    try:
        summary = _run(args, files, faults)
    except targets.Unreachable as exc:
        return _refuse(args, str(exc))
    except Exception as exc:  # e.g. the connection lost while following (main says what to do)
        if args.github:
            stopped = f"the CLI stopped while following the deploy: {exc}"
            _out(args)(github.refused(stopped, github.LOST))
        raise
    out = _out(args)
    out(run.headline(summary))
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    if args.github:
        on_aws = not (args.local or args.endpoint_url)
        if error := github.write(summary, links=on_aws):
            out(error)
    return run.exit_code(summary)


def _run(args: argparse.Namespace, files: dict[str, str], faults: list[Fault]) -> dict[str, Any]:
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
            return _deploy(args, target, faults, aws)
    target = targets.connect(
        args.endpoint_url, region if args.endpoint_url else args.region, args.stack
    )
    control = ControlClient(args.endpoint_url) if faults else None
    return _deploy(args, target, faults, control)
