"""Deploy the template's stack into an embedded account: the bucket, the roles, the layers, one
Lambda function per ``AWS::Serverless::Function`` (its handler run in process, its role granting
the function's ``Policies`` as SAM makes it) and the state machine, its definition read from
``DefinitionUri`` with ``DefinitionSubstitutions`` applied as AWS applies them. What was made is
recorded as the CloudFormation stack SAM would leave (:mod:`..emulator.cloudformation.models`):
its outputs, parameters and resources answer ``DescribeStacks`` and ``ListStackResources``.
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

from . import app, layers
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


def _function_role(
    iam: Any, name: str, fn: cfn.Function, template: cfn.Template, attributes: dict[str, Any]
) -> str:
    """``<Function>Role``, as SAM makes it: trusted by Lambda, with each of the function's
    ``Policies`` statements documents as an inline policy ``<Function>RolePolicy<n>`` (SAM's
    managed policies (AWSLambdaBasicExecutionRole, X-Ray) are left out: moto loads none)."""
    role = f"{name}-{fn.logical_id}Role"
    arn = _role(iam, role, "lambda.amazonaws.com")
    documents = [p for p in fn.properties.get("Policies") or [] if isinstance(p, dict)]
    for number, document in enumerate(d for d in documents if "Statement" in d):
        iam.put_role_policy(
            RoleName=role,
            PolicyName=f"{fn.logical_id}RolePolicy{number}",
            PolicyDocument=json.dumps(cfn.resolve(document, template, attributes)),
        )
    return arn


def _layers(awslambda: Any, template: cfn.Template) -> dict[str, str]:
    """Each ``AWS::Serverless::LayerVersion`` published (its archive: :mod:`.layers`), by
    logical id: its version's ARN (what ``!Ref`` gives)."""
    published: dict[str, str] = {}
    for logical_id, resource in template.resources.items():
        if resource["Type"] != "AWS::Serverless::LayerVersion":
            continue
        props = resource.get("Properties") or {}
        content = template.path.parent / str(props.get("ContentUri") or "")
        made = awslambda.publish_layer_version(
            LayerName=logical_id,
            Description=str(props.get("Description") or ""),
            Content={"ZipFile": layers.archive(layers.requirements(content))},
            CompatibleRuntimes=props.get("CompatibleRuntimes") or [],
            CompatibleArchitectures=props.get("CompatibleArchitectures") or [],
        )
        published[logical_id] = made["LayerVersionArn"]
    return published


def _record(
    account: str,
    name: str,
    template: cfn.Template,
    attributes: dict[str, dict[str, str]],
    made: list[tuple[str, str, str]],
) -> None:
    """The stack as CloudFormation would report it (``made``: logical id, type, physical id)."""
    from ..emulator.cloudformation.models import Resource, cloudformation_backends

    outputs = [
        {
            "OutputKey": key,
            "OutputValue": str(cfn.resolve(output["Value"], template, attributes)),
            **({"Description": output["Description"]} if output.get("Description") else {}),
        }
        for key, output in template.outputs.items()
        if "Condition" not in output  # as its resources: the optional parts are not made here
    ]
    parameters = {k: "" if v is None else str(v) for k, v in template.parameters.items()}
    region = attributes["AWS::Region"]["Ref"]
    cloudformation_backends[account][region].record(
        name, template.description, parameters, outputs, [Resource(*m) for m in made]
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
        "AWS::Region": {"Ref": region},
        "AWS::AccountId": {"Ref": account},
        "AWS::Partition": {"Ref": "aws"},
        "AWS::StackName": {"Ref": name},
        "BundleBucket": {"Ref": bucket, "Arn": f"arn:aws:s3:::{bucket}"},
    }
    made: list[tuple[str, str, str]] = [("BundleBucket", "AWS::S3::Bucket", bucket)]
    for logical_id, resource in template.resources.items():
        if "Condition" in resource:  # optional parts (GitHub's deploy role), off by default
            continue
        if resource["Type"] == "AWS::IAM::Role":
            arn = _role(iam, f"{name}-{logical_id}", "ecs.amazonaws.com")
            attributes[logical_id] = {"Ref": f"{name}-{logical_id}", "Arn": arn}
        elif resource["Type"] == "AWS::DynamoDB::Table":
            attributes[logical_id] = _table(session, f"{name}-{logical_id}", resource)
        else:
            continue
        made.append((logical_id, resource["Type"], attributes[logical_id]["Ref"]))
    published = _layers(awslambda, template)
    for logical_id, arn in published.items():
        attributes[logical_id] = {"Ref": arn}
        made.append((logical_id, "AWS::Lambda::LayerVersion", arn))
    functions: dict[str, str] = {}
    # ARNs are known before creation, as CloudFormation knows them: a function's environment may
    # name a state machine (the triggers), and the state machines name the functions.
    for machine in template.state_machines:
        arn = f"arn:aws:states:{region}:{account}:stateMachine:{name}-{machine.logical_id}"
        attributes[machine.logical_id] = {"Ref": arn, "Arn": arn, "Name": arn.rsplit(":", 1)[1]}
    for fn in template.functions:
        function = f"{name}-{fn.logical_id}"
        arn = f"arn:aws:lambda:{region}:{account}:function:{function}"
        attributes[fn.logical_id] = {"Ref": function, "Arn": arn}
    for fn in template.functions:
        env = {k: str(v) for k, v in cfn.resolve(fn.environment, template, attributes).items()}
        os.environ.update(env)  # the functions share this process, and these values
        os.environ.setdefault("AWS_REGION", region)  # as the Lambda runtime sets it
        role = _function_role(iam, name, fn, template, attributes)
        wanted = cfn.resolve(fn.properties.get("Layers") or [], template, attributes)
        created = awslambda.create_function(
            FunctionName=f"{name}-{fn.logical_id}",
            Runtime=fn.properties["Runtime"],
            Role=role,
            Handler=fn.handler,
            Code={"ZipFile": _zip()},
            Environment={"Variables": env},
            Architectures=fn.properties.get("Architectures", ["arm64"]),
            Timeout=int(fn.properties.get("Timeout", 60)),
            # the stack's own layers; a public one (Powertools) is another account's, not here
            Layers=[arn for arn in wanted if arn in published.values()],
        )
        HANDLERS[created["FunctionName"]] = _handler(fn.handler)
        functions[fn.logical_id] = created["FunctionName"]
        made.append((fn.logical_id, "AWS::Lambda::Function", created["FunctionName"]))
        made.append((f"{fn.logical_id}Role", "AWS::IAM::Role", role.rsplit("/", 1)[1]))
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
    made += [(m, "AWS::StepFunctions::StateMachine", arn) for m, arn in machines.items()]
    _record(account, name, template, attributes, made)
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
