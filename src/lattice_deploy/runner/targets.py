"""Where a deployment runs: the embedded AWS in process, a running ``serve``, or a real stack."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .stack import DEPLOY_MACHINE

STACK = "lattice-deploy"
STACK_VARIABLE = "LATTICE_DEPLOY_STACK"
"""The environment variable naming the stack, for a pipeline that sets it once per job."""


@dataclass
class Target:
    session: Any
    bucket: str
    state_machine_arn: str
    definition: dict[str, Any]
    table: str = f"{STACK}-DeploymentsTable"
    """The per-service ordering table (``DeploymentsTable``)."""


PROBE = Config(retries={"total_max_attempts": 1}, connect_timeout=5)


class Unreachable(Exception):
    """No lattice-deploy stack where the CLI was pointed; the message says what to start."""


class EndpointSession:
    """A boto3 session whose clients all go to one endpoint (a running ``serve``)."""

    def __init__(self, endpoint_url: str, region: str) -> None:
        # the embedded AWS's dummy keys, not a secret
        self._session = boto3.session.Session(  # nosec B106
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )
        self.endpoint_url = endpoint_url

    def client(self, service: str, **kwargs: Any) -> Any:
        return self._session.client(service, endpoint_url=self.endpoint_url, **kwargs)  # type: ignore[call-overload]


def use_endpoint(endpoint_url: str | None, region: str) -> None:
    """Send this process's boto3 clients (the steps' own, in ``plan``/``validate``) to a
    running ``serve``, or to the account boto3 finds when ``endpoint_url`` is None."""
    os.environ.setdefault("AWS_REGION", region)
    if endpoint_url:
        # the embedded AWS's dummy keys, not a secret
        os.environ.update(  # nosec B106
            AWS_ENDPOINT_URL=endpoint_url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
        )


def served(endpoint_url: str, region: str, stack: str = STACK) -> Target:
    """The stack ``serve`` deployed into its account at start."""
    session = EndpointSession(endpoint_url, region)
    sfn = session.client("stepfunctions", config=PROBE)  # nothing there: say so at once
    machines = [
        m
        for m in sfn.list_state_machines()["stateMachines"]
        if m["name"] == f"{stack}-{DEPLOY_MACHINE}"
    ]
    if not machines:
        raise LookupError(
            f"no {stack} state machine at {endpoint_url}; is `lattice-deploy serve` running there?"
        )
    arn = machines[0]["stateMachineArn"]
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    account = session.client("sts").get_caller_identity()["Account"]
    bucket, table = f"{stack}-bundles-{account}-{region}", f"{stack}-DeploymentsTable"
    return Target(session, bucket, arn, definition, table)


def samconfig(folder: Path | None = None) -> dict[str, Any]:
    """``sam deploy``'s own defaults, from ``samconfig.toml`` in the current directory (the
    user's SAM project, e.g. one ``lattice-deploy app`` wrote): its stack name and region."""
    path = (folder or Path.cwd()) / "samconfig.toml"
    if not path.is_file():
        return {}
    params = (
        tomllib.loads(path.read_text()).get("default", {}).get("global", {}).get("parameters", {})
    )
    return {"stack_name": params.get("stack_name"), "region": params.get("region")}


def stack_name(given: str | None) -> str:
    """``--stack``, else ``$LATTICE_DEPLOY_STACK``, else samconfig.toml's, else the default."""
    return given or os.environ.get(STACK_VARIABLE) or samconfig().get("stack_name") or STACK


def real_aws(region: str | None = None, stack: str | None = None) -> Target:
    """The stack ``sam deploy`` created (named as :func:`stack_name` says): its outputs give
    the rest. The region: ``--region``, else samconfig.toml's, else boto3's own default."""
    session = boto3.session.Session(region_name=region or samconfig().get("region"))
    found = session.client("cloudformation").describe_stacks(StackName=stack_name(stack))
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found["Stacks"][0].get("Outputs", [])}
    sfn = session.client("stepfunctions")
    arn = outputs["DeployStateMachineArn"]
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    table = outputs.get("DeploymentsTableName", "")
    return Target(session, outputs["BundleBucketName"], arn, definition, table)


def connect(endpoint_url: str | None, region: str | None, stack: str | None = None) -> Target:
    """The stack a running ``serve`` holds (``endpoint_url``), else the real one."""
    name = stack_name(stack)
    if not re.fullmatch(r"[A-Za-z][-A-Za-z0-9]{0,127}", name):  # CloudFormation's StackName
        raise Unreachable(
            f"--stack {name!r}: a stack name is a letter, then letters, digits and hyphens "
            "(at most 128 characters)"
        )
    try:
        if endpoint_url:
            return served(endpoint_url, region or "", name)
        return real_aws(region, name)
    except (LookupError, KeyError, BotoCoreError, ClientError) as exc:
        where = endpoint_url or "AWS"
        raise Unreachable(
            f"cannot reach the lattice-deploy stack {name!r} at {where}: {exc}. Start "
            "`lattice-deploy serve` and pass its URL, or `sam deploy` the stack first and name "
            f"it with --stack NAME (or ${STACK_VARIABLE})"
        ) from exc


def add_stack_argument(parser: Any) -> None:
    """``--stack``: every verb that talks to a deployed stack takes it the same way."""
    parser.add_argument(
        "--stack",
        metavar="NAME",
        help=f"the stack `sam deploy` made (default: ${STACK_VARIABLE}, else samconfig.toml's "
        f"stack_name in the current directory, else {STACK})",
    )
