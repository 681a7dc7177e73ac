"""Walk a JSON value against a botocore shape: every type, enum, required field and bound the
model states, plus the bounds AWS documents that the model lacks.

Why the model: botocore ships each API's Smithy constraints as shape metadata (``min``/``max``
for lengths, counts and ranges, ``pattern`` for strings); enforcing them here refuses before any
change what the API would refuse in the middle of a deploy (``tags`` of 60 items: ECS ``Tags``
``max`` 50). Where the model is silent but AWS's documentation is not, :data:`DOCUMENTED` says the
bound and where it comes from; where AWS is silent too, it says what was chosen and why.
Nothing here raises for any JSON value: each problem is appended as
``file: field: what is wrong; how to fix it``.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple

from botocore.model import Shape


class Bound(NamedTuple):
    low: float
    high: float
    why: str


DOCUMENTED: dict[tuple[str, str], Bound] = {
    # Not in the ECS model. AWS gives no maximum for desiredCount; 5,000 is ECS's default
    # "Tasks per service" quota (Amazon ECS endpoints and quotas), so more can never run.
    ("CreateServiceRequest", "desiredCount"): Bound(0, 5000, "ECS's tasks-per-service quota"),
    # A TCP port (the model's PortNumber is 0-65535, but port 0 is "any port", which no target
    # group can receive on: VPC Lattice TargetGroupConfig.port is 1-65535).
    ("PortMapping", "containerPort"): Bound(1, 65535, "a TCP port"),
    ("PortMapping", "hostPort"): Bound(0, 65535, "a TCP port, or 0 for a dynamic one"),
    # ECS API reference, DeploymentConfiguration: minimumHealthyPercent is "a percentage of the
    # desiredCount" that must stay running: 0-100.
    ("DeploymentConfiguration", "minimumHealthyPercent"): Bound(0, 100, "a percentage"),
    # VPC Lattice API reference, HealthCheckConfig: "The range is 5-300 seconds", "The range is
    # 1-120 seconds", "The range is 2-10" (the model says 0-300, 0-120 and 0-10).
    ("HealthCheckConfig", "healthCheckIntervalSeconds"): Bound(5, 300, "VPC Lattice's range"),
    ("HealthCheckConfig", "healthCheckTimeoutSeconds"): Bound(1, 120, "VPC Lattice's range"),
    ("HealthCheckConfig", "healthyThresholdCount"): Bound(2, 10, "VPC Lattice's range"),
    ("HealthCheckConfig", "unhealthyThresholdCount"): Bound(2, 10, "VPC Lattice's range"),
    ("HealthCheckConfig", "port"): Bound(1, 65535, "a TCP port"),
}
"""(structure, member) → the bound AWS documents (or this tool chose) where the model has none."""
FILLED = ("cluster", "taskDefinition", "serviceName")
"""Required members the deployer fills: the cluster and the registered revision; serviceName from
ecspresso.yml's service: (definitions.take says when neither gives it)."""
WHOLE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
"""What a Smithy ``integer`` (32-bit) and ``long`` (64-bit) can hold at all."""
SHOWN = 60
OFFLINE = re.compile(r"<[a-z_]+:[^<>]* offline>")
"""What an offline ``validate`` puts where ``{{ ssm }}`` (or another plugin's function) reads a
value (:func:`stand_in`): the value is not known there, so its shape (an ARN's, a pattern's, an
enum's) is not checked."""


def stand_in(name: str, kind: str = "ssm") -> str:
    """The offline stand-in of ``{{ <kind> `name` }}`` (no quote, backslash or line break: it
    fills a JSON string as any value does)."""
    return f"<{kind}:{name} offline>"


def offline(value: Any) -> bool:
    """Whether ``value`` holds a stand-in for a value only the account knows."""
    return isinstance(value, str) and OFFLINE.search(value) is not None


