"""Is what AWS has already what the bundle asks for? ("desired ⊆ actual", as ecspresso diffs.)

Why a subset test: AWS fills defaults (``essential``, ``hostPort``, ``protocol``, empty lists)
into what it returns, so equality would see a change on every run; a redeploy of the same bundle
must find nothing to do and make no mutating call.
"""

from __future__ import annotations

from typing import Any


def covers(actual: Any, desired: Any) -> bool:
    """Whether ``actual`` holds every value ``desired`` sets (recursively; lists in order)."""
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return not desired
        return all(covers(actual.get(k), v) for k, v in desired.items() if v not in (None, [], {}))
    if isinstance(desired, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(desired)
            and all(covers(a, d) for a, d in zip(actual, desired, strict=True))
        )
    if isinstance(desired, bool) or isinstance(actual, bool):
        return actual is desired
    if isinstance(desired, int | float | str) and isinstance(actual, int | float | str):
        return str(actual) == str(desired)
    return bool(actual == desired)


def differences(actual: Any, desired: Any, path: str = "") -> list[dict[str, Any]]:
    """The fields where ``actual`` does not cover ``desired``: ``[{path, current, desired}]``."""
    if isinstance(desired, dict) and isinstance(actual, dict):
        found: list[dict[str, Any]] = []
        for key, value in desired.items():
            if value not in (None, [], {}):
                found += differences(actual.get(key), value, f"{path}.{key}" if path else key)
        return found
    if isinstance(desired, list) and isinstance(actual, list) and len(actual) == len(desired):
        pairs = enumerate(zip(actual, desired, strict=True))
        return [d for i, (a, v) in pairs for d in differences(a, v, f"{path}[{i}]")]
    if covers(actual, desired):
        return []
    return [{"path": path, "current": actual, "desired": desired}]
