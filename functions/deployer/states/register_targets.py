"""State ``register_targets`` (``registration: direct`` only): register the service's running task
IPs in the target group and deregister IPs whose tasks are gone, for accounts that cannot give ECS
the VPC Lattice infrastructure role. Runs before every poll after the first, so replaced tasks are
followed; it keeps when it registered each target (``registeredAt``, the state's EnteredTime),
which is when Lattice's checks of it begin (:mod:`deployer.health.health_schedule`)."""

from __future__ import annotations

from typing import Any

from ..core.step import record, step
from ..health import targets


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    state = event["state"]
    resources = state["resources"]
    add, remove = targets.sync(state["plan"], resources["targetGroup"]["arn"])
    known = (resources.get("targets") or {}).get("registeredAt") or {}
    registered_at = {ip: at for ip, at in known.items() if ip not in remove}
    registered_at.update(dict.fromkeys(add, event["now"]))
    return record(
        "updated" if add or remove else "unchanged",
        registered=add,
        deregistered=remove,
        registeredAt=registered_at,
    )
