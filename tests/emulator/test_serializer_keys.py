"""moto's serializer tries the same keys for a member as before, worked out once per kind of
object (emulator/serializer.py): a reply is what moto's own picker makes of it."""

from __future__ import annotations

from typing import Any

import pytest
from moto.core import serialize
from moto.core.utils import get_service_model

from lattice_deploy.emulator import serializer

pytestmark = pytest.mark.timeout(30)


class Cluster:  # a model object whose class name prefixes its members' names ("clusterName")
    def __init__(self, name: str) -> None:
        self.name = name


class Service:
    def __init__(self, name: str) -> None:
        self.name = name


def _keys(picker: Any, obj: Any, key: str, shape: Any) -> list[str]:
    context = serialize.AttributePickerContext(obj=obj, key=key, shape=shape)
    return list(picker.get_possible_keys(context))


@pytest.fixture
def member() -> Any:
    shape = get_service_model("ecs").shape_for("Cluster")
    member = shape.members["clusterName"]
    member.parent = shape
    return member


def test_the_keys_are_moto_s_own_and_asked_for_once(member: Any) -> None:
    serializer.install()
    picker = serialize.XFormedAttributePicker()
    expected = list(
        serializer._original(
            picker,
            serialize.AttributePickerContext(obj=Cluster("a"), key="clusterName", shape=member),
        )
    )
    assert _keys(picker, Cluster("a"), "clusterName", member) == expected
    assert "name" in expected  # Cluster.clusterName may be .name
    before = len(serializer._KEYS)
    assert _keys(picker, Cluster("b"), "clusterName", member) == expected
    assert len(serializer._KEYS) == before  # the same kind: no new entry


def test_another_kind_of_object_gets_its_own_keys(member: Any) -> None:
    serializer.install()
    picker = serialize.XFormedAttributePicker()
    _keys(picker, Cluster("a"), "clusterName", member)
    mine = _keys(picker, Cluster("a"), "clusterName", member)
    other = _keys(picker, Service("a"), "clusterName", member)
    assert other != mine  # a class prefix alias for a Cluster only
    assert other == list(
        serializer._original(
            picker,
            serialize.AttributePickerContext(obj=Service("a"), key="clusterName", shape=member),
        )
    )
    got = picker(
        serialize.AttributePickerContext(obj={"clusterName": "x"}, key="clusterName", shape=member)
    )
    assert got == "x"
