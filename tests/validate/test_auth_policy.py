"""``auth`` / ``networkAuth`` of the friendly block, refused offline by ``lattice-deploy validate``
(exit 2) with the file, the field path and the fix: one defect per case."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from workflow.conftest import EXAMPLE

WHERE = "ecs-service-def.json: vpcLatticeConfiguration.auth"


def policy(**statement: Any) -> dict[str, Any]:
    base = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "vpc-lattice-svcs:Invoke",
        "Resource": "*",
        "Condition": {"StringEquals": {"vpc-lattice-svcs:SourceVpc": "vpc-12345678"}},
    }
    return {"Version": "2012-10-17", "Statement": [{**base, **statement}]}


GOOD = {"type": "AWS_IAM", "policy": policy()}
BIG = policy(
    Condition={
        "StringEquals": {"vpc-lattice-svcs:SourceVpc": [f"vpc-{i:017x}" for i in range(500)]}
    }
)
CASES: list[tuple[str, str, Any, list[str]]] = [
    (
        "wrong type",
        "auth",
        {"type": "IAM", "policy": policy()},
        [f'{WHERE}.type: "IAM" is not an auth type', "NONE or AWS_IAM"],
    ),
    (
        "missing policy",
        "auth",
        {"type": "AWS_IAM"},
        [
            f"{WHERE}.policy: missing",
            "denies every request",
            "all traffic will get an access denied",
        ],
    ),
    (
        "policy with NONE",
        "auth",
        {"type": "NONE", "policy": policy()},
        [f"{WHERE}.policy: given with type NONE", "set type AWS_IAM"],
    ),
    (
        "unknown block field",
        "auth",
        {**GOOD, "polcy": {}},
        [f"{WHERE}.polcy: unknown field; did you mean 'policy'?"],
    ),
    (
        "misspelt condition key",
        "auth",
        {
            "type": "AWS_IAM",
            "policy": policy(
                Condition={"StringEquals": {"vpc-lattice-svcs:SourseVpc": "vpc-12345678"}}
            ),
        },
        [
            f"{WHERE}.policy.Statement[0].Condition.StringEquals.vpc-lattice-svcs:SourseVpc: not a "
            "condition key",
            "did you mean 'vpc-lattice-svcs:SourceVpc'?",
        ],
    ),
    (
        "condition key in other case",
        "auth",
        {
            "type": "AWS_IAM",
            "policy": policy(
                Condition={"StringEquals": {"vpc-lattice-svcs:sourcevpc": "vpc-12345678"}}
            ),
        },
        [
            "vpc-lattice-svcs:sourcevpc: not a condition key",
            "case sensitive",
            "'vpc-lattice-svcs:SourceVpc'",
        ],
    ),
    (
        "unknown condition operator",
        "auth",
        {
            "type": "AWS_IAM",
            "policy": policy(
                Condition={"StringEqual": {"vpc-lattice-svcs:SourceVpc": "vpc-12345678"}}
            ),
        },
        [
            f"{WHERE}.policy.Statement[0].Condition.StringEqual: unknown condition operator",
            "'StringEquals'",
        ],
    ),
    (
        "bad action",
        "auth",
        {"type": "AWS_IAM", "policy": policy(Action="vpc-lattice:Invoke")},
        [
            f'{WHERE}.policy.Statement[0].Action: "vpc-lattice:Invoke" is not an action',
            "'vpc-lattice-svcs:Invoke'",
        ],
    ),
    (
        "bad effect",
        "auth",
        {"type": "AWS_IAM", "policy": policy(Effect="allow")},
        [f'{WHERE}.policy.Statement[0].Effect: "allow" is not Allow or Deny'],
    ),
    (
        "no principal",
        "auth",
        {
            "type": "AWS_IAM",
            "policy": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            },
        },
        [f"{WHERE}.policy.Statement[0]: give exactly one of Principal or NotPrincipal"],
    ),
    (
        "bad principal",
        "auth",
        {"type": "AWS_IAM", "policy": policy(Principal={"AWS": "alice"})},
        [f'{WHERE}.policy.Statement[0].Principal.AWS: "alice" is not a principal'],
    ),
    (
        "bad resource",
        "auth",
        {"type": "AWS_IAM", "policy": policy(Resource="svc-1")},
        [f'{WHERE}.policy.Statement[0].Resource: "svc-1" is not a resource'],
    ),
    (
        "no version",
        "auth",
        {"type": "AWS_IAM", "policy": {"Statement": policy()["Statement"]}},
        [f"{WHERE}.policy.Version: null", '"Version": "2012-10-17"'],
    ),
    (
        "policy too big",
        "auth",
        {"type": "AWS_IAM", "policy": BIG},
        [f"{WHERE}.policy: ", "bytes as sent, over VPC Lattice's auth policy size quota (10,000"],
    ),
    (
        "policy not JSON",
        "auth",
        {"type": "AWS_IAM", "policy": '{"Version": "2012-10-17",'},
        [f"{WHERE}.policy: not JSON"],
    ),
    (
        "network auth missing policy",
        "networkAuth",
        {"type": "AWS_IAM"},
        ["ecs-service-def.json: vpcLatticeConfiguration.networkAuth.policy: missing"],
    ),
    ("auth not an object", "auth", "AWS_IAM", [f"{WHERE}: expected an object"]),
]


def bundle_with(tmp_path: Path, key: str, block: Any) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, target)
    path = target / "ecs-service-def.json"
    service = json.loads(path.read_text())
    service["vpcLatticeConfiguration"][key] = block
    path.write_text(json.dumps(service, indent=2))
    return target


@pytest.mark.parametrize(("name", "key", "block", "words"), CASES, ids=[c[0] for c in CASES])
def test_validate_refuses_a_wrong_auth_block(
    name: str,
    key: str,
    block: Any,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(bundle_with(tmp_path, key, block)), "--json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    text = "\n".join(problems)
    for word in words:
        assert word in text, f"{name}: {word!r} not in {text!r}"
    assert len(problems) == 1, f"{name}: one defect, one problem: {problems}"


@pytest.mark.parametrize(
    "block",
    [
        GOOD,
        {"type": "NONE"},
        {"type": "AWS_IAM", "policy": json.dumps(policy())},  # JSON text
        {
            "type": "AWS_IAM",
            "policy": policy(
                Principal={"AWS": ["123456789012", "arn:aws:iam::123456789012:role/caller"]},
                Action=["vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:Connect"],
                Resource="arn:aws:vpc-lattice:ap-northeast-1:123456789012:service/svc-0123456789abcdef0/*",
                Condition={
                    "StringEqualsIgnoreCase": {"vpc-lattice-svcs:RequestHeader/x-team": "payments"},
                    "ForAnyValue:StringLike": {"vpc-lattice-svcs:RequestPath": ["/v1/*"]},
                    "NumericEquals": {"vpc-lattice-svcs:Port": 443},
                    "StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"},
                    "StringNotEqualsIgnoreCase": {"aws:PrincipalType": "anonymous"},
                    "StringEquals": {"aws:PrincipalTag/team": "payments"},
                },
            ),
        },
    ],
    ids=["allow-one-vpc", "none", "json-text", "documented-keys"],
)
def test_a_right_auth_block_is_valid(block: Any, tmp_path: Path) -> None:
    assert main(["validate", str(bundle_with(tmp_path, "auth", block))]) == 0
