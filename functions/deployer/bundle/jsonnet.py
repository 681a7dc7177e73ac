"""Jsonnet definitions (``*.jsonnet``), evaluated as ecspresso evaluates them.

ecspresso reads a ``.jsonnet`` definition with go-jsonnet and offers its template functions as
native functions (``local env = std.native('env'); env('NAME', 'default')``, ``must_env``,
``ssm``; kayac/ecspresso#702); the JSON it yields is then rendered like any definition. The
binding here is go-jsonnet's own (PyPI ``gojsonnet``, in the stack's Jsonnet layer), so what
evaluates here is what evaluates under ecspresso. It is imported only when a bundle has a
Jsonnet file: every other function runs without the layer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess  # nosec B404: the evaluator's own child process, see _sandbox
import sys
import threading
from collections.abc import Callable
from typing import Any

from ..core.errors import BundleInvalid

SUFFIX = ".jsonnet"


def is_jsonnet(name: str) -> bool:
    return name.endswith(SUFFIX)


MEMORY_BYTES = 128 << 20
"""The evaluator's data limit: far above any definition's need, and with the deployer itself
within the smallest Lambda memory the stack gives ``load_bundle`` (256 MB)."""
CPU_SECONDS = 10
WALL_SECONDS = 30
"""CPU time of the evaluation itself, and its whole time with the native calls (SSM reads)."""


def _sandbox() -> subprocess.Popen[str]:
    """The evaluator process, with a clean environment: it sees no variable of the deployer's
    (credentials included), only the path to import go-jsonnet from."""
    return subprocess.Popen(  # nosec B603: this interpreter, this package's own module
        [
            sys.executable,
            "-m",
            "deployer.bundle.jsonnet_sandbox",
            str(MEMORY_BYTES),
            str(CPU_SECONDS),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )


def _died(child: subprocess.Popen[str], name: str, timer: threading.Timer) -> BundleInvalid:
    code, stderr = child.wait(), (child.stderr.read() if child.stderr else "")
    if not timer.is_alive() or code in (-signal.SIGXCPU, -signal.SIGKILL):
        limit = f"{CPU_SECONDS} s of CPU ({WALL_SECONDS} s in all)"
    elif "out of memory" in stderr or code == -signal.SIGABRT:
        limit = f"{MEMORY_BYTES >> 20} MiB of memory"
    elif "No module named" in stderr:
        return BundleInvalid(
            f"{name}: Jsonnet needs go-jsonnet (pip install gojsonnet; on AWS the stack's "
            "JsonnetLayer), which this runtime lacks; or give the definition as JSON"
        )
    else:
        limit = f"what it may use (exit {code})"
    return BundleInvalid(
        f"{name}: Jsonnet evaluation stopped: it took more than {limit}; a definition evaluates "
        "in a fraction of that: look for a runaway recursion, range or string"
    )


def evaluate(text: str, name: str, call: Callable[[str, list[str]], str]) -> str:
    """The JSON text of Jsonnet ``text``; ``call(func, args)`` serves the native functions.

    Evaluated in a child process with memory and time limits (:mod:`.jsonnet_sandbox`). The
    first error a callback raises (a ``must_env`` variable unset, an SSM parameter missing) is
    kept and raised itself: go-jsonnet reports a failed callback without its message.
    """
    child, failed = _sandbox(), list[BundleInvalid]()
    timer = threading.Timer(WALL_SECONDS, child.kill)
    timer.start()
    try:
        if child.stdin is None or child.stdout is None:  # asked for above: never
            raise BundleInvalid(f"{name}: the Jsonnet evaluator could not be started")
        child.stdin.write(json.dumps({"name": name, "text": text}) + "\n")
        child.stdin.flush()
        for line in child.stdout:
            message = json.loads(line)
            if "call" not in message:
                break
            answer = _answer(message, name, call, failed)
            child.stdin.write(json.dumps(answer) + "\n")
            child.stdin.flush()
        else:
            raise _died(child, name, timer)
    except BrokenPipeError:
        raise _died(child, name, timer) from None
    finally:
        timer.cancel()
        child.kill()
        child.wait()
    if "error" in message:
        if failed:
            raise failed[0]
        error = str(message["error"]).strip().replace("\n", "\n    ")
        raise BundleInvalid(
            f"{name}: Jsonnet: {error}; fix the definition there (`jsonnet {name}` shows the "
            "same error)"
        )
    return json.dumps(json.loads(message["result"]), indent=2)


def _answer(
    message: dict[str, Any],
    name: str,
    call: Callable[[str, list[str]], str],
    failed: list[BundleInvalid],
) -> dict[str, Any]:
    if message["call"] == "import":
        failed.append(
            BundleInvalid(
                f"{name}: import {message['args'][0]!r}: a bundle's Jsonnet may not import files "
                "(only the bundle's own files are read); inline it, or render the definition "
                "with `ecspresso render` first"
            )
        )
        return {"error": "imports are refused"}
    try:
        return {"value": call(message["call"], message["args"])}
    except BundleInvalid as exc:
        failed.append(exc)
        return {"error": str(exc)}
