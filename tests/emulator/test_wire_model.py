"""Every VPC Lattice operation the emulator answers is checked against the botocore model.

The raw JSON of each response is captured on the wire (before botocore parses it away) and must
pass its output shape (:func:`~lattice_deploy.emulator.shapes.check_response`: only its members,
the required ones, their types and constraints), with the model's HTTP status code. The test
run's hook (tests/shape_check.py) checks every reply too; this names the operations it must see.
"""

from __future__ import annotations

from typing import Any

from lattice_deploy.emulator.shapes import check_response
from lattice_deploy.emulator.vpclattice.targets import DRAIN_SECONDS

from .helpers import VPC, served_target_group

ADDED = {
    "RegisterTargets",
    "DeregisterTargets",
    "ListTargets",
    "DeleteServiceNetwork",
    "DeleteServiceNetworkVpcAssociation",
    "DeleteService",
    "DeleteTargetGroup",
    "DeleteListener",
    "DeleteServiceNetworkServiceAssociation",
    "DeleteAccessLogSubscription",
    "UpdateTargetGroup",
    "UpdateListener",
    "UpdateService",
    "UpdateServiceNetworkVpcAssociation",
    "GetServiceNetworkVpcAssociation",
    "CreateRule",
    "GetRule",
    "ListRules",
    "UpdateRule",
    "BatchUpdateRule",
    "DeleteRule",
}


def test_responses_match_the_output_shapes(aws: Any) -> None:
    lattice = aws.client("vpc-lattice")
    seen: dict[str, tuple[int, bytes]] = {}

    def capture(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        seen[operation_model.name] = (response_dict["status_code"], response_dict["body"])

    lattice.meta.events.register("before-parse.vpc-lattice.*", capture)

    sn = lattice.create_service_network(name="net-a")
    snva = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["id"], vpcIdentifier=VPC
    )
    lattice.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=snva["id"])
    lattice.update_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=snva["id"], securityGroupIds=["sg-12345678"]
    )
    tg = served_target_group(lattice)
    snsa = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=tg["serviceId"]
    )
    als = lattice.create_access_log_subscription(
        resourceIdentifier=tg["serviceId"], destinationArn="arn:aws:s3:::my-access-logs"
    )
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    lattice.list_targets(targetGroupIdentifier=tg["id"])
    lattice.deregister_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    lattice.update_target_group(targetGroupIdentifier=tg["id"], healthCheck={"path": "/health"})
    listener = lattice.list_listeners(serviceIdentifier=tg["serviceId"])["items"][0]
    on = {"serviceIdentifier": tg["serviceId"], "listenerIdentifier": listener["id"]}
    rule = lattice.create_rule(
        **on,
        name="production",
        priority=1,
        match={"httpMatch": {"pathMatch": {"match": {"prefix": "/"}}}},
        action={"forward": {"targetGroups": [{"targetGroupIdentifier": tg["id"], "weight": 1}]}},
    )
    lattice.get_rule(**on, ruleIdentifier=rule["id"]), lattice.list_rules(**on)
    lattice.update_rule(**on, ruleIdentifier=rule["id"], priority=2)
    lattice.batch_update_rule(**on, rules=[{"ruleIdentifier": rule["id"], "priority": 3}])
    lattice.delete_rule(**on, ruleIdentifier=rule["id"])
    lattice.update_listener(
        serviceIdentifier=tg["serviceId"],
        listenerIdentifier=listener["id"],
        defaultAction={"fixedResponse": {"statusCode": 404}},
    )
    lattice.update_service(serviceIdentifier=tg["serviceId"], authType="AWS_IAM")
    lattice.list_services(), lattice.list_target_groups(), lattice.list_service_networks()
    lattice.get_target_group(targetGroupIdentifier=tg["id"])
    lattice.delete_access_log_subscription(accessLogSubscriptionIdentifier=als["id"])
    lattice.delete_listener(serviceIdentifier=tg["serviceId"], listenerIdentifier=listener["id"])
    lattice.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=snsa["id"]
    )
    aws.advance(DRAIN_SECONDS)  # the association's delete completes, the target drains
    lattice.delete_service(serviceIdentifier=tg["serviceId"])
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    lattice.delete_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=snva["id"]
    )
    aws.advance(60)
    lattice.delete_service_network(serviceNetworkIdentifier=sn["id"])

    service_model = lattice.meta.service_model
    assert set(seen) >= ADDED, f"not exercised: {ADDED - set(seen)}"
    for name, (status, body) in seen.items():
        operation = service_model.operation_model(name)
        assert check_response(operation, status, body) == [], name  # status, members, values
