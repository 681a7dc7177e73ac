"""The embedded AWS's controls over HTTP, for ``serve``: virtual time, faults, call counts.

Why HTTP: a running ``serve`` is driven by other processes (the CLI's ``--inject``, tests, a
person with curl), so the Python controls of :class:`~.account.EmbeddedAws` are also served under
``/_lattice-deploy/`` on the same port, and :class:`ControlClient` speaks to them.

    GET    /_lattice-deploy/state                  clock, faults and calls of an account
    POST   /_lattice-deploy/clock   {"advance": s}, {"rate": r} or {"hold": true|false}
    POST   /_lattice-deploy/faults  {"spec": "throttle:CreateListener:2", "owner": "<execution>"}
    DELETE /_lattice-deploy/faults                 clear the account's faults (?owner=: one's)
    DELETE /_lattice-deploy/calls                  reset the account's call counts
    GET    /_lattice-deploy/console                the local console (:mod:`..console`, given)

Every path takes ``?account=<id>`` (default: the demo account).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from .calls import CALLS
from .clock import CLOCK
from .demo_account import ACCOUNT_ID
from .faults import FAULTS, Fault, FaultSpecError

PREFIX = "/_lattice-deploy/"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Pages = Callable[[str, dict[str, list[str]]], tuple[int, str, bytes]]
"""``(path after the prefix, query)`` → ``(status, content type, body)``: the console's routes."""


def state(account_id: str) -> dict[str, Any]:
    return {
        "account": account_id,
        "clock": CLOCK.state(),
        "faults": [f.to_dict() for f in FAULTS.rules(account_id)],
        "calls": CALLS.summary(account_id),
    }


def _handle(
    method: str, path: str, account_id: str, body: dict[str, Any], owner: str | None = None
) -> tuple[int, Any]:
    if (method, path) == ("POST", "clock"):
        if "advance" in body:
            CLOCK.advance(float(body["advance"]))
        if "rate" in body:
            CLOCK.set_rate(float(body["rate"]))
        if "hold" in body:
            CLOCK.hold(bool(body["hold"]))
    elif (method, path) == ("POST", "faults"):
        fault = Fault.parse(str(body.get("spec", "")))
        FAULTS.add(account_id, replace(fault, owner=body.get("owner")))
    elif (method, path) == ("DELETE", "faults"):
        if owner:
            FAULTS.release(owner)
        else:
            FAULTS.clear(account_id)
    elif (method, path) == ("DELETE", "calls"):
        CALLS.reset(account_id)
    elif (method, path) != ("GET", "state"):
        return 404, {"message": f"no control {method} {PREFIX}{path}; see GET {PREFIX}state"}
    return 200, state(account_id)


def with_controls(app: WsgiApp, console: Pages | None = None) -> WsgiApp:
    """Wrap a WSGI app (moto's server) so that ``/_lattice-deploy/`` reaches the controls, and
    ``/_lattice-deploy/console…`` the ``console`` given: the console reads the emulator, never the
    reverse, so its routes are handed in by the server's composition (``cli/serve.py``)."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if console and path[len(PREFIX) :].startswith("console"):  # the page and what it reads
            code, kind, body = console(path[len(PREFIX) :].strip("/"), query)
            start_response(f"{code} {'OK' if code == 200 else 'Error'}", [("Content-Type", kind)])
            return [body]
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size) if size else b""
        try:
            status, payload = _handle(
                environ["REQUEST_METHOD"],
                path[len(PREFIX) :].strip("/"),
                query.get("account", [ACCOUNT_ID])[0],
                json.loads(raw or b"{}"),
                query.get("owner", [None])[0],
            )
        except (FaultSpecError, ValueError) as exc:
            status, payload = 400, {"message": str(exc)}
        start_response(
            f"{status} {'OK' if status == 200 else 'Error'}", [("Content-Type", "application/json")]
        )
        return [json.dumps(payload).encode()]

    return wsgi


class ControlClient:
    """The controls of a running ``serve``, with :class:`~.account.EmbeddedAws`'s method names."""

    def __init__(self, endpoint_url: str, account_id: str = ACCOUNT_ID) -> None:
        if not endpoint_url.startswith(("http://", "https://")):
            raise ValueError(f"{endpoint_url!r}: give serve's URL, http://HOST:PORT")
        self.endpoint_url, self.account_id = endpoint_url.rstrip("/"), account_id

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, owner: str | None = None
    ) -> dict[str, Any]:
        query = {"owner": owner} if owner else {}
        params = urllib.parse.urlencode({"account": self.account_id, **query})
        request = urllib.request.Request(
            f"{self.endpoint_url}{PREFIX}{path}?{params}",
            data=json.dumps(body or {}).encode(),
            method=method,
            headers={"Content-Type": "application/json"},
        )
        # the URL is serve's --endpoint-url, refused unless http(s) in __init__
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310
            result: dict[str, Any] = json.loads(response.read())
            return result

    def state(self) -> dict[str, Any]:
        return self._call("GET", "state")

    def advance(self, seconds: float) -> float:
        return float(self._call("POST", "clock", {"advance": seconds})["clock"]["now"])

    def hold(self, held: bool = True) -> None:
        """Time stops jumping to the next deadline (:meth:`.clock.VirtualClock.hold`)."""
        self._call("POST", "clock", {"hold": held})

    def inject(self, spec: str | Fault) -> dict[str, Any]:
        fault = Fault.parse(spec) if isinstance(spec, str) else spec
        return self._call("POST", "faults", {"spec": fault.spec(), "owner": fault.owner})

    def clear_faults(self, owner: str | None = None) -> None:
        self._call("DELETE", "faults", owner=owner)

    def calls(self) -> dict[str, Any]:
        return dict(self.state()["calls"])

    def reset_calls(self) -> None:
        self._call("DELETE", "calls")
