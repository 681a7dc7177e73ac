"""What the embedded Step Functions makes once and reuses across executions (one parse tree per
definition, one boto3 client per Region and service) leaves each execution its own: a Retry
counts its attempts afresh in every execution. Unnamed executions get a UUID each."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.stepfunctions import clients, parse_cache

from .helpers import state_machine

UUID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")
RETRY = {"Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 2, "IntervalSeconds": 1}]}


class Flaky(Exception):
    pass


def test_each_execution_retries_afresh_from_one_parse_and_one_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[str] = []
    real = clients._original
    monkeypatch.setattr(clients, "_original", lambda *a, **k: made.append(a[1]) or real(*a, **k))
    monkeypatch.setattr(clients, "_clients", {})
    parse_cache._tree.cache_clear()
    calls: list[int] = []

    def flaky(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(1)
        if len(calls) % 3:  # the first two attempts of each execution fail
            raise Flaky("not yet")
        return {"ok": True}

    with EmbeddedAws() as aws, state_machine(aws, flaky, RETRY) as run:
        ended = [run() for _ in range(3)]
    assert [e["status"] for e in ended] == ["SUCCEEDED"] * 3
    assert all(UUID.fullmatch(e["name"]) for e in ended)  # unnamed: a UUID (API Reference)
    assert len({e["name"] for e in ended}) == 3
    assert len(calls) == 9  # three attempts in each: the Retry's count is each execution's own
    assert made == ["lambda"]  # one client for the nine invocations
    assert parse_cache._tree.cache_info().misses == 1  # one parse for the three executions


def test_every_module_of_the_interpreter_that_makes_clients_shares_them() -> None:
    with EmbeddedAws(seed=False):
        makers = {
            name: module.boto_client_for
            for name, module in list(sys.modules.items())
            if name.startswith("moto.stepfunctions.parser.asl.component")
            and hasattr(module, "boto_client_for")
        }
    assert len(makers) >= len(clients.USERS)
    assert {n for n, f in makers.items() if f is not clients.boto_client_for} == set()
