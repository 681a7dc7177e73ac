"""The stack's deploy role for GitHub (``GitHubDeployRole`` in template.yaml) grants what
``lattice-deploy deploy``, ``status`` and ``rollback`` need against a real stack, both ways:
the CLI's own requests, recorded by the emulator under the role's name while the CLI runs its
real-stack path (a CloudFormation stack with the outputs ``sam deploy`` gives, found with
``--stack``), over a deploy, a redeploy, a failed and rolled-back deploy, a progressive one,
``status`` of each and a rollback; against the role's policy. Needed but not granted fails;
granted but never needed fails unless listed with the reason AWS needs it anyway.

Why a caller name: the emulator attributes a request to the Lambda function whose handler made it
(``INVOCATION.function``, per thread); the CLI's requests had none (they counted for the account,
not for any caller). Here the CLI's thread carries the role's name, as an invocation would; the
functions' own requests (the S3 trigger the upload wakes, every step) keep theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bundles import renamed
from lattice_deploy.cli.main import main
from lattice_deploy.emulator.awslambda.invocation import INVOCATION
from lattice_deploy.emulator.calls import CALLS
from lattice_deploy.runner import template

from . import policies
from .conftest import EXAMPLE, Local
from .test_progressive import bundle_of

ROLE = "GitHubDeployRole"
NEEDED_WITHOUT_A_REQUEST: dict[str, str] = {}
"""Granted actions no request of the CLI names, each with why AWS checks it anyway."""


@contextmanager
def acting_as(caller: str) -> Iterator[None]:
    """This thread's requests recorded as ``caller``'s (the emulator's per-function record)."""
    outer = getattr(INVOCATION, "function", None), getattr(INVOCATION, "deployment", None)
    INVOCATION.function, INVOCATION.deployment = caller, None
    try:
        yield
    finally:
        INVOCATION.function, INVOCATION.deployment = outer


def granted() -> list[str]:
    """The actions the role's inline policies allow, as written."""
    role = template.load(policies.TEMPLATE).resources[ROLE]
    return [
        action
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
        for action in policies._listed(statement["Action"])
    ]


def sam_deployed(local: Local) -> None:
    """The CloudFormation stack ``sam deploy`` leaves: the outputs the CLI reads."""
    outputs = {
        "BundleBucketName": local.stack.bucket,
        "DeployStateMachineArn": local.stack.state_machine_arn,
        "DeploymentsTableName": "lattice-deploy-DeploymentsTable",
    }
    body = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    local.aws.client("cloudformation").create_stack(
        StackName="lattice-deploy", TemplateBody=json.dumps(body)
    )


def cli(*args: str) -> int:
    """``lattice-deploy ARGS`` against the real stack (no --endpoint-url), as the role."""
    with acting_as(ROLE):
        return main([*args, "--stack", "lattice-deploy", "--region", "ap-northeast-1"])


def _edit(directory: Path, image: str) -> Path:
    task = json.loads((directory / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["image"] = image
    (directory / "ecs-task-def.json").write_text(json.dumps(task))
    return directory


def test_the_github_role_grants_exactly_what_deploy_status_and_rollback_need(
    local: Local, tmp_path: Path
) -> None:
    sam_deployed(local)
    assert cli("deploy", str(EXAMPLE), "--github") == 0
    assert cli("deploy", str(EXAMPLE), "--github") == 0  # unchanged: the upload is skipped
    local.aws.inject("unhealthy-targets:doomed")
    assert cli("deploy", str(renamed(EXAMPLE, tmp_path, "doomed")), "--github") == 1
    local.aws.clear_faults()
    canary: dict[str, Any] = {"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 10.0}}
    assert cli("deploy", str(bundle_of(tmp_path, "nginx:1.27", strategy="ROLLING"))) == 0
    assert cli("deploy", str(bundle_of(tmp_path, "nginx:1.28", **canary))) == 0
    assert cli("status", "myservice") == 0
    assert cli("status", "doomed") == 1
    assert cli("status", "checkout", "--json") == 0  # its tasks in either group: looked up
    assert cli("rollback", "checkout", "--dry-run") == 0
    assert cli("rollback", "checkout") == 0  # back to 1.27: its pinned versions checked
    assert cli("status") == 0
    needed = CALLS.actions().get(ROLE, set())
    allowed = granted()
    missing = sorted(a for a in needed if not policies.allows(allowed, a))
    assert not missing, f"needed but not granted to {ROLE}:\n" + "\n".join(missing)
    unused = sorted(
        a
        for a in allowed
        if a not in NEEDED_WITHOUT_A_REQUEST and not any(policies.allows([a], n) for n in needed)
    )
    assert not unused, f"granted to {ROLE} but never needed:\n" + "\n".join(unused)
    assert needed, "nothing recorded: the CLI's requests were not attributed"


def test_only_the_named_repositorys_workflows_may_assume_it_and_only_when_asked() -> None:
    loaded = template.load(policies.TEMPLATE)
    assert loaded.parameters["GitHubRepository"] == ""  # no role unless a repository is named
    role = loaded.resources[ROLE]
    assert role["Condition"] == "GitHubDeploy"
    assert loaded.resources["GitHubOidcProvider"]["Condition"] == "CreateGitHubOidcProvider"
    provider = loaded.resources["GitHubOidcProvider"]["Properties"]
    assert provider["Url"] == "https://token.actions.githubusercontent.com"
    assert provider["ClientIdList"] == ["sts.amazonaws.com"]
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Principal"]["Federated"] == {
        "Fn::If": [
            "CreateGitHubOidcProvider",
            {"Ref": "GitHubOidcProvider"},
            {"Ref": "GitHubOidcProviderArn"},
        ]
    }
    assert trust["Condition"] == {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {
            "token.actions.githubusercontent.com:sub": {
                "Fn::Sub": "repo:${GitHubRepository}:${GitHubSubject}"
            }
        },
    }
    assert loaded.parameters["GitHubSubject"] == "*"  # any workflow of that repository
    statements = [
        s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]
    ]
    assert all(s["Effect"] == "Allow" for s in statements)
    writes = {
        a
        for s in statements
        for a in s["Action"]
        if not a.split(":")[1].startswith(("Get", "List", "Describe"))
    }
    assert writes == {"s3:PutObject", "states:StartExecution"}  # nothing else it can change
    (put,) = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert put["Resource"] == {"Fn::Sub": "${BundleBucket.Arn}/definitions/*"}
