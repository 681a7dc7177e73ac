"""What the embedded AWS answers to the calls doctor makes, where moto had nothing: IAM's policy
simulator, Service Quotas for VPC Lattice and ECS, a layer's archive behind GetLayerVersion's
link, and the stack the local runner records for CloudFormation. No stack is deployed here."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.cloudformation.models import Resource, cloudformation_backends

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@pytest.fixture
def aws() -> Iterator[EmbeddedAws]:
    with EmbeddedAws() as embedded:
        yield embedded


def _role(aws: EmbeddedAws, *statements: dict[str, Any]) -> str:
    iam = aws.client("iam")
    arn = iam.create_role(RoleName="probe", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    iam.put_role_policy(RoleName="probe", PolicyName="p", PolicyDocument=json.dumps(document))
    return str(arn["Arn"])


def _decisions(aws: EmbeddedAws, arn: str, **request: Any) -> list[str]:
    found = aws.client("iam").simulate_principal_policy(PolicySourceArn=arn, **request)
    return [r["EvalDecision"] for r in found["EvaluationResults"]]


def test_the_simulator_matches_actions_resources_and_denies(aws: EmbeddedAws) -> None:
    arn = _role(
        aws,
        {"Effect": "Allow", "Action": "vpc-lattice:Get*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/definitions/*"},
        {"Effect": "Deny", "Action": "vpc-lattice:GetService", "Resource": "*"},
    )
    assert _decisions(
        aws, arn, ActionNames=["vpc-lattice:GetRule", "vpc-lattice:GetService", "ecs:ListTasks"]
    ) == ["allowed", "explicitDeny", "implicitDeny"]
    assert _decisions(
        aws,
        arn,
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::b/definitions/x/ecs-task-def.json", "arn:aws:s3:::b/reports/x"],
    ) == ["allowed", "implicitDeny"]


def test_a_condition_needs_its_context_and_says_which_is_missing(aws: EmbeddedAws) -> None:
    arn = _role(
        aws,
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ecs.amazonaws.com"}},
        },
    )
    iam = aws.client("iam")
    bare = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["iam:PassRole"])
    (result,) = bare["EvaluationResults"]
    assert result["EvalDecision"] == "implicitDeny"
    assert result["MissingContextValues"] == ["iam:PassedToService"]

    def passed_to(service: str) -> list[str]:
        entry = {"ContextKeyName": "iam:PassedToService", "ContextKeyValues": [service]}
        context = [{**entry, "ContextKeyType": "string"}]
        return _decisions(aws, arn, ActionNames=["iam:PassRole"], ContextEntries=context)

    assert passed_to("ecs.amazonaws.com") == ["allowed"]
    assert passed_to("ec2.amazonaws.com") == ["implicitDeny"]


def test_for_all_values_holds_when_the_request_has_no_such_key(aws: EmbeddedAws) -> None:
    """ "It also returns true if there are no keys in the request" (IAM User Guide,
    "Multivalued context keys"): a grant limited to CNAME records holds without the key, and
    not for an A record."""
    arn = _role(
        aws,
        {
            "Effect": "Allow",
            "Action": "route53:ChangeResourceRecordSets",
            "Resource": "*",
            "Condition": {
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": "CNAME"
                }
            },
        },
    )
    assert _decisions(aws, arn, ActionNames=["route53:ChangeResourceRecordSets"]) == ["allowed"]

    def changing(*types: str) -> list[str]:
        entry = {"ContextKeyName": "route53:ChangeResourceRecordSetsRecordTypes"}
        context = [{**entry, "ContextKeyValues": list(types), "ContextKeyType": "stringList"}]
        action = ["route53:ChangeResourceRecordSets"]
        return _decisions(aws, arn, ActionNames=action, ContextEntries=context)

    assert changing("CNAME") == ["allowed"]
    assert changing("CNAME", "A") == ["implicitDeny"]


def test_a_boundary_intersects_and_pages_are_kept(aws: EmbeddedAws) -> None:
    arn = _role(aws, {"Effect": "Allow", "Action": ["ecs:*", "s3:*"], "Resource": "*"})
    iam = aws.client("iam")
    boundary = iam.create_policy(
        PolicyName="ecs-only",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}],
            }
        ),
    )["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName="probe", PermissionsBoundary=boundary)
    found = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["ecs:ListTasks", "s3:GetObject"], MaxItems=1
    )
    assert found["IsTruncated"] and len(found["EvaluationResults"]) == 1
    rest = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["ecs:ListTasks", "s3:GetObject"], Marker=found["Marker"]
    )
    (first,), (second,) = found["EvaluationResults"], rest["EvaluationResults"]
    assert first["EvalDecision"] == "allowed"
    assert second["EvalDecision"] == "implicitDeny"
    assert second["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    with pytest.raises(ClientError, match="NoSuchEntity"):
        iam.simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::123456789012:role/none", ActionNames=["s3:GetObject"]
        )


def test_service_quotas_answer_lattice_and_ecs_quotas(aws: EmbeddedAws) -> None:
    quotas = aws.client("service-quotas")
    groups = quotas.get_service_quota(ServiceCode="vpc-lattice", QuotaCode="L-BB11C6B9")["Quota"]
    assert (groups["QuotaName"], groups["Value"]) == ("Target groups per region", 500.0)
    assert groups["QuotaArn"].endswith(":123456789012:vpc-lattice/L-BB11C6B9")
    default = quotas.get_aws_default_service_quota(ServiceCode="ecs", QuotaCode="L-9EF96962")
    assert default["Quota"]["Value"] == 5000.0 and "::ecs/" in default["Quota"]["QuotaArn"]
    pages = quotas.get_paginator("list_service_quotas").paginate(
        ServiceCode="vpc-lattice", PaginationConfig={"PageSize": 5}
    )
    listed = [q["QuotaCode"] for page in pages for q in page["Quotas"]]
    assert len(listed) == len(set(listed)) == 15 and "L-D71303F3" in listed
    with pytest.raises(ClientError, match="NoSuchResourceException"):
        quotas.get_service_quota(ServiceCode="vpc-lattice", QuotaCode="L-00000000")


def test_a_layer_archive_is_served_from_its_link_by_ranges(aws: EmbeddedAws) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("python/botocore-1.43.107.dist-info/METADATA", "Name: botocore\n")
    body = buffer.getvalue()
    lam = aws.client("lambda")
    made = lam.publish_layer_version(LayerName="SdkLayer", Content={"ZipFile": body})
    link = lam.get_layer_version(LayerName="SdkLayer", VersionNumber=made["Version"])["Content"]
    assert link["Location"].startswith("https://lambda.ap-northeast-1.amazonaws.com/")
    whole = requests.get(link["Location"], timeout=10)
    assert (whole.status_code, whole.content) == (200, body)
    tail = requests.get(link["Location"], headers={"Range": "bytes=-22"}, timeout=10)
    assert tail.status_code == 206 and tail.content == body[-22:]
    assert tail.headers["Content-Range"] == f"bytes {len(body) - 22}-{len(body) - 1}/{len(body)}"
    middle = requests.get(link["Location"], headers={"Range": "bytes=4-9"}, timeout=10)
    assert middle.content == body[4:10]


def test_a_recorded_stack_is_described_and_others_are_still_moto_s(aws: EmbeddedAws) -> None:
    backend = cloudformation_backends[aws.account_id][aws.region]
    outputs = [{"OutputKey": "BundleBucketName", "OutputValue": "b"}]
    backend.record(
        "recorded",
        "d",
        {"EnvironmentName": "dev"},
        outputs,
        [Resource("LoadBundleFunction", "AWS::Lambda::Function", "recorded-LoadBundleFunction")],
    )
    cloudformation = aws.client("cloudformation")
    (stack,) = cloudformation.describe_stacks(StackName="recorded")["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE" and stack["Outputs"] == outputs
    assert stack["Parameters"] == [{"ParameterKey": "EnvironmentName", "ParameterValue": "dev"}]
    by_id = cloudformation.describe_stacks(StackName=stack["StackId"])["Stacks"]
    assert [s["StackName"] for s in by_id] == ["recorded"]
    (resource,) = cloudformation.list_stack_resources(StackName="recorded")[
        "StackResourceSummaries"
    ]
    assert resource["PhysicalResourceId"] == "recorded-LoadBundleFunction"
    with pytest.raises(ClientError, match="does not exist"):
        cloudformation.describe_stacks(StackName="other")
