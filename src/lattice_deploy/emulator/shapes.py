"""A served JSON body checked against botocore's output shape of its operation.

Why: botocore parses leniently (an extra member is dropped, a missing required one is simply
absent, an enum value it does not know passes through), so a client test never notices when the
embedded AWS serves what AWS never would; code that works against it can then fail on AWS (or the
other way round). Checking the raw body against the model, member by member, catches that.

Scope: the JSON protocols (``json``, ``rest-json``), whose bodies are JSON documents. The XML and
query services (S3, EC2, IAM, STS, SNS, CloudFormation) and CBOR (CloudWatch) are not checked.
Only success bodies are: members bound to a header or the status code are not in the body.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape
from botocore.session import get_session

JSON_PROTOCOLS = {"json", "rest-json"}


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
    patterns are written for Java: ``\\p{...}`` classes, possessive quantifiers…). Not anchored:
    Smithy's pattern trait matches anywhere unless the pattern says ``^…$`` itself."""
    try:
        return re.compile(text)
    except re.error:
        return None


def body_members(shape: Shape) -> dict[str, Shape]:
    """A structure's members by the name they have in a JSON body (``locationName`` when the
    model renames one), leaving out those bound to headers, the status code or the URI."""
    return {
        member.serialization.get("name", name): member
        for name, member in shape.members.items()
        if "location" not in member.serialization
    }


def _wire_names(shape: Shape) -> dict[str, str]:
    return {name: member.serialization.get("name", name) for name, member in shape.members.items()}


def _length_problem(shape: Shape, length: int, what: str) -> str | None:
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
    if style == "iso8601":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return f"timestamp {value!r} is not ISO 8601"
        return None if isinstance(value, str) else f"timestamp {value!r} is not a string"
    return None if isinstance(value, str) else f"timestamp {value!r} is not a string"


def _scalar_problems(shape: Shape, value: Any) -> list[str]:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            return [f"{type(value).__name__} {value!r} where a string belongs"]
        problems = []
        if shape.enum and value not in shape.enum:
            problems.append(f"{value!r} not in enum {shape.enum}")
        pattern = _pattern(shape.metadata["pattern"]) if "pattern" in shape.metadata else None
        if pattern is not None and not pattern.search(value):
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
        return _structure_problems(shape, value, path)
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


def _structure_problems(shape: Shape, value: Any, path: str) -> list[tuple[str, str]]:
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
        if key in members:
            found += check_value(members[key], item, f"{path}.{key}")
    return found


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
    payload = output.serialization.get("payload")
    shape = output.members[payload] if payload else output
    if shape.type_name != "structure" or shape.serialization.get("eventstream"):
        return found  # a blob or stream payload: bytes, not JSON
    try:
        document = json.loads(body or b"{}")
    except ValueError as exc:
        return [*found, Violation(name, "$", f"not JSON: {exc}")]
    return found + [Violation(name, path, problem) for path, problem in check_value(shape, document)]
