"""``/_lattice-deploy/console``: the page, and the JSON it reads (:mod:`.api`).

    GET /_lattice-deploy/console                         the page (no build step, no CDN)
    GET /_lattice-deploy/console/api/executions          every execution, newest first
    GET /_lattice-deploy/console/api/execution?arn=ARN   one: graph, steps, failure, Lattice

The clock and fault buttons use the controls beside it (``/_lattice-deploy/clock``,
``/_lattice-deploy/faults``).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from . import api

Answer = tuple[int, str, bytes]


def _json(payload: Any, status: int = 200) -> Answer:
    return status, "application/json", json.dumps(payload, default=str).encode()


def serve(path: str, query: dict[str, list[str]]) -> Answer:
    """``path`` after ``/_lattice-deploy/``."""
    if path == "console":
        page = files(__package__).joinpath("page.html").read_bytes()
        return 200, "text/html; charset=utf-8", page
    if path == "console/api/executions":
        return _json({"executions": api.executions()})
    if path == "console/api/execution" and query.get("arn"):
        return _json(api.execution(query["arn"][0]))
    return _json({"message": f"no console page {path}"}, 404)
