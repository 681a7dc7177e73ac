"""ECS's own ``vpcLatticeConfigurations`` shape, on a target group a listener made by hand
already forwards to: that service and listener are adopted (a group serves one service's
listeners only), nothing second is made, and a rollback leaves them."""

from __future__ import annotations

from typing import Any

from .conftest import Local

VPC = "vpc-12345678"
ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice"


def _served_by_hand(local: Local) -> dict[str, Any]:
    api = local.aws.client("vpc-lattice")
    service = api.create_service(name="shop", authType="NONE")
    group = api.create_target_group(
        name="shop-tg", type="IP", config={"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC}
    )
    listener = api.create_listener(
        serviceIdentifier=service["id"],
        name="shop-8080",
        protocol="HTTP",
        port=8080,  # not the port a bundle's listener defaults to: taken as it is
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"]}]}},
    )
    return {"service": service, "group": group, "listener": listener}


def _native(group_arn: str) -> Any:
    def edit(service: dict[str, Any]) -> None:
        del service["vpcLatticeConfiguration"]
        service["vpcLatticeConfigurations"] = [
            {"roleArn": ROLE, "targetGroupArn": group_arn, "portName": "http"}
        ]

    return edit


def _lattice(local: Local, made: dict[str, Any]) -> tuple[list[str], list[str]]:
    api = local.aws.client("vpc-lattice")
    services = [s["name"] for s in api.list_services()["items"]]
    listeners = [
        ln["id"] for ln in api.list_listeners(serviceIdentifier=made["service"]["id"])["items"]
    ]
    return services, listeners


def test_the_service_already_forwarding_to_the_group_is_adopted_with_its_listener(
    local: Local, bundle: Any
) -> None:
    made = _served_by_hand(local)
    local.aws.reset_calls()
    summary = local.deploy(bundle(service=_native(made["group"]["arn"])))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    actions = {r["type"]: (r["action"], r.get("id")) for r in summary["resources"]}
    assert actions["latticeService"] == ("adopted", made["service"]["id"])
    assert actions["listener"] == ("unchanged", made["listener"]["id"])
    created = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith("vpc-lattice:Create")]
    assert "vpc-lattice:CreateService" not in created
    assert "vpc-lattice:CreateListener" not in created
    assert _lattice(local, made) == (["shop"], [made["listener"]["id"]])
    assert len(summary["targets"]) == 3


def test_a_rollback_leaves_the_adopted_service_and_listener(local: Local, bundle: Any) -> None:
    made = _served_by_hand(local)
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(bundle(service=_native(made["group"]["arn"])))
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    assert _lattice(local, made) == (["shop"], [made["listener"]["id"]])
    api = local.aws.client("vpc-lattice")
    assert [g["name"] for g in api.list_target_groups()["items"]] == ["shop-tg"]


def test_a_bundle_naming_another_service_for_a_served_group_is_refused(
    local: Local, bundle: Any
) -> None:
    made = _served_by_hand(local)

    def friendly(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"] = {
            "enabled": True,
            "service": "another",
            "targetGroupArn": made["group"]["arn"],
        }

    local.aws.reset_calls()
    summary = local.deploy(bundle(service=friendly))
    assert summary["status"] == "FAILED"
    message = summary["failure"]["message"]
    assert "ecs-service-def.json: vpcLatticeConfiguration.service: target group" in message
    assert f"in use by a listener of Lattice service {made['service']['arn']}" in message
    assert "the bundle names another (which does not exist)" in message
    assert not [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-la"))]
