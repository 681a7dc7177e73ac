"""What a VPC Lattice request takes from its caller beyond its own action, recorded for the
calling function (the least-privilege check reads it: a policy without these gets AccessDenied).

- The service-linked role a fresh account lacks: "When you create VPC Lattice resources, VPC
  Lattice creates the service-linked role for you" (VPC Lattice User Guide, "Using
  service-linked roles"), with the caller's ``iam:CreateServiceLinkedRole``.
- Access-log delivery, set up and torn down with the caller's rights (VPC Lattice User Guide,
  "Access logs": IAM permissions, and the destinations' sections). The guide lists the logs
  actions for the whole setup; here a create takes all but DeleteLogDelivery, a delete takes
  Get/Delete/ListLogDeliveries, plus what each destination kind needs.
"""

from __future__ import annotations

import json

from ..awslambda.invocation import INVOCATION
from ..calls import CALLS

NAME, SERVICE = "AWSServiceRoleForVpcLattice", "vpc-lattice.amazonaws.com"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": SERVICE}}
    ],
}


def _need(*actions: str) -> None:
    for action in actions:
        CALLS.need(getattr(INVOCATION, "function", None), action)


def service_linked_role(account_id: str) -> None:
    """Before a create: the role exists afterwards; made now if it did not."""
    from moto.iam.models import iam_backends

    iam = iam_backends[account_id]["global"]
    if any(role.name == NAME for role in iam.get_roles()):
        return
    path, description = f"/aws-service-role/{SERVICE}/", "Service-linked role for VPC Lattice"
    iam.create_role(NAME, json.dumps(TRUST), path, None, description, [], None, SERVICE)
    _need("iam:CreateServiceLinkedRole")


DELIVERY = ("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery")
LISTING = ("logs:ListLogDeliveries",)
BY_DESTINATION = {
    "logs": ("logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"),
    "s3": ("s3:GetBucketPolicy", "s3:PutBucketPolicy"),
    "firehose": ("firehose:TagDeliveryStream", "iam:CreateServiceLinkedRole"),
}


def access_logs(operation: str, destination: str | None) -> None:
    """After a successful Create/DeleteAccessLogSubscription (``destination``: its ARN)."""
    if operation == "CreateAccessLogSubscription":
        kind = (destination or "::").split(":")[2]
        _need(*DELIVERY, *LISTING, *BY_DESTINATION.get(kind, ()))
    elif operation == "DeleteAccessLogSubscription":
        _need("logs:GetLogDelivery", "logs:DeleteLogDelivery", *LISTING)
