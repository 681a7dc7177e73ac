"""``lattice-deploy doctor`` against an embedded account: a deployed stack passes every check;
each broken account fails the one check it breaks (exit 1), naming what and the fix; no stack
is exit 2. Every run makes reads only (asserted by the fixture, from the emulator's record)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lattice_deploy.doctor import TITLES
from lattice_deploy.emulator.cloudformation.models import RecordedStack, cloudformation_backends
from lattice_deploy.emulator.servicequotas.models import servicequotas_backends

from .conftest import Account, failing

LATTICE_PREFIX = "com.amazonaws.ap-northeast-1.vpc-lattice"


def test_an_account_with_the_stack_deployed_passes_every_check(account: Account) -> None:
    code, document = account.doctor()
    assert code == 0, json.dumps(document, indent=2)
    assert [c["check"] for c in document["checks"]] == [key for key, _ in TITLES]
    assert {c["status"] for c in document["checks"]} == {"pass"}, document
    summaries = {c["check"]: c["summary"] for c in document["checks"]}
    assert "CREATE_COMPLETE" in summaries["stack"] and "5 outputs" in summaries["stack"]
    assert "botocore" in summaries["sdk"] and "1.43.106" in summaries["sdk"]
    assert "all allowed" in summaries["permissions"]
    assert "AWSServiceRoleForECS present" in summaries["linked-roles"]
    assert "EnsureLatticeFunction creates it" in summaries["linked-roles"]
    assert "Target groups per region 0+1/500" in summaries["quotas"]
    assert "my-namespace" in summaries["namespaces"]


def test_the_text_says_one_line_per_check(account: Account) -> None:
    code, _ = account.doctor(json_out=False)
    lines = account.text.splitlines()
    assert code == 0
    assert [line[0] for line in lines[: len(TITLES)]] == ["✓"] * len(TITLES), lines
    for (_, title), line in zip(TITLES, lines, strict=False):
        assert title in line
    assert lines[-1] == "doctor: nothing here would make a deploy fail"


def test_no_stack_is_exit_2_and_says_how_to_make_one(account: Account) -> None:
    code, document = account.doctor("--stack", "not-deployed")
    assert code == 2
    assert "no stack 'not-deployed'" in document["error"]
    assert "sam deploy --stack-name not-deployed" in document["error"]


def _recorded(account: Account) -> RecordedStack:
    backend = cloudformation_backends[account.aws.account_id][account.aws.region]
    return backend.recorded[account.stack.name]


def test_a_stack_that_failed_fails_the_stack_check(account: Account) -> None:
    _recorded(account).status = "ROLLBACK_COMPLETE"  # its first create failed
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"stack"}, found
    (failed,) = found["stack"]
    assert failed["what"] == f"stack {account.stack.name} is ROLLBACK_COMPLETE"
    assert f"describe-stack-events --stack-name {account.stack.name}" in failed["fix"]


def test_a_stack_of_another_version_fails_the_stack_check(account: Account) -> None:
    recorded = _recorded(account)
    recorded.outputs = [o for o in recorded.outputs if o["OutputKey"] != "DeploymentsTableName"]
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"stack"}, found
    (old,) = found["stack"]
    assert old["what"].startswith("the stack has no output DeploymentsTableName")
    assert "deploy this version's template" in old["fix"]


def _layer(botocore: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"python/botocore-{botocore}.dist-info/METADATA", "Name: botocore\n")
        archive.writestr(f"python/boto3-{botocore}.dist-info/METADATA", "Name: boto3\n")
    return buffer.getvalue()


def test_a_function_on_an_old_sdk_or_none_fails_the_sdk_check(account: Account) -> None:
    """UpdateServiceFunction holds an older SdkLayer version (botocore 1.43.105, before
    advancedConfiguration); CheckHealthFunction holds no layer (the runtime's boto3)."""
    lam = account.aws.client("lambda")
    old = lam.publish_layer_version(LayerName="SdkLayer", Content={"ZipFile": _layer("1.43.105")})
    lam.update_function_configuration(
        FunctionName=account.function("UpdateServiceFunction"), Layers=[old["LayerVersionArn"]]
    )
    lam.update_function_configuration(
        FunctionName=account.function("CheckHealthFunction"), Layers=[]
    )
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"sdk"}, found
    old_one, none = sorted(found["sdk"], key=lambda f: f["what"], reverse=True)
    assert old_one["what"].startswith("UpdateServiceFunction runs botocore 1.43.105 (SdkLayer:2)")
    assert "ECS VpcLatticeConfiguration.advancedConfiguration (>= 1.43.106)" in old_one["what"]
    assert "layers/sdk/requirements.txt" in old_one["fix"] and "sam deploy" in old_one["fix"]
    assert none["what"].startswith("CheckHealthFunction has no layer with botocore")


def _without(document: dict[str, Any], action: str) -> dict[str, Any]:
    for statement in document["Statement"]:
        actions = statement["Action"]
        if isinstance(actions, list) and action in actions:
            actions.remove(action)
    return document


