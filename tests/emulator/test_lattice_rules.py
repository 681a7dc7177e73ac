"""VPC Lattice listener rules: weighted forwards a progressive deployment moves (moto 5.2 can only
create them, with a malformed ARN)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import served_target_group, target_group

EVERYTHING = {"httpMatch": {"pathMatch": {"match": {"prefix": "/"}}}}


def forward(*weighted: tuple[str, int]) -> dict[str, Any]:
    return {
        "forward": {
            "targetGroups": [{"targetGroupIdentifier": tg, "weight": w} for tg, w in weighted]
        }
    }


def production_rule(lattice: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    blue = served_target_group(lattice)
    green = target_group(lattice, "myservice-green")
    (listener,) = lattice.list_listeners(serviceIdentifier=blue["serviceId"])["items"]
    rule = lattice.create_rule(
        serviceIdentifier=blue["serviceId"],
        listenerIdentifier=listener["id"],
        name="production",
        priority=10,
        match=EVERYTHING,
        action=forward((blue["id"], 100), (green["id"], 0)),
        clientToken="token-1",
    )
    return blue, green, {**rule, "listenerId": listener["id"]}


def test_a_rule_is_read_back_listed_and_its_arn_is_under_its_listener(lattice: Any) -> None:
    blue, _, rule = production_rule(lattice)
    ident = {"serviceIdentifier": blue["serviceId"], "listenerIdentifier": rule["listenerId"]}
    got = lattice.get_rule(**ident, ruleIdentifier=rule["arn"])
    assert got["arn"].endswith(f"/listener/{rule['listenerId']}/rule/{rule['id']}")
    assert got["arn"].startswith(
        f"arn:aws:vpc-lattice:ap-northeast-1:123456789012:service/{blue['serviceId']}"
    )
    assert (got["priority"], got["isDefault"], got["match"]) == (10, False, EVERYTHING)
    (listed,) = lattice.list_rules(**ident)["items"]
    assert (listed["id"], listed["name"]) == (rule["id"], "production")


def test_weights_move_and_a_group_forwarded_to_by_a_rule_is_in_use(lattice: Any) -> None:
    blue, green, rule = production_rule(lattice)
    ident = {"serviceIdentifier": blue["serviceId"], "listenerIdentifier": rule["listenerId"]}
    moved = lattice.update_rule(
        **ident, ruleIdentifier=rule["id"], action=forward((blue["id"], 90), (green["id"], 10))
    )
    assert [g["weight"] for g in moved["action"]["forward"]["targetGroups"]] == [90, 10]
    assert moved["priority"] == 10  # what the update left out stays
    assert lattice.get_target_group(targetGroupIdentifier=green["id"])["serviceArns"] == [
        blue["serviceArn"]
    ]
    with pytest.raises(ClientError) as refused:
        lattice.delete_target_group(targetGroupIdentifier=green["id"])
    assert refused.value.response["Error"]["Code"] == "ConflictException"
    lattice.delete_rule(**ident, ruleIdentifier=rule["id"])
    assert lattice.list_rules(**ident)["items"] == []
    lattice.delete_target_group(targetGroupIdentifier=green["id"])  # no longer in use


def test_a_retried_create_returns_the_rule_it_made(lattice: Any) -> None:
    blue, green, rule = production_rule(lattice)
    again = lattice.create_rule(
        serviceIdentifier=blue["serviceId"],
        listenerIdentifier=rule["listenerId"],
        name="production",
        priority=10,
        match=EVERYTHING,
        action=forward((blue["id"], 100), (green["id"], 0)),
        clientToken="token-1",
    )
    assert again["id"] == rule["id"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"name": "rule-x"}, "ValidationException"),
        ({"name": "production"}, "ConflictException"),  # the name is taken on this listener
        ({"priority": 10, "name": "other"}, "ConflictException"),  # so is the priority
        ({"action": {"forward": {"targetGroups": [{"targetGroupIdentifier": "tg-"}]}}}, None),
    ],
)
def test_what_aws_refuses_is_refused(
    lattice: Any, change: dict[str, Any], code: str | None
) -> None:
    blue, green, rule = production_rule(lattice)
    asked = {
        "serviceIdentifier": blue["serviceId"],
        "listenerIdentifier": rule["listenerId"],
        "name": "other",
        "priority": 20,
        "match": EVERYTHING,
        "action": forward((green["id"], 1000 if code is None else 100)),
        **change,
    }
    if code is None:  # a weight above 999 or a malformed group: refused before it is stored
        asked["action"] = forward((green["id"], 1000))
        code = "ValidationException"
    with pytest.raises(ClientError) as refused:
        lattice.create_rule(**asked)
    assert refused.value.response["Error"]["Code"] == code


def test_batch_update_applies_each_rule_and_lists_the_refused(lattice: Any) -> None:
    blue, green, rule = production_rule(lattice)
    ident = {"serviceIdentifier": blue["serviceId"], "listenerIdentifier": rule["listenerId"]}
    answer = lattice.batch_update_rule(
        **ident,
        rules=[
            {"ruleIdentifier": rule["id"], "action": forward((blue["id"], 0), (green["id"], 100))},
            {"ruleIdentifier": "rule-0123456789abcdef0", "priority": 3},
        ],
    )
    assert [r["id"] for r in answer["successful"]] == [rule["id"]]
    assert [u["ruleIdentifier"] for u in answer["unsuccessful"]] == ["rule-0123456789abcdef0"]


def test_deleting_the_listener_deletes_its_rules(lattice: Any) -> None:
    blue, _, rule = production_rule(lattice)
    lattice.delete_listener(
        serviceIdentifier=blue["serviceId"], listenerIdentifier=rule["listenerId"]
    )
    with pytest.raises(ClientError):
        lattice.get_rule(
            serviceIdentifier=blue["serviceId"],
            listenerIdentifier=rule["listenerId"],
            ruleIdentifier=rule["id"],
        )
