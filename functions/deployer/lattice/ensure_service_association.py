"""Part ``ensure_service_association`` of state ``ensure_lattice``: associate the Lattice service
with the service network."""

from __future__ import annotations

from typing import Any

from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan, resources = event["plan"], event["resources"]
    network, service, api = (
        resources["serviceNetwork"],
        resources["latticeService"],
        lattice.client(plan),
    )
    found = lattice.find(
        api,
        "list_service_network_service_associations",
        lambda _: True,
        serviceNetworkIdentifier=network["arn"],  # an ARN: the network may be another account's
        serviceIdentifier=service["id"],
    )
    if found:
        return lattice.summary("unchanged", found)
    created = api.create_service_network_service_association(
        serviceNetworkIdentifier=network["arn"],
        serviceIdentifier=service["id"],
        clientToken=lattice.token(plan, "snsa"),
        tags=plan["tags"],
    )
    return lattice.summary("created", created)
