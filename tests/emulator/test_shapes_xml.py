"""XML replies (``query``, ``ec2``, ``rest-xml``) checked against botocore's output shape as JSON
ones are (``lattice_deploy.emulator.shapes_xml``): each departure found with its path, and the
embedded AWS's own XML replies pass."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from lattice_deploy.emulator.shapes import service_model
from lattice_deploy.emulator.shapes_xml import check_xml_response

NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"'
ROLE = (
    "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROAEXAMPLEEXAMPLE12</RoleId>"
    "<Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2026-12-01T00:00:00Z</CreateDate>"
    "{extra}</Role>"
)


def get_role(role: str) -> str:
    return (
        f"<GetRoleResponse {NS}><GetRoleResult>{role}</GetRoleResult>"
        "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetRoleResponse>"
    )


def problems(service: str, operation: str, body: str) -> list[tuple[str, str]]:
    model = service_model(service).operation_model(operation)
    return [(v.path, v.problem) for v in check_xml_response(model, 200, body)]


def test_a_reply_of_the_shape_passes() -> None:
    assert problems("iam", "GetRole", get_role(ROLE.format(extra=""))) == []


@pytest.mark.parametrize(
    ("extra", "path", "problem"),
    [
        ("<Colour>red</Colour>", "$.Role.Colour", "not a member of Role"),
        ("<MaxSessionDuration>long</MaxSessionDuration>", "$.Role.MaxSessionDuration", "unread"),
        ("<MaxSessionDuration>60</MaxSessionDuration>", "$.Role.MaxSessionDuration", "< min"),
        (
            "<RoleLastUsed><LastUsedDate>soon</LastUsedDate></RoleLastUsed>",
            "$.Role.RoleLastUsed.LastUsedDate",
            "unreadable",
        ),
    ],
)
def test_each_departure_is_found_with_its_path(extra: str, path: str, problem: str) -> None:
    found = problems("iam", "GetRole", get_role(ROLE.format(extra=extra)))
    assert [p for p in found if p[0] == path and problem in p[1]], found


def test_a_missing_required_member_and_a_wrong_enum_are_found() -> None:
    body = get_role("<Role><RoleName>r</RoleName></Role>")
    missing = {path for path, problem in problems("iam", "GetRole", body) if "required" in problem}
    assert {"$.Role.Arn", "$.Role.RoleId", "$.Role.CreateDate", "$.Role.Path"} <= missing
    statement = (
        "<SimulatePrincipalPolicyResponse><SimulatePrincipalPolicyResult><EvaluationResults>"
        "<member><EvalActionName>s3:GetObject</EvalActionName><EvalDecision>allowed</EvalDecision>"
        "<MatchedStatements><member><SourcePolicyType>IAM Policy</SourcePolicyType></member>"
        "</MatchedStatements></member></EvaluationResults></SimulatePrincipalPolicyResult>"
        "</SimulatePrincipalPolicyResponse>"
    )
    (found,) = problems("iam", "SimulatePrincipalPolicy", statement)
    assert found[0] == "$.EvaluationResults[0].MatchedStatements[0].SourcePolicyType", found
    assert "not in enum" in found[1]


def test_ec2_items_and_rest_xml_bodies_are_read_as_their_protocol_writes_them() -> None:
    subnets = (
        '<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>1</requestId><subnetSet><item><subnetId>subnet-1</subnetId>"
        "<availableIpAddressCount>251</availableIpAddressCount><colour>red</colour>"
        "</item></subnetSet></DescribeSubnetsResponse>"
    )
    assert problems("ec2", "DescribeSubnets", subnets) == [
        ("$.subnetSet[0].colour", "not a member of Subnet")
    ]
    buckets = "<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name></Bucket></Buckets>"
    assert problems("s3", "ListBuckets", buckets + "<Owner/></ListAllMyBucketsResult>") == []


def test_the_embedded_aws_xml_replies_pass(aws: Any) -> None:
    """What the deployer and doctor read over XML, served by the embedded AWS, as botocore's
    model says (the run's hook checks every reply; this names a few on purpose)."""
    from lattice_deploy.emulator.shape_log import SHAPE_LOG

    ec2, iam = aws.client("ec2"), aws.client("iam")
    before = sum(SHAPE_LOG.checked.values())
    ec2.describe_subnets()
    ec2.describe_security_groups()
    iam.create_role(RoleName="r", AssumeRolePolicyDocument='{"Statement": []}')
    iam.get_role(RoleName="r")
    boto3.client("sts", region_name=aws.region).get_caller_identity()
    assert sum(SHAPE_LOG.checked.values()) - before >= 5  # each was checked (fails the test if off)
