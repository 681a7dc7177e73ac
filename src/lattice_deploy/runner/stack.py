"""Deploy the template's stack into an embedded account: the bucket, the roles, one Lambda function
per ``AWS::Serverless::Function`` (its handler run in process) and the state machine, its
definition read from ``DefinitionUri`` with ``DefinitionSubstitutions`` applied as AWS applies them.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from . import app
from . import template as cfn

DEPLOY_MACHINE = "DeployStateMachine"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "{}"}, "Action": "sts:AssumeRole"}],
}


@dataclass
class Stack:
    name: str
    region: str
    bucket: str
    state_machine_arn: str
    definition: dict[str, Any]
    functions: dict[str, str]
    state_machines: dict[str, str]
    """Every state machine of the template by logical id (the deploy one is the one above)."""


def _role(iam: Any, name: str, service: str) -> str:
    trust = json.dumps(TRUST).replace("{}", service)
    return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"])


def _bucket(s3: Any, bucket: str, region: str, properties: dict[str, Any]) -> None:
    """The bundle bucket with the template's versioning and EventBridge notifications."""
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    if (properties.get("VersioningConfiguration") or {}).get("Status") == "Enabled":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    notifications = properties.get("NotificationConfiguration") or {}
    if (notifications.get("EventBridgeConfiguration") or {}).get("EventBridgeEnabled"):
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )


def _table(session: Any, table: str, resource: dict[str, Any]) -> dict[str, str]:
    properties = resource.get("Properties") or {}
    made = session.client("dynamodb").create_table(
        TableName=table,
        KeySchema=properties["KeySchema"],
        AttributeDefinitions=properties["AttributeDefinitions"],
        BillingMode=properties.get("BillingMode", "PAY_PER_REQUEST"),
    )
    return {"Ref": table, "Arn": made["TableDescription"]["TableArn"]}


def _rules(
    events: Any, name: str, template: cfn.Template, attributes: dict[str, dict[str, str]]
) -> None:
    """Each function's ``EventBridgeRule`` events, as SAM expands them: a rule on the default
    bus with the function as its target."""
    for fn in template.functions:
        for event_id, event in (fn.properties.get("Events") or {}).items():
            if event["Type"] != "EventBridgeRule":
                continue
            rule = f"{name}-{fn.logical_id}-{event_id}"
            pattern = cfn.resolve(event["Properties"]["Pattern"], template, attributes)
            events.put_rule(Name=rule, EventPattern=json.dumps(pattern), State="ENABLED")
            events.put_targets(
                Rule=rule, Targets=[{"Id": fn.logical_id, "Arn": attributes[fn.logical_id]["Arn"]}]
            )


def _handler(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "code runs in process from functions/")
    return buffer.getvalue()


def deploy(
    region: str,
    template_path: Path | None = None,
    parameters: dict[str, Any] | None = None,
    name: str = "lattice-deploy",
) -> Stack:
    for quiet, value in (
        ("POWERTOOLS_LOG_LEVEL", "WARNING"),
        ("POWERTOOLS_METRICS_DISABLED", "true"),
    ):
        os.environ.setdefault(quiet, value)  # the CLI prints progress; the handlers' logs are noise
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    # The steps' Powertools Logger may predate this (imported by a trigger): give it the level too.
    logging.getLogger("lattice-deploy").setLevel(os.environ["POWERTOOLS_LOG_LEVEL"])
    from ..emulator.awslambda.models import HANDLERS  # moto: only when a stack is deployed

    template = cfn.load(template_path or app.root() / "template.yaml", parameters)
    session = boto3.session.Session(region_name=region)
    s3: Any = session.client("s3")
    iam: Any = session.client("iam")
    awslambda: Any = session.client("lambda")
    sfn: Any = session.client("stepfunctions")
    account = session.client("sts").get_caller_identity()["Account"]
    bucket = f"{name}-bundles-{account}-{region}"
    _bucket(s3, bucket, region, template.resources["BundleBucket"].get("Properties") or {})
    attributes: dict[str, dict[str, str]] = {
        "BundleBucket": {"Ref": bucket, "Arn": f"arn:aws:s3:::{bucket}"}
    }
    for logical_id, resource in template.resources.items():
        if "Condition" in resource:  # optional parts (GitHub's deploy role), off by default
            continue
        if resource["Type"] == "AWS::IAM::Role":
            arn = _role(iam, f"{name}-{logical_id}", "ecs.amazonaws.com")
            attributes[logical_id] = {"Ref": f"{name}-{logical_id}", "Arn": arn}
        elif resource["Type"] == "AWS::DynamoDB::Table":
            attributes[logical_id] = _table(session, f"{name}-{logical_id}", resource)
    lambda_role = _role(iam, f"{name}-FunctionRole", "lambda.amazonaws.com")
    functions: dict[str, str] = {}
    # ARNs are known before creation, as CloudFormation knows them: a function's environment may
    # name a state machine (the triggers), and the state machines name the functions.
    for machine in template.state_machines:
        arn = f"arn:aws:states:{region}:{account}:stateMachine:{name}-{machine.logical_id}"
        attributes[machine.logical_id] = {"Ref": arn, "Arn": arn, "Name": arn.rsplit(":", 1)[1]}
    for fn in template.functions:
        env = {k: str(v) for k, v in cfn.resolve(fn.environment, template, attributes).items()}
        os.environ.update(env)  # the functions share this process, and these values
        os.environ.setdefault("AWS_REGION", region)  # as the Lambda runtime sets it
        made = awslambda.create_function(
            FunctionName=f"{name}-{fn.logical_id}",
            Runtime=fn.properties["Runtime"],
            Role=lambda_role,
            Handler=fn.handler,
            Code={"ZipFile": _zip()},
            Environment={"Variables": env},
            Architectures=fn.properties.get("Architectures", ["arm64"]),
            Timeout=int(fn.properties.get("Timeout", 60)),
        )
        HANDLERS[made["FunctionName"]] = _handler(fn.handler)
        functions[fn.logical_id] = made["FunctionName"]
        attributes[fn.logical_id] = {"Ref": made["FunctionName"], "Arn": made["FunctionArn"]}
    _rules(session.client("events"), name, template, attributes)
    states_role = _role(iam, f"{name}-StatesRole", "states.amazonaws.com")
    definitions: dict[str, dict[str, Any]] = {}
    for machine in template.state_machines:
        values = {k: cfn.resolve(v, template, attributes) for k, v in machine.substitutions.items()}
        definition = cfn.substitute(machine.definition_path.read_text(), values)
        sfn.create_state_machine(
            name=attributes[machine.logical_id]["Name"], definition=definition, roleArn=states_role
        )
        definitions[machine.logical_id] = json.loads(definition)
    machines = {m.logical_id: attributes[m.logical_id]["Arn"] for m in template.state_machines}
    deploy_id = DEPLOY_MACHINE
    return Stack(
        name,
        region,
        bucket,
        machines[deploy_id],
        definitions[deploy_id],
        functions,
        machines,
    )