def show(value: Any) -> str:
    """``value`` as JSON, cut to a readable length (a 2,000-character image is not echoed)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}… ({len(text)} characters)"


def nearest(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return (
        f"did you mean {close[0]!r}?"
        if close
        else f"known fields: {', '.join(sorted(known)[:12])}…"
    )


def join(path: str, key: str) -> str:
    return f"{path} {key}" if path.endswith(":") else f"{path}.{key}"


_CATEGORY = {"L": "\ue000", "Z": "\ue001", "N": "\ue002"}


@cache
def _compiled(pattern: str) -> tuple[re.Pattern[str] | None, str]:
    """The model's pattern in Python's syntax, and the Unicode categories (``\\p{L}``…) it names,
    which Python's ``re`` lacks: those are matched on the value with each such character mapped
    to a stand-in (:func:`matches`)."""
    named = "".join(c for c in _CATEGORY if f"\\p{{{c}}}" in pattern)
    for category, stand_in in _CATEGORY.items():
        pattern = pattern.replace(f"\\p{{{category}}}", stand_in)
    try:
        return re.compile(pattern), named
    except re.error:  # a construct Python does not read: the bound is not checked here
        return None, named


def matches(pattern: str, value: str) -> bool:
    """The model's ``pattern``. Smithy does not anchor it, but a pattern with no ``^``/``$`` of
    its own (``([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)`` for ECS tag keys) would then match anything;
    AWS's API reference prints those anchored (Tag: "Pattern: ^([\\p{L}…]*)$"), so they must
    match whole; one that anchors itself (``.*(^/…$|(^$)).*``) is searched as written."""
    compiled, named = _compiled(pattern)
    if compiled is None:
        return True
    if named:
        value = "".join(
            _CATEGORY[unicodedata.category(c)[0]] if unicodedata.category(c)[0] in named else c
            for c in value
        )
    if re.search(r"[$^]", re.sub(r"\[(?:\\.|[^\]])*\]", "", pattern)):  # outside [...]
        return compiled.search(value) is not None
    return compiled.fullmatch(value) is not None


def _number(value: Any, path: str, kind: str, bound: Bound | None, meta: dict[str, Any]) -> str:
    """The problem of a number field, or ''."""
    whole = kind in WHOLE
    if isinstance(value, bool) or not isinstance(value, int | float):
        noun = "a whole number" if whole else "a number"
        return f"{path}: expected {noun}, got {show(value)}; write it unquoted, e.g. 3"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{path}: {show(value)} is not a finite number; give a number"
    if whole and isinstance(value, float):
        return f"{path}: expected a whole number, got {show(value)}; drop the fraction"
    low, high = WHOLE.get(kind, (-math.inf, math.inf))
    why = "what the API's number type holds"
    if "min" in meta or "max" in meta:
        low, high, why = meta.get("min", low), meta.get("max", high), "the API's range"
    if bound:
        low, high, why = bound
    if not low <= value <= high:
        return f"{path}: {show(value)} is out of range; give {low:g} to {high:g} ({why})"
    return ""


def _string(value: Any, shape: Shape, path: str, meta: dict[str, Any]) -> str:
    enum: list[str] = getattr(shape, "enum", [])
    if not isinstance(value, str):
        return f"{path}: expected a string, got {show(value)}; quote it"
    if offline(value):
        return ""
    if enum and value not in enum:
        return f"{path}: {show(value)} is not one of {', '.join(enum)}; {nearest(value, enum)}"
    if len(value) < meta.get("min", 0):
        return f"{path}: is empty; give at least {meta['min']} character(s)"
    if len(value) > meta.get("max", math.inf):
        return f"{path}: is {len(value)} characters long; AWS takes at most {meta['max']}"
    if "pattern" in meta and not matches(meta["pattern"], value):
        return (
            f"{path}: {show(value)} has characters AWS does not accept there "
            f"(pattern {meta['pattern']}); remove them"
        )
    return ""


def walk(
    value: Any,
    shape: Shape,
    path: str,
    problems: list[str],
    skip: frozenset[str] = frozenset(),
    bound: Bound | None = None,
) -> None:
    """Append to ``problems`` every way ``value`` breaks ``shape`` (``skip``: top-level keys
    another check owns; ``bound``: the documented one of this member)."""
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {show(value)}; write {{…}}")
            return
        members = shape.members  # type: ignore[attr-defined]
        for key, item in value.items():
            if key in skip:
                continue
            if key not in members:
                problems.append(f"{join(path, key)}: unknown field; {nearest(key, members)}")
            else:
                documented = DOCUMENTED.get((shape.name, key))
                walk(item, members[key], join(path, key), problems, bound=documented)
        for key in shape.required_members:
            if key not in value and key not in skip and key not in FILLED:
                problems.append(f"{join(path, key)}: required field is missing; add it")
    elif kind in ("list", "map"):
        wanted, written = (list, "[…]") if kind == "list" else (dict, "{…}")
        if not isinstance(value, wanted):
            problems.append(f"{path}: expected a {kind}, got {show(value)}; write {written}")
            return
        if not meta.get("min", 0) <= len(value) <= meta.get("max", math.inf):
            problems.append(
                f"{path}: has {len(value)} item(s); AWS takes {meta.get('min', 0)} to "
                f"{meta.get('max', 'any number')}; remove some"
            )
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, shape.member, f"{path}[{index}]", problems)  # type: ignore[attr-defined]
        else:
            for key, item in value.items():
                walk(key, shape.key, f"{path} key {show(key)}", problems)  # type: ignore[attr-defined]
                walk(item, shape.value, f"{path}.{key}", problems)  # type: ignore[attr-defined]
    elif kind == "string":
        if problem := _string(value, shape, path, meta):
            problems.append(problem)
    elif kind in ("integer", "long", "double", "float"):
        if problem := _number(value, path, kind, bound, meta):
            problems.append(problem)
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append(f"{path}: expected true or false, got {show(value)}")
