"""CloudFormation's reads of a recorded stack (:mod:`.models`), in CloudFormation's wire format.

Each answers as the CloudFormation API reference says the operation does (DescribeStacks,
ListStackResources, DescribeStackResources: https://docs.aws.amazon.com/AWSCloudFormation/
latest/APIReference/API_DescribeStacks.html, …/API_ListStackResources.html,
…/API_DescribeStackResources.html): the reply is serialized from botocore's model by moto, so it
carries the members the output shape has. A stack that was not recorded is moto's.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from .models import RecordedStack, RecordingCloudFormationBackend, cloudformation_backends


class RecordedStackResponse(CloudFormationResponse):
    @property
    def cloudformation_backend(self) -> RecordingCloudFormationBackend:
        return cloudformation_backends[self.current_account][self.region]

    def _recorded(self) -> RecordedStack | None:
        return self.cloudformation_backend.find_recorded(self._get_param("StackName"))

    def describe_stacks(self) -> ActionResult:
        name = self._get_param("StackName")
        if found := self._recorded():
            return ActionResult({"Stacks": [found.description_of()]})
        if name:
            return super().describe_stacks()
        recorded = [s.description_of() for s in self.cloudformation_backend.recorded.values()]
        theirs: Any = super().describe_stacks().result
        return ActionResult({"Stacks": recorded + list(theirs["Stacks"])})

    def list_stack_resources(self) -> ActionResult:
        if found := self._recorded():
            return ActionResult({"StackResourceSummaries": found.summaries()})
        return super().list_stack_resources()

    def describe_stack_resources(self) -> ActionResult:
        if found := self._recorded():
            logical_id = self._get_param("LogicalResourceId")
            return ActionResult({"StackResources": found.details(logical_id)})
        return super().describe_stack_resources()
