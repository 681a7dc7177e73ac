"""The output-shape checker finds each kind of departure on a hand-made body, and only those.

A synthetic model holds one member of every kind; the real models confirm the cases the issue
names (a summary's extra member, Cloud Map's SOA without TTL, a 201 answered with 200).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.model import ShapeResolver

from lattice_deploy.emulator import shape_log
from lattice_deploy.emulator.shapes import check_response, check_value, conform, service_model

SHAPES: dict[str, Any] = {
    "Reply": {
        "type": "structure",
        "required": ["name", "count"],
        "members": {
            "name": {"shape": "Name"},
            "count": {"shape": "Count"},
            "ratio": {"shape": "Ratio"},
            "on": {"shape": "Flag"},
            "at": {"shape": "Epoch"},
            "iso": {"shape": "Iso"},
            "data": {"shape": "Data"},
            "colour": {"shape": "Colour"},
            "items": {"shape": "Items"},
            "labels": {"shape": "Labels"},
            "choice": {"shape": "Choice"},
            "renamed": {"shape": "Name", "locationName": "Renamed"},
            "header": {"shape": "Name", "location": "header", "locationName": "x-h"},
            "anything": {"shape": "Anything"},
        },
    },
    "Name": {"type": "string", "min": 3, "max": 8, "pattern": "[a-z]+"},
    "Count": {"type": "integer", "min": 1, "max": 10},
    "Ratio": {"type": "double"},
    "Flag": {"type": "boolean"},
    "Epoch": {"type": "timestamp"},
    "Iso": {"type": "timestamp", "timestampFormat": "iso8601"},
    "Data": {"type": "blob"},
    "Colour": {"type": "string", "enum": ["RED", "BLUE"]},
    "Items": {"type": "list", "member": {"shape": "Name"}, "max": 2},
    "Labels": {"type": "map", "key": {"shape": "Colour"}, "value": {"shape": "Count"}},
    "Choice": {
        "type": "structure",
        "union": True,
        "members": {"a": {"shape": "Name"}, "b": {"shape": "Name"}},
    },
    "Anything": {"type": "structure", "members": {}, "document": True},
}
REPLY = ShapeResolver(SHAPES).get_shape_by_name("Reply")
GOOD = {
    "name": "abc",
    "count": 2,
    "ratio": 1,
    "on": False,
    "at": 1700000000.5,
    "iso": "2024-01-02T03:04:05Z",
    "data": "aGk=",
    "colour": "RED",
    "items": ["abc"],
    "labels": {"BLUE": 3},
    "choice": {"a": "abc"},
    "Renamed": "abc",
    "anything": {"free": ["form", 1]},
}


def problems(**changes: Any) -> list[tuple[str, str]]:
    body = {k: v for k, v in {**GOOD, **changes}.items() if v is not ...}
    return check_value(REPLY, body)


def test_a_body_of_the_shape_passes() -> None:
    assert problems() == []
    assert problems(ratio=None) == []  # a null is an absent member, as botocore reads it


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"count": ...}, "$.count", "required member of Reply missing"),
        ({"count": None}, "$.count", "required member of Reply missing"),
        ({"extra": 1}, "$.extra", "not a member of Reply"),
        ({"x-h": "abc"}, "$.x-h", "not a member"),  # a header member is not in the body
        ({"renamed": "abc"}, "$.renamed", "not a member"),  # the body name is Renamed
        ({"name": 3}, "$.name", "int 3 where a string belongs"),
        ({"name": "ab"}, "$.name", "length 2 < min 3"),
        ({"name": "abcdefghi"}, "$.name", "length 9 > max 8"),
        ({"name": "abC"}, "$.name", "does not match pattern"),
        ({"count": "2"}, "$.count", "where integer belongs"),
        ({"count": True}, "$.count", "where integer belongs"),
        ({"count": 1.5}, "$.count", "where integer belongs"),
        ({"count": 11}, "$.count", "value 11 > max 10"),
        ({"ratio": "1"}, "$.ratio", "where double belongs"),
        ({"on": "false"}, "$.on", "where boolean belongs"),
        ({"at": "2024-01-02T03:04:05Z"}, "$.at", "is not epoch seconds"),
        ({"iso": 1700000000}, "$.iso", "is not a string"),
        ({"iso": "yesterday"}, "$.iso", "is not ISO 8601"),
        ({"data": "not base64!"}, "$.data", "is not base64"),
        ({"colour": "GREEN"}, "$.colour", "'GREEN' not in enum"),
        ({"items": "abc"}, "$.items", "str where a list belongs"),
        ({"items": ["abc", "abd", "abe"]}, "$.items", "items 3 > max 2"),
        ({"items": ["abc", None]}, "$.items[1]", "null item"),
        ({"items": ["abc", "ABC"]}, "$.items[1]", "does not match pattern"),
        ({"labels": {"GREEN": 1}}, "$.labels.<key 'GREEN'>", "not in enum"),
        ({"labels": {"RED": 0}}, "$.labels.RED", "value 0 < min 1"),
        ({"labels": []}, "$.labels", "list where a map belongs"),
        ({"choice": {"a": "abc", "b": "abc"}}, "$.choice", "union Choice has 2 members set"),
        ({"choice": {}}, "$.choice", "union Choice has 0 members set"),
        ({"choice": "a"}, "$.choice", "str where a structure belongs"),
    ],
)
def test_each_departure_is_found_with_its_path(
    changes: dict[str, Any], path: str, words: str
) -> None:
    found = problems(**changes)
    assert len(found) == 1, found
    assert found[0][0] == path and words in found[0][1], found


def test_real_models_the_issue_names() -> None:
    lattice, cloud_map = service_model("vpc-lattice"), service_model("servicediscovery")
    listed = {
        "items": [
            {
                "id": "listener-0123456789abcdefg",
                "port": 80,
                "protocol": "HTTP",
                "serviceId": "svc-0123456789abcdefg",
            }
        ]
    }
    found = check_response(lattice.operation_model("ListListeners"), 200, json.dumps(listed))
    assert [(v.path, v.problem) for v in found] == [
        ("$.items[0].serviceId", "not a member of ListenerSummary")
    ]
    namespace = {"Namespace": {"Properties": {"DnsProperties": {"SOA": {}}}}}
    found = check_response(cloud_map.operation_model("GetNamespace"), 200, json.dumps(namespace))
    assert [v.path for v in found] == ["$.Namespace.Properties.DnsProperties.SOA.TTL"]
    created = {"id": "svc-0123456789abcdefg", "name": "orders", "status": "ACTIVE"}
    found = check_response(lattice.operation_model("CreateService"), 200, json.dumps(created))
    assert [v.problem for v in found] == ["status 200, the model says 201"]


def test_what_is_not_json_or_not_a_success_is_not_checked() -> None:
    invoke = service_model("lambda").operation_model("Invoke")  # a blob payload
    assert check_response(invoke, 200, b"\x00 not json") == []
    lattice = service_model("vpc-lattice").operation_model("GetService")
    assert check_response(lattice, 404, '{"message": "no"}') == []
    assert [v.problem[:8] for v in check_response(lattice, 200, "{")] == ["not JSON"]


def test_conform_keeps_only_modelled_members_at_every_depth() -> None:
    body = {**GOOD, "extra": 1, "x-h": "h", "ratio": None, "choice": {"a": "abc", "z": 1}}
    shaped = conform(REPLY, body)
    assert "extra" not in shaped and "x-h" not in shaped and "ratio" not in shaped
    assert shaped["choice"] == {"a": "abc"} and shaped["anything"] == GOOD["anything"]
    assert check_value(REPLY, shaped) == []


def test_the_switch_writes_violations_to_its_file(tmp_path: Path, monkeypatch: Any) -> None:
    log, recorder = tmp_path / "shapes.jsonl", shape_log.ShapeLog()
    monkeypatch.setenv(shape_log.ENV, str(log))
    recorder.check("vpc-lattice", "CreateService", 201, '{"id": "x"}')
    recorder.check("s3", "ListBuckets", 200, "<ListAllMyBucketsResult/>")  # XML: checked too
    recorder.check("cloudwatch", "ListMetrics", 200, b"\xa0")  # CBOR: not checked, not counted
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert {(v["operation"], v["path"]) for v in lines} >= {("CreateService", "$.id")}
    assert recorder.checked == {"vpc-lattice CreateService": 1, "s3 ListBuckets": 1}
    monkeypatch.delenv(shape_log.ENV)
    recorder.check("vpc-lattice", "CreateService", 201, '{"id": "x"}')
    assert recorder.checked["vpc-lattice CreateService"] == 1  # off: nothing checked
