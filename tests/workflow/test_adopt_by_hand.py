"""An account set up by hand, as the origin document's procedure does (plain API calls first):
the first deploy adopts every piece by name, keeps them in a rollback, and refuses a listener
made by hand that forwards elsewhere, saying exactly what differs."""

from __future__ import annotations

from typing import Any

from .conftest import Local
from .test_adopt_and_errors import _network_made_by_hand, lattice_config

VPC = "vpc-12345678"


def _built_by_hand(local: Local, forward_to_it: bool = True) -> dict[str, Any]:
    """Network, VPC association, service, target group, listener, service association."""
    api = local.aws.client("vpc-lattice")
    network, _ = _network_made_by_hand(local)
    service = api.create_service(name="shop", authType="NONE")
    group = api.create_target_group(
        name="shop-tg", type="IP", config={"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC}
    )
    elsewhere = api.create_target_group(
        name="legacy-tg", type="IP", config={"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC}
    )
    target = group if forward_to_it else elsewhere
    listener = api.create_listener(
        serviceIdentifier=service["id"],
        name="http",
        protocol="HTTP",
        port=80,
        defaultAction={
            "forward": {"targetGroups": [{"targetGroupIdentifier": target["id"], "weight": 100}]}
        },
    )
    association = api.create_service_network_service_association(
        serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
    )
    return {
        "network": network,
        "service": service,
        "group": group,
        "elsewhere": elsewhere,
        "listener": listener,
        "association": association,
    }


def _lattice_made(local: Local) -> list[str]:
    mutating = local.aws.calls()["mutatingCalls"]
    return sorted(k for k in mutating if k.startswith("vpc-lattice") and "Create" in k)


def test_every_hand_made_piece_is_adopted_by_name_and_kept_by_a_rollback(
    local: Local, bundle: Any
) -> None:
    made = _built_by_hand(local)
    directory = bundle(service=lattice_config(service="shop", targetGroup="shop-tg"))
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(directory)
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    local.aws.clear_faults()
    api = local.aws.client("vpc-lattice")
    assert [s["name"] for s in api.list_services()["items"]] == ["shop"]
    assert {g["name"] for g in api.list_target_groups()["items"]} == {"shop-tg", "legacy-tg"}
    (kept,) = api.list_listeners(serviceIdentifier=made["service"]["id"])["items"]
    assert kept["id"] == made["listener"]["id"]
    (link,) = api.list_service_network_service_associations(
        serviceIdentifier=made["service"]["id"]
    )["items"]
    assert link["id"] == made["association"]["id"]
    assert [n["name"] for n in api.list_service_networks()["items"]] == ["my-service-network"]
    assert len(api.list_service_network_vpc_associations(vpcIdentifier=VPC)["items"]) == 1

    local.aws.reset_calls()
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    actions = {r["type"]: (r["action"], r.get("id")) for r in summary["resources"]}
    assert actions["latticeService"] == ("adopted", made["service"]["id"])
    assert actions["targetGroup"] == ("adopted", made["group"]["id"])
    assert actions["serviceNetwork"][0] == "adopted"
    assert actions["listener"] == ("unchanged", made["listener"]["id"])
    assert actions["serviceAssociation"] == ("unchanged", made["association"]["id"])
    assert _lattice_made(local) == []  # nothing made in their place
    targets = api.list_targets(targetGroupIdentifier=made["group"]["id"])["items"]
    serving = [t for t in targets if t["status"] != "DRAINING"]  # the old tasks drain 5 min
    assert len(serving) == 3 and {t["status"] for t in serving} == {"HEALTHY"}


def test_a_hand_made_listener_forwarding_elsewhere_is_refused_saying_what_differs(
    local: Local, bundle: Any
) -> None:
    made = _built_by_hand(local, forward_to_it=False)
    local.aws.reset_calls()
    summary = local.deploy(bundle(service=lattice_config(service="shop", targetGroup="shop-tg")))
    assert summary["status"] == "FAILED" and summary["failure"]["error"] == "BundleInvalid"
    message = summary["failure"]["message"]
    assert f"listener http on port 80 of Lattice service {made['service']['arn']}" in message
    assert f"forwards to target group {made['elsewhere']['id']} (weight 100)" in message
    assert f"not to {made['group']['arn']} (weight 100)" in message
    assert "vpcLatticeConfiguration.targetGroup" in message
    changed = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lat"))]
    assert changed == []
    api = local.aws.client("vpc-lattice")
    action = api.get_listener(
        serviceIdentifier=made["service"]["id"], listenerIdentifier=made["listener"]["id"]
    )["defaultAction"]
    assert action["forward"]["targetGroups"][0]["targetGroupIdentifier"] == made["elsewhere"]["id"]


def test_naming_the_group_it_forwards_to_adopts_that_listener_as_it_is(
    local: Local, bundle: Any
) -> None:
    made = _built_by_hand(local, forward_to_it=False)
    summary = local.deploy(bundle(service=lattice_config(service="shop", targetGroup="legacy-tg")))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    actions = {r["type"]: (r["action"], r.get("id")) for r in summary["resources"]}
    assert actions["listener"] == ("unchanged", made["listener"]["id"])
    assert actions["targetGroup"] == ("adopted", made["elsewhere"]["id"])


def test_a_name_that_does_not_exist_yet_is_created_by_it_and_removed_by_a_rollback(
    local: Local, bundle: Any
) -> None:
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(bundle(service=lattice_config(service="brand-new", targetGroup="new-tg")))
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    made = {r["type"]: r["action"] for r in failed["resources"]}
    assert made["latticeService"] == "created" and made["targetGroup"] == "created"
    api = local.aws.client("vpc-lattice")
    assert api.list_services()["items"] == [] and api.list_target_groups()["items"] == []
