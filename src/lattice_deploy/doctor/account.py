"""The account doctor reads, and what it learned of the stack there (read calls only).

The stack is named as every verb names it (``--stack``, else ``$LATTICE_DEPLOY_STACK``, else
samconfig.toml's, else ``lattice-deploy``: :func:`..runner.targets.stack_name`) and read as
CloudFormation reports it (DescribeStacks, ListStackResources); ``--endpoint-url`` reads a
running ``serve``, whose stack the local runner recorded the same way. The template is the one
this lattice-deploy carries (:func:`..runner.app.root`): what the stack must be to deploy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..runner import app, targets
from ..runner import template as cfn


@dataclass
class Account:
    session: Any
    region: str
    stack_name: str
    endpoint_url: str | None = None
    bundle_dirs: list[str] = field(default_factory=list)
    stack: dict[str, Any] = field(default_factory=dict)
    """DescribeStacks' ``Stack`` (filled by the stack check)."""
    resources: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Logical id → (resource type, physical id), from ListStackResources."""
    bundles: list[Any] | None = None
    """The bundles the checks look at, read once (:func:`.bundles.cached`)."""
    _clients: dict[str, Any] = field(default_factory=dict)
    _configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    _roles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=self.region)
        return self._clients[service]

    # ---- what the stack says
    @property
    def outputs(self) -> dict[str, str]:
        return {o["OutputKey"]: o["OutputValue"] for o in self.stack.get("Outputs") or []}

    @property
    def parameters(self) -> dict[str, str]:
        return {
            p["ParameterKey"]: p.get("ParameterValue", "")
            for p in self.stack.get("Parameters") or []
        }

    @property
    def partition(self) -> str:
        return str(self.stack.get("StackId", "arn:aws:").split(":")[1])

    @property
    def account_id(self) -> str:
        return str(self.stack.get("StackId", "::::").split(":")[4])

    @property
    def environment(self) -> str:
        return str(self.template.parameters.get("EnvironmentName") or "dev")

    @cached_property
    def template(self) -> cfn.Template:
        """The template this lattice-deploy carries, with the stack's parameter values."""
        return cfn.load(app.root() / "template.yaml", dict(self.parameters))

    def physical(self, logical_id: str, resource_type: str | None = None) -> str | None:
        """A template logical id's physical id; SAM's LayerVersion ids carry a hash suffix."""
        if logical_id in self.resources:
            return self.resources[logical_id][1]
        for found, (kind, physical) in self.resources.items():
            suffix = found[len(logical_id) :]
            hashed = found.startswith(logical_id) and re.fullmatch(r"[0-9a-f]{10}", suffix)
            if hashed and resource_type in (None, kind):
                return physical
        return None

    @cached_property
    def attributes(self) -> dict[str, dict[str, str]]:
        """What ``Ref``/``GetAtt``/``Sub`` give for the stack's resources (as CloudFormation
        resolved them: by type, from each physical id)."""
        p, r, a = self.partition, self.region, self.account_id
        found: dict[str, dict[str, str]] = {
            "AWS::Region": {"Ref": r},
            "AWS::AccountId": {"Ref": a},
            "AWS::Partition": {"Ref": p},
            "AWS::StackName": {"Ref": self.stack_name},
        }
        for logical_id in self.template.resources:
            physical = self.physical(logical_id)
            if physical is None:
                continue
            kind = self._type_of(logical_id)
            found[logical_id] = _attributes(kind, physical, p, r, a)
        return found

    def _type_of(self, logical_id: str) -> str:
        if logical_id in self.resources:
            return self.resources[logical_id][0]
        return next(
            kind for found, (kind, _) in self.resources.items() if found.startswith(logical_id)
        )

    def resolve(self, value: Any) -> Any:
        return cfn.resolve(value, self.template, self.attributes)

    def function_names(self) -> dict[str, str | None]:
        """Each template function's logical id → its name in the stack (None: not there)."""
        return {fn.logical_id: self.physical(fn.logical_id) for fn in self.template.functions}

    def role(self, name: str) -> dict[str, Any]:
        """IAM GetRole's ``Role``, read once."""
        if name not in self._roles:
            self._roles[name] = self.client("iam").get_role(RoleName=name)["Role"]
        return self._roles[name]

    def configuration(self, function: str) -> dict[str, Any]:
        """GetFunctionConfiguration, read once."""
        if function not in self._configurations:
            self._configurations[function] = self.client("lambda").get_function_configuration(
                FunctionName=function
            )
        return self._configurations[function]


def _attributes(kind: str, physical: str, p: str, r: str, a: str) -> dict[str, str]:
    if kind == "AWS::S3::Bucket":
        return {"Ref": physical, "Arn": f"arn:{p}:s3:::{physical}"}
    if kind == "AWS::DynamoDB::Table":
        return {"Ref": physical, "Arn": f"arn:{p}:dynamodb:{r}:{a}:table/{physical}"}
    if kind == "AWS::IAM::Role":
        return {"Ref": physical, "Arn": f"arn:{p}:iam::{a}:role/{physical}"}
    if kind == "AWS::Lambda::Function":
        return {"Ref": physical, "Arn": f"arn:{p}:lambda:{r}:{a}:function:{physical}"}
    if kind == "AWS::StepFunctions::StateMachine":
        return {"Ref": physical, "Arn": physical, "Name": physical.rsplit(":", 1)[-1]}
    return {"Ref": physical, "Arn": physical}


def open_account(
    endpoint_url: str | None, region: str | None, stack: str | None, bundle_dirs: list[str]
) -> Account:
    """The account to read: a running ``serve`` (``endpoint_url``), else the one boto3 finds
    (``--region``, else samconfig.toml's, else boto3's default)."""
    import boto3

    from . import Unreadable

    name = targets.stack_name(stack)
    if endpoint_url:
        session: Any = targets.EndpointSession(endpoint_url, region or "")
        where = region or ""
    else:
        session = boto3.session.Session(region_name=region or targets.samconfig().get("region"))
        where = session.region_name or ""
    if not where:
        raise Unreadable(
            "no region: give --region R (or set AWS_REGION, or samconfig.toml's region)"
        )
    return Account(session, where, name, endpoint_url, list(bundle_dirs))
