"""Listener default actions, refused as VPC Lattice refuses them (the model's RuleAction, as rules'
actions are), and a TLS_PASSTHROUGH listener's own rules (User Guide, "TLS listeners"): a service
with a custom domain name, a forward to TCP target groups only, no listener rules. Before these,
a TLS listener forwarding to an HTTP group was stored and a deploy behind it SUCCEEDED."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from lattice_deploy.emulator import EmbeddedAws

from .helpers import VPC, target_group

UNCHECKED = Config(parameter_validation=False, retries={"total_max_attempts": 1})
"""What botocore would refuse itself (a union of two, an empty list) must reach the emulator."""


def forward(*groups: str, weight: int = 100) -> dict[str, Any]:
    return {
        "forward": {
            "targetGroups": [{"targetGroupIdentifier": g, "weight": weight} for g in groups]
        }
    }


def tcp_group(lattice: Any, name: str = "myservice-tcp") -> dict[str, Any]:
    config = {"port": 443, "protocol": "TCP", "vpcIdentifier": VPC}
    return dict(lattice.create_target_group(name=name, type="IP", config=config))


def tls_listener(lattice: Any, service: str, action: dict[str, Any]) -> dict[str, Any]:
    return dict(
        lattice.create_listener(
            serviceIdentifier=service,
            name="myservice-tls",
            protocol="TLS_PASSTHROUGH",
            port=443,
            defaultAction=action,
        )
    )


def refused(call: Any, **asked: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**asked)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return str(caught.value)


def test_a_tls_listener_forwards_to_tcp_groups_of_a_service_with_a_custom_domain(
    lattice: Any,
) -> None:
    domain = lattice.create_service(name="myservice", customDomainName="myservice.example.com")
    http, tcp = target_group(lattice), tcp_group(lattice)
    said = refused(tls_listener, lattice=lattice, service=domain["id"], action=forward(http["id"]))
    assert "TCP target groups only" in said and http["id"] in said
    fixed = {"fixedResponse": {"statusCode": 404}}
    said = refused(tls_listener, lattice=lattice, service=domain["id"], action=fixed)
    assert "must forward to a TCP target group" in said
    plain = lattice.create_service(name="plain")
    said = refused(tls_listener, lattice=lattice, service=plain["id"], action=forward(tcp["id"]))
    assert "custom domain name" in said
    assert lattice.list_listeners(serviceIdentifier=domain["id"])["items"] == []

    listener = tls_listener(lattice, domain["id"], forward(tcp["id"]))
    assert listener["protocol"] == "TLS_PASSTHROUGH"
    said = refused(
        lattice.update_listener,
        serviceIdentifier=domain["id"],
        listenerIdentifier=listener["id"],
        defaultAction=forward(http["id"]),
    )
    assert "TCP target groups only" in said
    said = refused(
        lattice.create_rule,
        serviceIdentifier=domain["id"],
        listenerIdentifier=listener["id"],
        name="production",
        priority=10,
        match={"httpMatch": {"pathMatch": {"match": {"prefix": "/"}}}},
        action=forward(tcp["id"]),
    )
    assert "only rule allowed" in said


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (forward("GROUP", weight=1000), "weight must be 0 to 999"),
        (forward("GROUP", weight=-1), "weight must be 0 to 999"),
        ({"fixedResponse": {"statusCode": 600}}, "statusCode must be 100 to 599"),
        ({"fixedResponse": {"statusCode": 99}}, "statusCode must be 100 to 599"),
        ({"forward": {"targetGroups": []}}, "1 to 10 target groups"),
        (forward(*["GROUP"] * 11), "1 to 10 target groups"),
        ({**forward("GROUP"), "fixedResponse": {"statusCode": 404}}, "exactly one of"),
        ({}, "exactly one of"),
    ],
    ids=[
        "weight-1000",
        "weight-minus-1",
        "status-600",
        "status-99",
        "no-group",
        "11-groups",
        "both-members",
        "no-member",
    ],
)
def test_a_default_action_the_model_refuses_is_refused_on_create_and_update(
    aws: EmbeddedAws, action: dict[str, Any], words: str
) -> None:
    lattice = aws.client("vpc-lattice", config=UNCHECKED)
    group = target_group(lattice)
    action = _with_group(action, group["id"])
    service = lattice.create_service(name="myservice")
    asked = {"serviceIdentifier": service["id"], "name": "myservice-listener", "protocol": "HTTP"}
    assert words in refused(lattice.create_listener, **asked, port=80, defaultAction=action)
    listener = lattice.create_listener(**asked, port=80, defaultAction=forward(group["id"]))
    assert words in refused(
        lattice.update_listener,
        serviceIdentifier=service["id"],
        listenerIdentifier=listener["id"],
        defaultAction=action,
    )


def _with_group(action: dict[str, Any], group: str) -> dict[str, Any]:
    targets = (action.get("forward") or {}).get("targetGroups") or []
    for target in targets:
        target["targetGroupIdentifier"] = group
    return action


def test_a_default_action_within_the_bounds_is_taken(lattice: Any) -> None:
    group = target_group(lattice)
    service = lattice.create_service(name="myservice")
    for port, action in (
        (80, forward(group["id"], weight=0)),
        (81, forward(group["id"], weight=999)),
    ):
        lattice.create_listener(
            serviceIdentifier=service["id"],
            name=f"l{port}",
            protocol="HTTP",
            port=port,
            defaultAction=action,
        )
    for port, code in ((82, 100), (83, 599)):
        lattice.create_listener(
            serviceIdentifier=service["id"],
            name=f"l{port}",
            protocol="HTTP",
            port=port,
            defaultAction={"fixedResponse": {"statusCode": code}},
        )
    assert len(lattice.list_listeners(serviceIdentifier=service["id"])["items"]) == 4