def test_a_role_whose_policy_lost_an_action_fails_the_roles_check(account: Account) -> None:
    iam, role = account.aws.client("iam"), account.role("EnsureLatticeFunction")
    (name,) = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
    iam.put_role_policy(
        RoleName=role,
        PolicyName=name,
        PolicyDocument=json.dumps(_without(document, "vpc-lattice:CreateService")),
    )
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"permissions"}, found
    (denied,) = found["permissions"]
    assert denied["what"] == (
        f"EnsureLatticeFunction may not vpc-lattice:CreateService on *: no policy of role {role} "
        "allows it"
    )
    assert "sam deploy --stack-name lattice-deploy" in denied["fix"]


def test_a_permissions_boundary_denying_an_action_fails_the_roles_check(account: Account) -> None:
    iam, role = account.aws.client("iam"), account.role("EnsureLatticeFunction")
    boundary = iam.create_policy(
        PolicyName="no-lattice-services",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "vpc-lattice:CreateService", "Resource": "*"},
                ],
            }
        ),
    )["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName=role, PermissionsBoundary=boundary)
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"permissions"}, found
    (denied,) = found["permissions"]
    assert denied["what"].startswith("EnsureLatticeFunction may not vpc-lattice:CreateService")
    assert f"its permissions boundary {boundary} does not allow it" in denied["what"]
    assert f"aws iam delete-role-permissions-boundary --role-name {role}" in denied["fix"]


def test_a_linked_role_absent_and_not_creatable_fails_its_check(account: Account) -> None:
    """No function may create ECS's role (ECS makes it with the first cluster)."""
    account.aws.client("iam").delete_role(RoleName="AWSServiceRoleForECS")
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"linked-roles"}, found
    (absent,) = found["linked-roles"]
    assert absent["what"].startswith("AWSServiceRoleForECS does not exist")
    assert absent["fix"] == (
        "create it once: aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com"
    )


def test_target_groups_at_the_quota_fail_the_quota_check(account: Account) -> None:
    lattice = account.aws.client("vpc-lattice")
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    for number in range(3):
        lattice.create_target_group(name=f"filler-{number}", type="IP", config=config)
    quotas = servicequotas_backends[account.aws.account_id][account.aws.region]
    quotas.apply("vpc-lattice", "L-BB11C6B9", 3)  # as an account whose quota is used up
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"quotas"}, found
    (over,) = found["quotas"]
    assert over["what"] == (
        "Target groups per region: 3 used + 1 the bundles create (dev-myservice-targetgroup) > "
        "the quota 3 (vpc-lattice L-BB11C6B9)"
    )
    assert "request-service-quota-increase --service-code vpc-lattice" in over["fix"]


def test_a_group_not_admitting_vpc_lattice_fails_the_network_check(account: Account) -> None:
    ec2 = account.aws.client("ec2")
    (group,) = ec2.describe_security_groups(GroupIds=["sg-12345678"])["SecurityGroups"]
    ec2.revoke_security_group_ingress(GroupId="sg-12345678", IpPermissions=group["IpPermissions"])
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"network"}, found
    (closed,) = found["network"]
    assert "none of its security groups (sg-12345678) admits VPC Lattice" in closed["what"]
    assert closed["what"].startswith("myservice:") and "tcp 80" in closed["what"]
    assert closed["fix"].startswith(
        "aws ec2 authorize-security-group-ingress --group-id sg-12345678"
    )


def test_a_cidr_holding_the_lattice_range_admits_it(account: Account) -> None:
    ec2 = account.aws.client("ec2")
    (group,) = ec2.describe_security_groups(GroupIds=["sg-12345678"])["SecurityGroups"]
    ec2.revoke_security_group_ingress(GroupId="sg-12345678", IpPermissions=group["IpPermissions"])
    ec2.authorize_security_group_ingress(
        GroupId="sg-12345678",
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "169.254.0.0/16"}],
            }
        ],
    )
    code, document = account.doctor()
    assert code == 0, failing(document)


def test_a_bundle_naming_a_missing_namespace_fails_the_namespace_check(
    account: Account, bundle: Callable[..., Path]
) -> None:
    def elsewhere(service: dict[str, Any]) -> None:
        service["serviceConnectConfiguration"]["namespace"] = "missing-namespace"

    account.upload(bundle(elsewhere))  # the bucket's myservice now names it
    code, document = account.doctor()
    assert code == 1
    found = failing(document)
    assert set(found) == {"namespaces"}, found
    (missing,) = found["namespaces"]
    assert missing["what"].startswith("myservice: Cloud Map namespace missing-namespace")
    assert "aws servicediscovery create-http-namespace --name missing-namespace" in missing["fix"]


def test_a_bundle_directory_is_checked_beside_the_bucket(
    account: Account, bundle: Callable[..., Path]
) -> None:
    def elsewhere(service: dict[str, Any]) -> None:
        service["serviceName"] = "other"
        service["serviceConnectConfiguration"]["namespace"] = "missing-namespace"

    directory = bundle(elsewhere)
    config = directory / "ecspresso.yml"
    config.write_text(config.read_text().replace("service: myservice", "service: other"))
    code, document = account.doctor(str(directory))
    assert code == 1
    (missing,) = failing(document)["namespaces"]
    assert missing["what"].startswith("other: Cloud Map namespace missing-namespace")
    quotas = next(c for c in document["checks"] if c["check"] == "quotas")
    assert quotas["summary"].startswith("2 bundle(s)")
