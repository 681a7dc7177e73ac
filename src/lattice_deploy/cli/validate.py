"""``lattice-deploy validate DIR``: check a bundle offline, with the checks the state machine's
first state runs. Exit 0 valid, 2 invalid; every message names the file, the field, what is
wrong and how to fix it. ``--json`` prints ``{"valid": …, "problems": […]}``."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from deployer.bundle import ecspresso_yaml, plugins, render, validate
from deployer.bundle import normalize as bundle
from deployer.bundle.account_check import plan_of
from deployer.core.errors import DeployError

from ..emulator import demo_account as demo
from ..runner.execution import offline_ssm, read_bundle, rendered
from ..runner.targets import use_endpoint
from . import source


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate", help="check a bundle offline (exit 0 valid, 2 invalid)"
    )
    source.add_arguments(parser)
    parser.add_argument(
        "--env", dest="environment", default="dev", help="environment prefix of created names"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--endpoint-url",
        help="also check against the account of a `lattice-deploy serve` (read calls only)",
    )
    parser.add_argument(
        "--account", action="store_true", help="also check against the account boto3 finds"
    )
    parser.set_defaults(run=run)


class _Unset(dict[str, str]):
    """The caller's environment, with a stand-in for each variable it lacks."""

    def __missing__(self, key: str) -> str:
        return f"<{key} unset>"

    def __contains__(self, key: object) -> bool:
        return True


def _fallback(name: str, text: str, files: dict[str, str], kept: dict[str, str]) -> bool:
    """``text`` rendered (with the config ``kept``) with stand-ins for unset variables, else
    left as it is; False when even that cannot be."""
    try:
        done = render.render_files({**kept, name: text}, _Unset(os.environ), offline_ssm)
        files[name] = done.get(name, text)
        return True
    except DeployError:
        files[name] = text
        return False


def _rendered(raw: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The files rendered. When that fails, each file is rendered on its own (with the config,
    whose plugins give its functions): one whose template cannot be (a must_env variable unset)
    is said once, then rendered with stand-ins for what is unset (else left as it is), so the
    rest of it and the other files are still checked. A config whose templates or plugins say
    what this deployer does not know is said alone: the rest would only follow from it."""
    try:
        return rendered(raw), []
    except DeployError:
        pass
    files: dict[str, str] = {}
    problems: list[str] = []
    kept: dict[str, str] = {}
    if config := next((n for n in ecspresso_yaml.NAMES if n in raw), None):
        try:
            files[config] = render.render(raw[config], config, os.environ, offline_ssm)
        except DeployError as exc:
            problems.append(str(exc))
            if not _fallback(config, raw[config], files, {}):
                return {}, problems
        try:
            parsed = bundle.config_of({config: files[config]})
        except DeployError:
            parsed = None  # validate says where (file:line:col); the definitions are still checked
        if parsed is not None:
            try:  # a plugin it cannot set up: said once, not again in each file using it
                plugins.functions(parsed, plugins.StandIns(offline_ssm, raw))
                states = {n: raw[n] for n in plugins.local_states(parsed) if n in raw}
            except DeployError as exc:
                return {}, [*problems, str(exc)]
            kept = {config: raw[config], **states}
    for name, text in raw.items():
        if name == config:
            continue
        try:
            files[name] = rendered({**kept, name: text}).get(name, text)
        except DeployError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
            _fallback(name, text, files, kept)
    return files, problems


def run(args: argparse.Namespace) -> int:
    try:
        raw = read_bundle(source.resolve(args), strict=False)
        files, problems = _rendered(raw)
        problems += validate.problems_in(files, args.environment) if files else []
        problems = list(dict.fromkeys(problems))  # a config's error said by both
        if not problems and (args.endpoint_url or args.account):
            region = str(bundle.config_of(files).get("region") or demo.REGION)
            use_endpoint(args.endpoint_url, region)
            plan_of(rendered(raw, account=True), "validate", args.environment)
        notes = validate.notices_in(files, args.environment)
    except (DeployError, OSError) as exc:
        problems, notes = [str(exc)], []
    except (BotoCoreError, ClientError) as exc:  # no credentials, nothing at the endpoint
        where = args.endpoint_url or "the account boto3 finds (--account)"
        problems, notes = (
            [
                f"cannot check against {where}: {exc}; set AWS credentials (aws configure), or "
                "start `lattice-deploy serve` and pass --endpoint-url"
            ],
            [],
        )
    if args.json:
        print(json.dumps({"valid": not problems, "problems": problems, "notes": notes}, indent=2))
        return 2 if problems else 0
    if problems:
        print(f"{args.directory}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"{args.directory}: valid")
    for note in notes:
        print(f"  note: {note}")
    return 2 if problems else 0
