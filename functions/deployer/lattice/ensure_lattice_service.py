"""Part ``ensure_lattice_service`` of state ``ensure_lattice``: adopt the bundle's Lattice service,
or find/create it."""

from __future__ import annotations

from typing import Any

from . import ensure_auth
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    api = lattice.client(plan)
    made = lattice.ensure_named(
        plan,
        "service",
        plan["lattice"]["service"],
        api.get_service,
        "list_services",
        api.create_service,
        "svc",
    )
    return ensure_auth.ensure(plan, "service", made)
