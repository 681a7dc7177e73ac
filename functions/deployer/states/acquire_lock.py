"""State ``acquire_lock``: take this service's turn before anything is read or changed.

Answers ``ACQUIRED`` (deploy now), ``WAITING`` (another execution of this service is deploying:
the state machine waits and asks again) or ``SUPERSEDED`` (a newer definition was requested
meanwhile: this execution ends having changed nothing, and its report says which one won).
The ticket comes with the input when a trigger started the execution; an execution the CLI
started takes one here. See :mod:`deployer.core.ordering`.
"""

from __future__ import annotations

from typing import Any

from ..core import events, ordering
from ..core.step import step
from ..rollback import leftovers


def service_of(state: dict[str, Any]) -> str:
    """The service a run deploys: the bundle's folder, ``definitions/<service>/``."""
    return str(state["bundle"]["prefix"]).rstrip("/").rsplit("/", 1)[-1]


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    state, execution = event["state"], event["execution"]
    request = events.read(state, events.DeploymentRequest, "acquire_lock")  # the run's input
    service = service_of(state)
    ticket = (request.request.ticket if request.request else 0) or ordering.ticket_of(
        service, execution
    )
    turn = ordering.acquire(service, ticket, execution)
    # finish_leftovers runs only when there is something (always set: a Choice rule on a field
    # that is absent fails the execution on AWS)
    turn["leftovers"] = turn["status"] == "ACQUIRED" and leftovers.any_for(service)
    return turn
