"""Where a deployment runs: the embedded AWS in process, a running ``serve``, or a real stack."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .stack import DEPLOY_MACHINE, ROOT

STACK = "lattice-deploy"


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


def samconfig(path: Path = ROOT / "samconfig.toml") -> dict[str, Any]:
    params = (
        tomllib.loads(path.read_text()).get("default", {}).get("global", {}).get("parameters", {})
    )
    return {"stack_name": params.get("stack_name", STACK), "region": params.get("region")}


def real_aws(region: str | None = None) -> Target:
    """The stack ``sam deploy`` created, named in ``samconfig.toml``: its outputs give the rest."""
    config = samconfig()
    session = boto3.session.Session(region_name=region or config["region"])
    stack = session.client("cloudformation").describe_stacks(StackName=config["stack_name"])[
        "Stacks"
    ][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    sfn = session.client("stepfunctions")
    arn = outputs["DeployStateMachineArn"]
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    table = outputs.get("DeploymentsTableName", "")
    return Target(session, outputs["BundleBucketName"], arn, definition, table)


def connect(endpoint_url: str | None, region: str | None) -> Target:
    """The stack a running ``serve`` holds (``endpoint_url``), else the real one."""
    try:
        return served(endpoint_url, region or "") if endpoint_url else real_aws(region)
    except (LookupError, BotoCoreError, ClientError) as exc:
        where = endpoint_url or "the stack named in samconfig.toml"
        raise Unreachable(
            f"cannot reach the lattice-deploy stack at {where}: {exc}. Start "
            "`lattice-deploy serve`, pass its URL, or `sam deploy` the stack first"
        ) from exc
