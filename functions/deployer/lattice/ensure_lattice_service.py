"""Part ``ensure_lattice_service`` of state ``ensure_lattice``: adopt the bundle's Lattice service,
or find/create it (with the bundle's ``customDomainName`` and ``certificateArn``, which only a
create can set for the domain: :mod:`.custom_domain`). A found service whose certificate is not
the bundle's gets it (UpdateService), its previous one recorded for the rollback."""

from __future__ import annotations

from functools import partial
from typing import Any

from . import ensure_auth
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    api = lattice.client(plan)
    ref = plan["lattice"]["service"]
    domain = {k: ref[k] for k in ("customDomainName", "certificateArn") if ref.get(k)}
    made = lattice.ensure_named(
        plan,
        "service",
        ref,
        api.get_service,
        partial(api.create_service, **domain) if domain else api.create_service,
        "svc",
    )
    return ensure_auth.ensure(
        plan, "service", _certificate(api, made, domain.get("certificateArn"))
    )


def _certificate(api: Any, made: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    """A found service whose certificate is not the bundle's gets it (UpdateService)."""
    if made["action"] == "created" or not wanted:
        return made
    current = api.get_service(serviceIdentifier=made["id"]).get("certificateArn") or None
    if current == wanted:
        return made
    api.update_service(serviceIdentifier=made["id"], certificateArn=wanted)
    return {**made, "action": "updated", "previous": {"certificateArn": current}}
