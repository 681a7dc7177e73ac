"""State ``ensure_service_network``: adopt the bundle's service network, or find/create it by name.

A service network is shared by every service of an environment, so one found by name is reused
as is (``unchanged``) and only ever deleted by the run that created it.
"""

from __future__ import annotations

from typing import Any

from . import lattice
from .step import step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    ref, api = plan["lattice"]["serviceNetwork"], lattice.client(plan)
    if "arn" in ref:
        found = lattice.adopt(
            api.get_service_network,
            "service_network",
            ref["arn"],
            serviceNetworkIdentifier=ref["arn"],
        )
        return lattice.summary("adopted", found)
    named = lattice.find(api, "list_service_networks", lambda item: item["name"] == ref["name"])
    if named:
        return lattice.summary("unchanged", named)
    created = api.create_service_network(
        name=ref["name"], authType="NONE", clientToken=lattice.token(plan, "sn"), tags=plan["tags"]
    )
    return lattice.summary("created", created)
