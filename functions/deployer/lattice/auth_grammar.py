"""What AWS documents an auth policy may say, as data: the block's keys and types, the policy's
versions and statement keys, the ``vpc-lattice-svcs:`` actions, the condition keys (Lattice's and
the global ones) and IAM's operators. The sources are named in :mod:`.auth_policy`, which checks
a policy against these; kept apart so the rules read as one table.
"""

from __future__ import annotations

import re

TYPES = ("NONE", "AWS_IAM")
BLOCK_KEYS = ("type", "policy")
MAX_POLICY_BYTES = 10_000
VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
ACTIONS = ("vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:Connect")
LATTICE_KEYS = (
    "vpc-lattice-svcs:Port",
    "vpc-lattice-svcs:RequestMethod",
    "vpc-lattice-svcs:RequestPath",
    "vpc-lattice-svcs:ServiceNetworkArn",
    "vpc-lattice-svcs:ServiceArn",
    "vpc-lattice-svcs:SourceVpc",
    "vpc-lattice-svcs:SourceVpcOwnerAccount",
)
LATTICE_PREFIXED = ("vpc-lattice-svcs:RequestHeader/", "vpc-lattice-svcs:RequestQueryString/")
GLOBAL_KEYS = (
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:Referer",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
)
GLOBAL_PREFIXED = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/")
KNOWN_KEYS = LATTICE_KEYS + GLOBAL_KEYS
OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
)
"""IAM User Guide, "IAM JSON policy elements: Condition operators" (each may end in IfExists,
except Null, and start with ForAllValues: or ForAnyValue:)."""
LATTICE_ARN = re.compile(r"arn:aws[\w-]*:vpc-lattice:[a-z0-9*-]*:(\d{12}|\*)?:(service|\*)[/*].*")
ACCOUNT = re.compile(r"\d{12}")
IAM_ARN = re.compile(r"arn:aws[\w-]*:(iam|sts)::(\d{12}|\*):[\w+=,.@/*-]+")
