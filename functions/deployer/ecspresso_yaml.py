"""Read ``ecspresso.yml``: the block-mapping subset of YAML that ecspresso configs use.

Why not PyYAML: the Lambda runtime ships boto3, not PyYAML, and the Powertools layer does not add
it; vendoring a YAML library for a flat file of scalars is not worth a deployment package. This
reader takes ``key: value`` lines (nested by indentation), ``- item`` lists (of scalars or of
mappings, as ``plugins:`` is written), comments, quoted scalars, and says the line and column of
anything else.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import BundleInvalid

_KEY = re.compile(r"(?P<key>[A-Za-z_][\w.-]*)\s*:(?:\s+(?P<value>.*?))?\s*$")


def _scalar(text: str, where: str) -> Any:
    if text[:1] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise BundleInvalid(f"{where}: unterminated quoted string {text!r}")
        return json.loads(text) if text[0] == '"' else text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("null", "~"):
        return None
    if text[:1] in "[{|>&*!":
        raise BundleInvalid(f"{where}: flow and block scalars ({text[0]}…) are not supported here")
    return text


Frame = tuple[int, Any, Any, Any]
"""``(indent, container, owner, key)``: a mapping or list open at ``indent``, ``owner[key]``."""


def _assign(
    frames: list[Frame], mapping: dict[str, Any], match: Any, column: int, where: str
) -> None:
    key, value = match["key"], match["value"]
    if key in mapping:
        raise BundleInvalid(f"{where}: duplicate key {key!r}")
    if value is None or value == "":
        mapping[key] = {}
        frames.append((column, mapping[key], mapping, key))
    else:
        mapping[key] = _scalar(value, where)


def _item(frames: list[Frame], indent: int, body: str, where: str) -> None:
    """``- value`` or ``- key: value`` (a mapping whose other keys follow, indented)."""
    _, container, owner, key = frames[-1]
    if not isinstance(container, list):
        if container or owner is None:
            raise BundleInvalid(f"{where}: a list item where a key was expected")
        container = owner[key] = []
        frames[-1] = (indent, container, owner, key)
    rest = body[1:].strip()
    match = _KEY.fullmatch(rest)
    if match and rest[:1] not in "\"'":
        mapping: dict[str, Any] = {}
        container.append(mapping)
        frames.append((indent + 1, mapping, None, None))
        _assign(frames, mapping, match, indent + 2, where)
    elif rest:
        container.append(_scalar(rest, where))
    else:
        raise BundleInvalid(f"{where}: an empty list item")


def parse(text: str, filename: str = "ecspresso.yml") -> dict[str, Any]:
    root: dict[str, Any] = {}
    frames: list[Frame] = [(-1, root, None, None)]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip() or line.strip() == "---":
            continue
        indent = len(line) - len(line.lstrip(" "))
        where = f"{filename}:{number}:{indent + 1}"
        if "\t" in raw[: indent + 1]:
            raise BundleInvalid(f"{where}: tabs are not allowed for indentation")
        body = line.strip()
        listed = body == "-" or body.startswith("- ")
        while frames[-1][0] >= indent and not (
            listed and isinstance(frames[-1][1], list) and frames[-1][0] == indent
        ):
            frames.pop()
        if listed:
            _item(frames, indent, body, where)
            continue
        match = _KEY.fullmatch(body)
        if not match:
            raise BundleInvalid(f"{where}: expected 'key: value', got {body!r}")
        container = frames[-1][1]
        if not isinstance(container, dict):
            raise BundleInvalid(f"{where}: a key where a list item ('- …') was expected")
        _assign(frames, container, match, indent, where)
    return root


TIMEOUT_BOUNDS = (1, 36_000)
"""Seconds a run may wait for health. Not 0: every deploy would time out at its first poll. At
most 10 hours, chosen: a Standard Step Functions execution holds at most 25,000 history events
(Step Functions service quotas), a health poll costs about 9 of them (Wait, Task, Choice) and the
stack polls every 15 s by default (``PollSeconds``), so about 11 hours of polling fill it and
the execution would fail outright, without its rollback."""


def duration_seconds(value: Any, where: str) -> int:
    """A Go duration as ecspresso writes ``timeout`` (``10m``, ``1h30m``, ``90s``) in seconds,
    within :data:`TIMEOUT_BOUNDS`."""
    text = str(value).strip()
    parts = re.findall(r"(\d{1,9})(h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BundleInvalid(
            f"{where}: timeout {text[:40]!r} is not a duration; write e.g. 10m, 1h30m or 90s"
        )
    seconds = sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
    low, high = TIMEOUT_BOUNDS
    if not low <= seconds <= high:
        raise BundleInvalid(
            f"{where}: timeout {text!r} is {seconds} s; give {low} s to {high // 3600}h "
            "(a run waits for health at most that long), e.g. 10m"
        )
    return seconds
