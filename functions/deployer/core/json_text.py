"""A bundle file's bytes as text, and a definition's text as strict JSON.

Why apart from :mod:`deployer.bundle.normalize`: reading bytes safely (size, encoding) and parsing
JSON strictly (duplicate keys, NaN, huge numbers, depth) are the first stage of loading, before
anything is normalized; the hostile corpora aim at exactly this, so it stands alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import BundleInvalid

MAX_FILE_BYTES = 64 * 1024
"""A bundle file's largest size, before and after rendering. Why 64 KiB: Amazon ECS's service
quotas list a task definition of at most 64 KiB, and the plan (both definitions) travels in the
execution's state, which Step Functions caps at 256 KiB ("Quotas related to state machine
executions": maximum input or output size for a task, state, or execution)."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of a definition: ECS's shapes nest about ten levels; deeper is not a
definition (and a parser's recursion must never be what refuses it)."""


def decode(raw: bytes, name: str) -> str:
    """A bundle file's bytes as text: UTF-8 (a leading BOM dropped), as ecspresso reads it;
    anything else (UTF-16, another encoding, a binary file) is refused by name, never decoded
    wrongly."""
    if len(raw) > MAX_FILE_BYTES:
        raise BundleInvalid(
            f"{name}: {len(raw):,} bytes, larger than the {MAX_FILE_BYTES // 1024} KiB a bundle "
            "file may be (ECS's task definition quota); shrink it"
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BundleInvalid(f"{name}: UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise BundleInvalid(f"{name}: holds NUL bytes (a binary file?); save it as UTF-8 text")
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleInvalid(
            f"{name}: byte {exc.start} is not UTF-8 ({raw[exc.start : exc.start + 1]!r}); "
            "save the file as UTF-8"
        ) from None


def _depth(text: str) -> int:
    """The deepest bracket nesting of JSON ``text`` (strings skipped), in one pass."""
    depth = deepest = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        mark = token.group(0)
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif mark in "]}":
            depth -= 1
    return deepest


def _object(filename: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        made: dict[str, Any] = {}
        for key, value in items:
            if key in made:  # Go's encoding/json keeps the last silently; a typo hides there
                raise BundleInvalid(
                    f"{filename}: key {key!r} is given twice in one object; keep one of them"
                )
            made[key] = value
        return made

    return pairs


def _constant(filename: str) -> Any:
    def refuse(name: str) -> Any:
        raise BundleInvalid(f"{filename}: {name} is not a JSON number (RFC 8259); write a number")

    return refuse


def _float(filename: str) -> Any:
    def parse(text: str) -> float:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise BundleInvalid(
                f"{filename}: {text[:40]} is too large a number; write one that fits the field"
            )
        return value

    return parse


def parse_json(text: str, filename: str) -> dict[str, Any]:
    """A definition's JSON: strict (no duplicate keys, no NaN/Infinity, bounded nesting)."""
    if (deepest := _depth(text)) > MAX_JSON_DEPTH:
        raise BundleInvalid(
            f"{filename}: nested {deepest} levels deep, more than the {MAX_JSON_DEPTH} a "
            "definition may be; flatten it"
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object(filename),
            parse_constant=_constant(filename),
            parse_float=_float(filename),
        )
    except json.JSONDecodeError as exc:
        raise BundleInvalid(
            f"{filename}:{exc.lineno}:{exc.colno}: invalid JSON ({exc.msg}); fix the syntax there"
        ) from exc
    except ValueError as exc:  # an integer of more digits than Python converts (4,300)
        raise BundleInvalid(
            f"{filename}: a number is too long ({exc}); write one that fits the field"
        ) from None
    if not isinstance(value, dict):
        raise BundleInvalid(f"{filename}: expected a JSON object at the top level")
    return value
