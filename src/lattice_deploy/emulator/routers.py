"""moto's request routers, each built once, under a lock.

Why: a REST service's request (VPC Lattice, S3, Lambda) is matched to its operation by a
werkzeug URL map that moto builds on the first request, with nothing to stop several threads
building it at once (``functools.cache`` does not lock, and neither does the per-protocol
table). A fleet's first 50 deployments start together: 19 maps were built for 3 services in a
20-service run, each compiling every rule of the service with ``ast``. Compiled in two threads
at once, CPython 3.11.7 (this machine's) can raise ``SystemError: AST constructor recursion
depth mismatch`` (its AST converter's depth count is not the thread's own): a deployment of the
150-service bench failed in ``load_bundle`` with exactly that message. Under one lock each map
is built once, by one thread; a built map is read without the lock.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.core import responses as core_responses
from moto.core import routing

_LOCK = threading.RLock()
_original_get_router: Any = routing.ServiceOperationRouter._get_router
_original_service_router: Any = routing.get_service_router


def _service_router(service_name: str) -> Any:
    with _LOCK:
        return _original_service_router(service_name)


def _get_router(self: Any, protocol: str) -> Any:
    router = self._routers.get(protocol)
    if router is not None:
        return router
    with _LOCK:
        return _original_get_router(self, protocol)


def install() -> None:
    routing.ServiceOperationRouter._get_router = _get_router  # type: ignore[method-assign]
    setattr(core_responses, "get_service_router", _service_router)  # noqa: B010
