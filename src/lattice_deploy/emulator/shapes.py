"""A served JSON body checked against botocore's output shape of its operation.

Why: botocore parses leniently (an extra member is dropped, a missing required one is simply
absent, an enum value it does not know passes through), so a client test never notices when the
embedded AWS serves what AWS never would; code that works against it can then fail on AWS (or the
other way round). Checking the raw body against the model, member by member, catches that.

Scope: the JSON protocols (``json``, ``rest-json``), whose bodies are JSON documents, here; the
XML ones (``query``, ``ec2``, ``rest-xml``: IAM, STS, EC2, CloudFormation, S3) are read into the
same values by :mod:`.shapes_xml` and checked by :func:`check_value`. CBOR (CloudWatch) is not
checked. Only success bodies are: members bound to a header or the status code are not in the
body.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from botocore.model import OperationModel, ServiceModel, Shape, StringShape, StructureShape
from botocore.session import get_session

JSON_PROTOCOLS = {"json", "rest-json"}


MODEL_GAPS = {
    ("ProvisionedThroughputDescription", "NumberOfDecreasesToday"),
    ("GetParametersResult", "InvalidParameters"),
    ("BatchWriteItemOutput", "UnprocessedItems"),
}
"""(structure, member) whose value the model constrains otherwise than AWS serves it, left
unchecked: botocore gives ``NumberOfDecreasesToday`` a minimum of 1, while DynamoDB answers 0 for
a table never decreased (every ``DescribeTable`` example in its API Reference).
``InvalidParameters`` has a minimum of 1 item, but a ``GetParameters`` that found every name
answers it empty: AWS's documents show no such reply, so the evidence is a client, and ours:
Powertools' SSMProvider reads ``response["InvalidParameters"]`` unconditionally (parameters/
ssm.py, ``_handle_any_invalid_get_parameter_errors``; botocore fills in no absent list), which
would fail every complete batch against AWS if the member were left out. Served as moto serves
it, ``[]``. ``UnprocessedItems`` shares the request's map shape (at least one table), but a
``BatchWriteItem`` that wrote everything answers ``{"UnprocessedItems": {}}``: the evidence is a
client again, ``aws dynamodb batch-write-item`` printing that reply against AWS for each complete
batch (a public transcript; AWS's pages show no such reply). Served as moto serves it."""


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service``: the reference every emulated reply is checked against."""
    return get_session().get_service_model(service)


@dataclass(frozen=True)
class Violation:
    """One way a served body departs from the model: where (a JSON path) and what."""

    operation: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.operation} {self.path}: {self.problem}"


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    """The model's pattern as a Python regex; None when Python cannot read it (botocore's
    patterns are written for Java: ``\\p{...}`` classes, possessive quantifiers…). Matched
    against the whole value, as the services' own validation (Java's ``String.matches``) does:
    ``[0-9]{12}`` is an account ID, not a string holding one; most patterns say ``^…$`` anyway."""
    try:
        return re.compile(text)
    except re.error:
        return None


@cache  # a model's shapes live as long as the process: walked once, not once per reply
def body_members(shape: StructureShape) -> dict[str, Shape]:
    """A structure's members by the name they have in a JSON body (``locationName`` when the
    model renames one), leaving out those bound to headers, the status code or the URI."""
    return {
        member.serialization.get("name", name): member
        for name, member in shape.members.items()
        if "location" not in member.serialization
    }


def conform(shape: Shape, value: Any) -> Any:
    """``value`` with only the members ``shape`` models, at every depth, and no nulls.

    Why: AWS serves exactly the modelled members, while the objects behind an emulated reply
    (moto's, ours) carry the whole resource: a summary in a list holds a few of the members a
    ``Get`` returns, a create's answer fewer still. Projecting through the model is that choice,
    made once. It never adds: a missing required member is the producer's to supply.
    """
    if value is None or shape.metadata.get("document"):
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = body_members(cast(StructureShape, shape))
        return {
            key: conform(members[key], item)
            for key, item in value.items()
            if key in members and item is not None
        }
    if kind == "list" and isinstance(value, list):
        return [conform(shape.member, item) for item in value]  # type: ignore[attr-defined]
    if kind == "map" and isinstance(value, dict):
        return {key: conform(shape.value, item) for key, item in value.items()}  # type: ignore[attr-defined]
    return value


@cache
def _wire_names(shape: StructureShape) -> dict[str, str]:
    return {name: member.serialization.get("name", name) for name, member in shape.members.items()}


def _length_problem(shape: Shape, length: float, what: str) -> str | None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and length < low:
        return f"{what} {length} < min {low}"
    if high is not None and length > high:
        return f"{what} {length} > max {high}"
    return None


def _timestamp_problem(shape: Shape, value: Any) -> str | None:
    # JSON protocols serialize timestamps as epoch seconds unless the shape says otherwise.
    style = shape.serialization.get("timestampFormat", "unixTimestamp")
    if style in ("unixTimestamp", "epoch-seconds"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"timestamp {value!r} is not epoch seconds"
    if not isinstance(value, str):
        return f"timestamp {value!r} is not a string"
    if style == "iso8601":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"timestamp {value!r} is not ISO 8601"
    return None


def _scalar_problems(shape: Shape, value: Any) -> list[str]:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            return [f"{type(value).__name__} {value!r} where a string belongs"]
        problems, enum = [], cast(StringShape, shape).enum
        if enum and value not in enum:
            problems.append(f"{value!r} not in enum {enum}")
        pattern = _pattern(shape.metadata["pattern"]) if "pattern" in shape.metadata else None
        if pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{value!r} does not match pattern {pattern.pattern!r}")
        length = _length_problem(shape, len(value), "length")
        return problems + ([length] if length else [])
    if kind in ("integer", "long", "double", "float"):
        numeric = (int,) if kind in ("integer", "long") else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            return [f"{type(value).__name__} {value!r} where {kind} belongs"]
        problem = _length_problem(shape, value, "value")
        return [problem] if problem else []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{value!r} where boolean belongs"]
    if kind == "timestamp":
        problem = _timestamp_problem(shape, value)
        return [problem] if problem else []
    if kind == "blob":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            return [f"{value!r} is not base64 (a blob)"]
        return []
    return []


def check_value(shape: Shape, value: Any, path: str = "$") -> list[tuple[str, str]]:
    """Every (path, problem) in ``value`` against ``shape``; a null counts as absent."""
    if value is None:
        return []
    if shape.metadata.get("document"):
        return []  # a document member holds any JSON
    kind = shape.type_name
    if kind == "structure":
        return _structure_problems(cast(StructureShape, shape), value, path)
    if kind == "list":
        if not isinstance(value, list):
            return [(path, f"{type(value).__name__} where a list belongs")]
        length = _length_problem(shape, len(value), "items")
        found = [(path, length)] if length else []
        for i, item in enumerate(value):
            at = f"{path}[{i}]"
            found += [(at, "null item")] if item is None else check_value(shape.member, item, at)  # type: ignore[attr-defined]
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [(path, f"{type(value).__name__} where a map belongs")]
        length = _length_problem(shape, len(value), "entries")
        found = [(path, length)] if length else []
        for key, item in value.items():
            found += [(f"{path}.<key {key!r}>", p) for p in _scalar_problems(shape.key, key)]  # type: ignore[attr-defined]
            found += check_value(shape.value, item, f"{path}.{key}")  # type: ignore[attr-defined]
        return found
    return [(path, problem) for problem in _scalar_problems(shape, value)]


def _structure_problems(shape: StructureShape, value: Any, path: str) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        return [(path, f"{type(value).__name__} where a structure belongs")]
    members = body_members(shape)
    names = _wire_names(shape)
    found = [
        (f"{path}.{key}", f"not a member of {shape.name}")
        for key in value
        if key not in members and not (shape.is_tagged_union and key == "__type")
    ]
    for name in shape.required_members:
        wire = names[name]
        bound = "location" in shape.members[name].serialization
        if not bound and value.get(wire) is None:
            found.append((f"{path}.{wire}", f"required member of {shape.name} missing"))
    if shape.is_tagged_union:
        chosen = [key for key in value if key in members and value[key] is not None]
        if len(chosen) != 1:
            found.append((path, f"union {shape.name} has {len(chosen)} members set: {chosen}"))
    for key, item in value.items():
        if key in members and (shape.name, key) not in MODEL_GAPS:
            found += check_value(members[key], item, f"{path}.{key}")
    return found


def shaped_body(operation: OperationModel, body: str | bytes) -> str | bytes:
    """``body`` through :func:`conform`, for replies whose producer writes whole objects (moto's
    ``json.dumps(obj.to_json())``); one that is not a JSON structure is left as it is."""
    shape = _body_shape(operation)
    if shape is None or not body:
        return body
    try:
        document = json.loads(body)
    except ValueError:
        return body
    return json.dumps(conform(shape, document))


def _body_shape(operation: OperationModel) -> StructureShape | None:
    """The structure a JSON body holds: the output, or its payload member; None for none, a
    blob or a stream."""
    output = operation.output_shape
    if output is None:
        return None
    payload = output.serialization.get("payload")
    shape = output.members[payload] if payload else output
    if shape.type_name != "structure" or shape.serialization.get("eventstream"):
        return None
    return cast(StructureShape, shape)


def check_response(operation: OperationModel, status: int, body: str | bytes) -> list[Violation]:
    """What is wrong with ``body``, served with ``status`` as ``operation``'s success reply."""
    protocol = operation.service_model.protocol
    if protocol not in JSON_PROTOCOLS or status >= 300:
        return []
    name, output = operation.name, operation.output_shape
    found: list[Violation] = []
    expected = operation.http.get("responseCode", 200) if protocol == "rest-json" else 200
    if status != expected:
        found.append(Violation(name, "$", f"status {status}, the model says {expected}"))
    if output is None:
        return found + ([Violation(name, "$", "a body where the model has none")] if body else [])
    shape = _body_shape(operation)
    if shape is None:
        return found  # a blob or stream payload: bytes, not JSON
    try:
        document = json.loads(body or b"{}")
    except ValueError as exc:
        return [*found, Violation(name, "$", f"not JSON: {exc}")]
    return found + [
        Violation(name, path, problem) for path, problem in check_value(shape, document)
    ]
