"""State ``ensure_lattice_service``: adopt the bundle's Lattice service, or find/create it."""

from __future__ import annotations

from typing import Any

from . import lattice
from .step import step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    ref, api = plan["lattice"]["service"], lattice.client(plan)
    if "arn" in ref:
        return lattice.summary(
            "adopted",
            lattice.adopt(api.get_service, "service", ref["arn"], serviceIdentifier=ref["arn"]),
        )
    found = lattice.find(api, "list_services", lambda item: item["name"] == ref["name"])
    if found:
        return lattice.summary("unchanged", found)
    created = api.create_service(
        name=ref["name"], authType="NONE", clientToken=lattice.token(plan, "svc"), tags=plan["tags"]
    )
    return lattice.summary("created", created)
