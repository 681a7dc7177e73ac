"""VPC Lattice auth policies from the friendly block: deployed (GetAuthPolicy returns the bundle's
policy, the service is AWS_IAM), a change of policy alone updated and shown by ``plan``, put back
by a rollback, and never put on what the bundle adopts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deployer.bundle import plan as planner
from deployer.bundle.account_check import plan_of
from deployer.core.errors import BundleInvalid
from lattice_deploy.runner import execution

from .conftest import Local

VPC = "vpc-12345678"


def allowing(vpc: str, action: str = "vpc-lattice-svcs:Invoke") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": action,
                "Resource": "*",
                "Condition": {"StringEquals": {"vpc-lattice-svcs:SourceVpc": vpc}},
            }
        ],
    }


def with_auth(auth: dict[str, Any] | None = None, **extra: Any) -> Any:
    def edit(service: dict[str, Any]) -> None:
        block = service["vpcLatticeConfiguration"]
        if auth is not None:
            block["auth"] = auth
        block.update(extra)

    return edit


def new_image(task: dict[str, Any]) -> None:
    task["containerDefinitions"][0]["image"] = "nginx:1.27"


def lattice_service(local: Local, name: str = "dev-myservice-service") -> dict[str, Any]:
    api = local.aws.client("vpc-lattice")
    (found,) = [s for s in api.list_services()["items"] if s["name"] == name]
    return dict(api.get_service(serviceIdentifier=found["id"]))


def policy_of(local: Local, arn: str) -> dict[str, Any]:
    return dict(local.aws.client("vpc-lattice").get_auth_policy(resourceIdentifier=arn))


def auth_changes(local: Local) -> list[str]:
    """The mutating auth calls served since the last reset."""
    changing = ("PutAuthPolicy", "DeleteAuthPolicy", "UpdateService", "UpdateServiceNetwork")
    return [k for k in local.aws.calls()["mutatingCalls"] if k.endswith(changing)]


def resource(summary: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(r for r in summary["resources"] if r["type"] == kind)


def test_aws_iam_with_a_policy_allowing_one_vpc_deploys_and_get_auth_policy_returns_it(
    local: Local, bundle: Any
) -> None:
    directory = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}))
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED"
    service = lattice_service(local)
    assert service["authType"] == "AWS_IAM"
    got = policy_of(local, service["arn"])
    assert json.loads(got["policy"]) == allowing(VPC)
    assert got["state"] == "Active"
    assert "\n" not in got["policy"]  # PutAuthPolicy: no newlines
    assert resource(summary, "latticeService")["auth"] == {"type": "AWS_IAM"}
    network = local.aws.client("vpc-lattice").list_service_networks()["items"][0]
    assert network["name"] == "dev-servicenetwork"
    local.aws.reset_calls()
    again = local.deploy(directory)
    assert resource(again, "latticeService")["action"] == "unchanged"
    assert not auth_changes(local)


def test_a_bundle_without_auth_makes_no_auth_call(local: Local) -> None:
    from .conftest import EXAMPLE

    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    assert lattice_service(local)["authType"] == "NONE"
    assert not [k for k in local.aws.calls()["calls"] if "AuthPolicy" in k]
    assert not auth_changes(local)


def test_a_change_of_policy_alone_is_an_update_plan_shows_as_a_diff(
    local: Local, bundle: Any
) -> None:
    first = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}))
    assert local.deploy(first)["status"] == "SUCCEEDED"
    other = allowing("vpc-0abc1234def567890")
    edited = bundle("edited", service=with_auth({"type": "AWS_IAM", "policy": other}))
    files = execution.rendered(execution.read_bundle(edited))
    changes = {i["resource"]: i for i in planner.plan_changes(plan_of(files, "plan", "dev"))}
    assert changes["latticeService"]["action"] == "change"
    assert changes["latticeService"]["diff"] == [
        {"path": "auth.policy", "current": allowing(VPC), "desired": other}
    ]
    summary = local.deploy(edited)
    assert summary["status"] == "SUCCEEDED"
    made = resource(summary, "latticeService")
    assert made["action"] == "updated"
    assert made["previous"]["auth"] == {"type": "AWS_IAM", "policy": allowing(VPC)}
    assert json.loads(policy_of(local, lattice_service(local)["arn"])["policy"]) == other


def test_the_same_policy_as_json_text_or_reordered_is_no_change(local: Local, bundle: Any) -> None:
    assert (
        local.deploy(bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)})))[
            "status"
        ]
        == "SUCCEEDED"
    )
    text = json.dumps(dict(reversed(list(allowing(VPC).items()))), indent=4)
    edited = bundle("text", service=with_auth({"type": "AWS_IAM", "policy": text}))
    files = execution.rendered(execution.read_bundle(edited))
    changes = {i["resource"]: i for i in planner.plan_changes(plan_of(files, "plan", "dev"))}
    assert changes["latticeService"]["action"] == "unchanged"


def test_turning_auth_on_for_a_deployed_service_then_a_failed_run_restores_none(
    local: Local, bundle: Any
) -> None:
    from .conftest import EXAMPLE

    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets:myservice:2")
    edited = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}), task=new_image)
    failed = local.deploy(edited)
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    service = lattice_service(local)
    assert service["authType"] == "NONE"
    api = local.aws.client("vpc-lattice")
    try:
        api.get_auth_policy(resourceIdentifier=service["arn"])
        raise AssertionError("the policy the run added is still there")
    except api.exceptions.ResourceNotFoundException:
        pass


def test_a_failed_run_after_a_policy_change_restores_the_previous_policy(
    local: Local, bundle: Any
) -> None:
    first = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}))
    assert local.deploy(first)["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets:myservice:2")
    other = allowing("vpc-0abc1234def567890")
    failed = local.deploy(
        bundle("edited", service=with_auth({"type": "AWS_IAM", "policy": other}), task=new_image)
    )
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    service = lattice_service(local)
    assert service["authType"] == "AWS_IAM"
    assert json.loads(policy_of(local, service["arn"])["policy"]) == allowing(VPC)
    restored = failed["rollback"]["restored"]
    assert {"type": "latticeService", "id": service["id"]} in [
        {k: r[k] for k in ("type", "id")} for r in restored
    ]


def test_an_adopted_service_and_network_keep_their_auth_and_a_notice_says_so(
    local: Local, bundle: Any
) -> None:
    api = local.aws.client("vpc-lattice")
    mine = api.create_service(name="hand-made", authType="NONE")
    network = api.create_service_network(name="shared-network", authType="AWS_IAM")
    theirs = allowing("vpc-0fedcba9876543210")
    api.put_auth_policy(resourceIdentifier=network["arn"], policy=json.dumps(theirs))
    asked = {"type": "AWS_IAM", "policy": allowing(VPC)}
    adopt = {"service": "hand-made", "serviceNetwork": network["arn"], "networkAuth": asked}
    local.aws.reset_calls()
    summary = local.deploy(bundle(service=with_auth(asked, **adopt)))
    assert summary["status"] == "SUCCEEDED"
    assert api.get_service(serviceIdentifier=mine["id"])["authType"] == "NONE"
    assert json.loads(policy_of(local, network["arn"])["policy"]) == theirs
    said = [w for w in summary.get("warnings", []) if "is adopted" in w]
    assert len(said) == 2
    assert any("vpcLatticeConfiguration.networkAuth" in w and "never changed" in w for w in said)
    assert resource(summary, "serviceNetwork")["auth"] == {"type": "AWS_IAM", "adopted": True}
    assert not auth_changes(local)


def test_network_auth_is_put_on_the_network_the_run_creates(local: Local, bundle: Any) -> None:
    asked = {"type": "AWS_IAM", "policy": allowing(VPC)}
    summary = local.deploy(bundle(service=with_auth(networkAuth=asked)))
    assert summary["status"] == "SUCCEEDED"
    network = resource(summary, "serviceNetwork")
    assert network["action"] == "created"
    api = local.aws.client("vpc-lattice")
    assert api.get_service_network(serviceNetworkIdentifier=network["arn"])["authType"] == "AWS_IAM"
    assert json.loads(policy_of(local, network["arn"])["policy"]) == allowing(VPC)
    assert lattice_service(local)["authType"] == "NONE"


def test_status_shows_the_auth_type_and_who_may_call(local: Local, bundle: Any) -> None:
    from lattice_deploy.cli.status import render
    from lattice_deploy.runner.status import status

    directory = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}))
    assert local.deploy(directory)["status"] == "SUCCEEDED"
    auth = status(local.target, "myservice")["health"]["lattice"]["auth"]
    assert auth == {
        "type": "AWS_IAM",
        "summary": f"AWS_IAM: Allow Invoke from {VPC} (SourceVpc)",
    }
    assert f"  auth: {auth['summary']}" in render(status(local.target, "myservice"))


def test_the_owned_networks_policy_is_updated_and_put_back_by_a_rollback(
    local: Local, bundle: Any
) -> None:
    first = {"type": "AWS_IAM", "policy": allowing(VPC)}
    made = local.deploy(bundle(service=with_auth(networkAuth=first)))
    network = resource(made, "serviceNetwork")["arn"]
    other = {"type": "AWS_IAM", "policy": allowing("vpc-0abc1234def567890")}
    edited = bundle("edited", service=with_auth(networkAuth=other), task=new_image)
    files = execution.rendered(execution.read_bundle(edited))
    changes = {i["resource"]: i for i in planner.plan_changes(plan_of(files, "plan", "dev"))}
    assert changes["serviceNetwork"]["action"] == "change"
    assert [d["path"] for d in changes["serviceNetwork"]["diff"]] == ["auth.policy"]
    local.aws.inject("unhealthy-targets:myservice:2")
    failed = local.deploy(edited)
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    assert resource(failed, "serviceNetwork")["action"] == "updated"
    assert json.loads(policy_of(local, network)["policy"]) == allowing(VPC)


def test_the_console_shows_who_may_call(local: Local, bundle: Any) -> None:
    from lattice_deploy.console import api

    directory = bundle(service=with_auth({"type": "AWS_IAM", "policy": allowing(VPC)}))
    summary = local.deploy(directory)
    shown = api.execution(summary["executionArn"])["lattice"]
    assert shown["auth"] == f"AWS_IAM: Allow Invoke from {VPC} (SourceVpc)"


def test_a_wrong_auth_block_is_refused_before_any_change(local: Local, bundle: Any) -> None:
    wrong = allowing(VPC)
    wrong["Statement"][0]["Condition"] = {"StringEquals": {"vpc-lattice-svcs:SourseVpc": VPC}}
    local.aws.reset_calls()
    with pytest.raises(BundleInvalid, match="did you mean 'vpc-lattice-svcs:SourceVpc'"):
        local.deploy(bundle(service=with_auth({"type": "AWS_IAM", "policy": wrong})))
    changed = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lat"))]
    assert changed == []
