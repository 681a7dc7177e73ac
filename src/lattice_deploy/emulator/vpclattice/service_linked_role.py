"""VPC Lattice's service-linked role, which a fresh account does not have.

"When you create VPC Lattice resources, VPC Lattice creates the service-linked role for you"
(VPC Lattice User Guide, "Using service-linked roles"): the first create makes
``AWSServiceRoleForVpcLattice``, and takes ``iam:CreateServiceLinkedRole`` from the caller. The
emulator makes the role and records that need for the calling function, as the least-privilege
check reads it (a policy without the grant would get AccessDenied on a fresh account).
"""

from __future__ import annotations

import json

from ..awslambda.models import INVOCATION
from ..calls import CALLS

NAME, SERVICE = "AWSServiceRoleForVpcLattice", "vpc-lattice.amazonaws.com"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": SERVICE}}
    ],
}


def ensure(account_id: str) -> None:
    """Before a create: the role exists afterwards; made now if it did not."""
    from moto.iam.models import iam_backends

    iam = iam_backends[account_id]["global"]
    if any(role.name == NAME for role in iam.get_roles()):
        return
    path, description = f"/aws-service-role/{SERVICE}/", "Service-linked role for VPC Lattice"
    iam.create_role(NAME, json.dumps(TRUST), path, None, description, [], None, SERVICE)
    CALLS.need(getattr(INVOCATION, "function", None), "iam:CreateServiceLinkedRole")
