"""moto's REST routers are built once, however many threads ask at once (emulator/routers.py)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from moto.core import responses as core_responses
from moto.core import routing

from lattice_deploy.emulator import routers

from .helpers import counted

pytestmark = pytest.mark.timeout(60)


def test_many_first_requests_build_one_map(monkeypatch: pytest.MonkeyPatch) -> None:
    routers.install()
    built = counted(monkeypatch, routing, "_create_map")
    routing.get_service_router.cache_clear()  # as a fresh process: nothing built yet
    start = threading.Barrier(8)
    found: list[Any] = []

    def first_request() -> None:
        start.wait()
        router = core_responses.get_service_router("vpc-lattice")
        found.append(router._get_router("rest-json"))

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(router) for router in found}) == 1
