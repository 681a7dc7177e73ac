"""Part ``ensure_service_network`` of state ``ensure_lattice``: adopt the bundle's service network,
or find/create it by name.

A service network is shared by every service of an environment, so one found by name is reused
as is (``unchanged``) and only ever deleted by the run that created it.
"""

from __future__ import annotations

from typing import Any

from . import ensure_auth
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    api = lattice.client(plan)
    made = lattice.ensure_named(
        plan,
        "service_network",
        plan["lattice"]["serviceNetwork"],
        api.get_service_network,
        api.create_service_network,
        "sn",
    )
    return ensure_auth.ensure(plan, "service_network", made)
