"""Read ``ecspresso.yml``: the block-mapping subset of YAML that ecspresso configs use.

Why not PyYAML: the Lambda runtime ships boto3, not PyYAML, and the Powertools layer does not add
it; vendoring a YAML library for a flat file of scalars is not worth a deployment package. This
reader takes ``key: value`` lines (nested by indentation), comments, quoted scalars, and says the
line and column of anything else.
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


def parse(text: str, filename: str = "ecspresso.yml") -> dict[str, Any]:
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(-1, root)]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip() or line.strip() == "---":
            continue
        indent = len(line) - len(line.lstrip(" "))
        where = f"{filename}:{number}:{indent + 1}"
        if "\t" in raw[: indent + 1]:
            raise BundleInvalid(f"{where}: tabs are not allowed for indentation")
        match = _KEY.fullmatch(line.strip())
        if not match:
            raise BundleInvalid(f"{where}: expected 'key: value', got {line.strip()!r}")
        while indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        key, value = match["key"], match["value"]
        if key in parent:
            raise BundleInvalid(f"{where}: duplicate key {key!r}")
        if value is None or value == "":
            parent[key] = {}
            stack.append((indent, parent[key]))
        else:
            parent[key] = _scalar(value, where)
    return root


def duration_seconds(value: Any, where: str) -> int:
    """A Go duration as ecspresso writes ``timeout`` (``10m``, ``1h30m``, ``90s``) in seconds."""
    text = str(value).strip()
    parts = re.findall(r"(\d+)(h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BundleInvalid(
            f"{where}: timeout {text!r} is not a duration; write e.g. 10m, 1h30m or 90s"
        )
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
