"""State ``finish_leftovers``: before this run reads its bundle, finish what earlier runs of
the service could not roll back (:mod:`deployer.rollback.leftovers`).

Why here, before ``load_bundle``: the baseline ``load_bundle`` records must be the account
without the earlier run's leftovers, or this run's own rollback would keep them (and its plan
would adopt a network about to be deleted). The earlier run's rollback is run as it was (same
code, its plan, its deployment id: only what carries that run's tag is deleted), as a loop with
``wait_for_leftovers``. ``DONE``: the record is forgotten and the run deploys. If it still cannot
finish, this run changes nothing and fails, listing each resource left with its command.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import DeployError
from ..core.step import record, step
from ..rollback import leftovers
from . import rollback


class LeftoversRemain(DeployError):
    """An earlier run's rollback still cannot finish; this run changed nothing."""


def _left(results: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{p['remove']} ({p['reason']})" for r in results for p in r["rollback"]["pending"]
    )


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    service = str((event.get("turn") or {}).get("service") or "")
    earlier = event.get("leftovers") or {}
    previous = {r["deploymentId"]: r["rollback"] for r in earlier.get("runs") or []}
    finished, results = list(earlier.get("finished") or []), []
    for found in leftovers.pending(service) if service else []:
        ledger = previous.get(found["deploymentId"], found.get("rollback"))
        outcome = rollback.one_pass({**found, "rollback": ledger})
        if outcome["status"] == "DONE":
            leftovers.drop(service, found["deploymentId"])
            finished.append(found["deploymentId"])
        else:
            results.append({"deploymentId": found["deploymentId"], "rollback": outcome})
    if stuck := [r for r in results if r["rollback"]["status"] == "STUCK"]:
        raise LeftoversRemain(
            f"an earlier run of {service} left resources its rollback still cannot remove, so "
            f"this run changed nothing. Left: {_left(stuck)}. Remove them, then deploy again"
        )
    status = "WAITING" if results else "DONE"
    wait = min((int(r["rollback"]["waitSeconds"]) for r in results), default=1)
    return record(status, status=status, runs=results, finished=finished, waitSeconds=wait)
