"""The child process that evaluates one Jsonnet file for :mod:`.jsonnet`, under limits.

Why a process of its own: go-jsonnet has no bound on memory or time, and a file of a few bytes
(a string doubled 34 times, a range of 10⁹) grows until the process aborts; here it is this
child that dies, under ``RLIMIT_DATA`` and ``RLIMIT_CPU``, and the deployer that says why.

Protocol (one JSON document a line): stdin brings ``{"name", "text"}``, then the answer to each
native call; stdout carries each native call ``{"call", "args"}`` and last ``{"result"}`` or
``{"error", "callback"}``. Nothing else is written to stdout.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any

NATIVES = {
    "env": ("name", "default"),
    "must_env": ("name",),
    "ssm": ("name",),
    "json_escape": ("value",),
}


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _native(func: str, params: tuple[str, ...]) -> tuple[tuple[str, ...], Any]:
    def run(*args: Any) -> str:
        _send({"call": func, "args": [str(a) for a in args]})
        answer = json.loads(sys.stdin.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return str(answer["value"])

    return params, run


def _no_imports(base: str, rel: str) -> tuple[str, bytes]:
    _send({"call": "import", "args": [rel]})
    raise LookupError(rel)


def main() -> int:
    memory, seconds = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    import _gojsonnet  # type: ignore[import-not-found,unused-ignore]  # after the limits

    request = json.loads(sys.stdin.readline())
    natives = {func: _native(func, params) for func, params in NATIVES.items()}
    try:
        out = _gojsonnet.evaluate_snippet(
            request["name"], request["text"], native_callbacks=natives, import_callback=_no_imports
        )
    except Exception as exc:  # go-jsonnet's own errors name the file, line and column
        _send({"error": str(exc)})
        return 0
    _send({"result": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
