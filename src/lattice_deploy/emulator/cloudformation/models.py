"""The stack the local runner deploys, recorded as CloudFormation would hold it.

Why: ``serve`` and the in-process account deploy ``template.yaml`` with :mod:`lattice_deploy.
runner.stack`, resource by resource, not through CloudFormation (moto's ``CreateStack`` would
parse the SAM template and make every resource again, its own way). A real account's stack is
known by ``DescribeStacks`` (its outputs and parameters) and ``ListStackResources`` (each logical
id's physical id), and a tool that checks an account reads those; so the runner records, beside
what it made, the stack CloudFormation would report: the template's ``Outputs`` resolved, its
parameters, and the resources after SAM's transform (a function's role is ``<Function>Role``).
A name that was not recorded is moto's, as before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.cloudformation.models import CloudFormationBackend
from moto.core.base_backend import BackendDict

from ..clock import CLOCK


@dataclass
class Resource:
    logical_id: str
    resource_type: str
    physical_id: str


@dataclass
class RecordedStack:
    name: str
    stack_id: str
    description: str
    parameters: dict[str, str]
    outputs: list[dict[str, str]]
    resources: list[Resource] = field(default_factory=list)
    created: datetime = field(default_factory=CLOCK.datetime)
    status: str = "CREATE_COMPLETE"

    def description_of(self) -> dict[str, Any]:
        """The stack as ``DescribeStacks`` lists it (CloudFormation API reference, ``Stack``)."""
        return {
            "StackId": self.stack_id,
            "StackName": self.name,
            "Description": self.description,
            "Parameters": [
                {"ParameterKey": k, "ParameterValue": v} for k, v in self.parameters.items()
            ],
            "CreationTime": self.created,
            "StackStatus": self.status,
            "DisableRollback": False,
            "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
            "Outputs": self.outputs,
            "Tags": {},
            "EnableTerminationProtection": False,
            "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"},
        }

    def summaries(self) -> list[dict[str, Any]]:
        """``ListStackResources``' ``StackResourceSummaries``."""
        return [
            {
                "LogicalResourceId": r.logical_id,
                "PhysicalResourceId": r.physical_id,
                "ResourceType": r.resource_type,
                "LastUpdatedTimestamp": self.created,
                "ResourceStatus": "CREATE_COMPLETE",
                "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
            }
            for r in self.resources
        ]

    def details(self, logical_id: str | None = None) -> list[dict[str, Any]]:
        """``DescribeStackResources``' ``StackResources`` (one logical id, or all)."""
        return [
            {
                "StackName": self.name,
                "StackId": self.stack_id,
                "LogicalResourceId": r.logical_id,
                "PhysicalResourceId": r.physical_id,
                "ResourceType": r.resource_type,
                "Timestamp": self.created,
                "ResourceStatus": "CREATE_COMPLETE",
                "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
            }
            for r in self.resources
            if logical_id in (None, r.logical_id)
        ]


class RecordingCloudFormationBackend(CloudFormationBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.recorded: dict[str, RecordedStack] = {}

    def record(
        self,
        name: str,
        description: str,
        parameters: dict[str, str],
        outputs: list[dict[str, str]],
        resources: list[Resource],
    ) -> RecordedStack:
        """Hold ``name`` as a stack in CREATE_COMPLETE (a second deploy replaces it)."""
        stack_id = (
            f"arn:aws:cloudformation:{self.region_name}:{self.account_id}:stack/{name}/"
            f"{uuid.uuid4()}"
        )
        made = RecordedStack(name, stack_id, description, parameters, outputs, resources)
        self.recorded[name] = made
        return made

    def find_recorded(self, name_or_id: str | None) -> RecordedStack | None:
        """The recorded stack named (by name or stack id) so, else None (moto's to answer)."""
        for stack in self.recorded.values():
            if name_or_id in (stack.name, stack.stack_id):
                return stack
        return None


cloudformation_backends: BackendDict[RecordingCloudFormationBackend] = BackendDict(
    RecordingCloudFormationBackend, "cloudformation"
)
