"""Check 1, the stack: it exists, is in a usable state, and has what this version needs.

CloudFormation's DescribeStacks gives its status and outputs; ListStackResources its
resources. The template this lattice-deploy carries names the outputs the CLI reads and one
function per state; a stack deployed from another version can lack some (sam deploy it again).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from ..runner import targets
from . import Check, Unreadable
from .account import Account

USABLE = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"}
"""Stack statuses whose resources are as the template says (CloudFormation API reference,
``Stack.StackStatus``); ``*_IN_PROGRESS`` and ``UPDATE_ROLLBACK_COMPLETE`` (the previous
template's resources) are warned of, the rest (failed, rolled back, deleted) fail."""


def _describe(account: Account) -> dict[str, Any]:
    deploy = f"sam deploy --stack-name {account.stack_name} --region {account.region}"
    where = account.endpoint_url or f"AWS ({account.region})"
    try:
        probe = account.session.client(  # one attempt: nothing there is said at once
            "cloudformation", region_name=account.region, config=targets.PROBE
        )
        found = probe.describe_stacks(StackName=account.stack_name)
    except NoCredentialsError as exc:
        raise Unreadable(
            f"no AWS credentials to read {where} ({exc}); configure them (aws configure, "
            "AWS_PROFILE) or point at `lattice-deploy serve` with --endpoint-url URL"
        ) from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if "does not exist" in str(error.get("Message")):
            raise Unreadable(
                f"no stack {account.stack_name!r} at {where}; deploy it first ({deploy}), or "
                "name yours with --stack NAME (or $LATTICE_DEPLOY_STACK)"
            ) from exc
        raise Unreadable(
            f"cannot read stack {account.stack_name!r} at {where}: {error.get('Code')}: "
            f"{error.get('Message')}"
        ) from exc
    except BotoCoreError as exc:
        raise Unreadable(f"cannot reach {where}: {exc}") from exc
    return dict(found["Stacks"][0])


def check(account: Account, result: Check) -> None:
    """Raises :class:`Unreadable` when there is no stack to check (exit 2)."""
    account.stack = _describe(account)
    deploy = f"sam deploy --stack-name {account.stack_name} --region {account.region}"
    pages = account.client("cloudformation").get_paginator("list_stack_resources")
    for page in pages.paginate(StackName=account.stack_name):
        for r in page["StackResourceSummaries"]:
            account.resources[r["LogicalResourceId"]] = (
                r["ResourceType"],
                r.get("PhysicalResourceId", ""),
            )
    status = str(account.stack.get("StackStatus"))
    if status.endswith("_IN_PROGRESS") or status == "UPDATE_ROLLBACK_COMPLETE":
        result.warn(
            f"stack {account.stack_name} is {status}: its resources may not be this template's",
            f"wait for it (aws cloudformation wait stack-update-complete --stack-name "
            f"{account.stack_name}), then run doctor again",
        )
    elif status not in USABLE:
        result.fail(
            f"stack {account.stack_name} is {status}",
            f"see why (aws cloudformation describe-stack-events --stack-name "
            f"{account.stack_name}), fix it, then {deploy}",
        )
    outputs = account.outputs
    missing = [  # a conditional output (GitHubDeployRoleArn) exists only when its part is on
        key
        for key, output in account.template.outputs.items()
        if key not in outputs and "Condition" not in output
    ]
    if missing:
        result.fail(
            f"the stack has no output {', '.join(missing)}: it was deployed from another "
            "version of lattice-deploy",
            f"deploy this version's template: {deploy}",
        )
    absent = [logical for logical, name in account.function_names().items() if name is None]
    if absent:
        result.fail(
            f"the stack has no function {', '.join(absent)}, which this version's state "
            "machines call",
            f"deploy this version's template: {deploy}",
        )
    if bucket := outputs.get("BundleBucketName"):
        try:
            account.client("s3").head_bucket(Bucket=bucket)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            result.fail(
                f"the stack's bundle bucket {bucket} cannot be read ({code})",
                f"it is the stack's BundleBucket: {deploy}"
                if code in ("404", "NoSuchBucket")
                else "let the caller read it (s3:ListBucket)",
            )
    result.summary = (
        f"{account.stack_name} ({status}) in {account.region}, account {account.account_id}: "
        f"{len(outputs)} outputs, {len(account.resources)} resources"
    )
