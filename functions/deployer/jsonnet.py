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
from collections.abc import Callable
from typing import Any

from .errors import BundleInvalid

SUFFIX = ".jsonnet"


def is_jsonnet(name: str) -> bool:
    return name.endswith(SUFFIX)


def evaluate(text: str, name: str, call: Callable[[str, list[str]], str]) -> str:
    """The JSON text of Jsonnet ``text``; ``call(func, args)`` serves the native functions.

    go-jsonnet reports a failed callback without its message, so the first error a callback
    raises (a ``must_env`` variable unset, an SSM parameter missing) is kept and raised itself.
    """
    try:
        import _gojsonnet  # type: ignore[import-not-found,unused-ignore]  # only when needed
    except ImportError as exc:  # pragma: no cover - the layer is part of the stack
        raise BundleInvalid(
            f"{name}: Jsonnet needs go-jsonnet (pip install gojsonnet; on AWS the stack's "
            "JsonnetLayer), which this runtime lacks; or give the definition as JSON"
        ) from exc
    failed: list[BundleInvalid] = []

    def native(func: str, params: tuple[str, ...]) -> tuple[tuple[str, ...], Any]:
        def run(*args: Any) -> str:
            try:
                return call(func, [str(a) for a in args])
            except BundleInvalid as exc:
                failed.append(exc)
                raise

        return params, run

    def no_imports(base: str, rel: str) -> tuple[str, bytes]:
        failed.append(
            BundleInvalid(
                f"{name}: import {rel!r}: a bundle's Jsonnet may not import files (only the "
                "bundle's own files are read); inline it, or render the definition with "
                "`ecspresso render` first"
            )
        )
        raise LookupError(rel)

    natives = {
        "env": native("env", ("name", "default")),
        "must_env": native("must_env", ("name",)),
        "ssm": native("ssm", ("name",)),
        "json_escape": native("json_escape", ("value",)),
    }
    try:
        out: str = _gojsonnet.evaluate_snippet(
            name, text, native_callbacks=natives, import_callback=no_imports
        )
    except Exception as exc:  # go-jsonnet's own errors name the file, line and column
        if failed:
            raise failed[0] from None
        message = str(exc).strip().replace("\n", "\n    ")
        raise BundleInvalid(
            f"{name}: Jsonnet: {message}; fix the definition there (`jsonnet {name}` shows the "
            "same error)"
        ) from exc
    return json.dumps(json.loads(out), indent=2)
