"""Rollback of the routes: the listener's rules of the bundle put back as ``load_bundle`` found
them (:func:`before`, read into ``plan.baseline.routes``): a rule this run made is deleted, one it
changed or deleted is updated or made again, with its old tags. Rules made by hand, a strategy's,
and other services' groups are never touched (:mod:`deployer.lattice.routes`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..lattice import find_or_create as lattice
from ..lattice import routes
from .undo import GONE, Ledger, made_by


def _listener(plan: dict[str, Any], service_id: str) -> dict[str, Any] | None:
    api, name = lattice.client(plan), plan["lattice"]["listener"]["name"]
    try:
        return lattice.find(
            api, "list_listeners", lambda i: i["name"] == name, serviceIdentifier=service_id
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] in GONE:  # the service went (this run's, deleted)
            return None
        raise


def before(plan: dict[str, Any], service: dict[str, Any] | None) -> dict[str, Any] | None:
    """The bundle's rules on the workflow's listener before the run (None: no such listener)."""
    listener = service and _listener(plan, service["id"])
    if not service or not listener:
        return None
    on = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
    keep = ("name", "priority", "match", "action", "tags")
    ours = [r for r in routes.listener_rules(lattice.client(plan), on) if routes.is_ours(r, plan)]
    return {"listener": listener["id"], "rules": [{k: r[k] for k in keep} for r in ours]}


def undo(plan: dict[str, Any], baseline: dict[str, Any], service_id: str, ledger: Ledger) -> None:
    listener = _listener(plan, service_id)
    if not listener:
        return  # gone with the service, or never made
    api = lattice.client(plan)
    on = {"serviceIdentifier": service_id, "listenerIdentifier": listener["id"]}
    was = (baseline.get("routes") or {}).get("rules") or []
    names = {r["name"] for r in was}
    rules = routes.listener_rules(api, on)
    current = [
        r
        for r in rules
        if routes.is_ours(r, plan)
        and (r["name"] in names or made_by(r["tags"], plan["deploymentId"]))
    ]
    if not current and not was:
        return
    others = [r for r in rules if r not in current]
    tags = {r["name"]: r.get("tags") or {} for r in was}
    want = [{k: r[k] for k in ("name", "priority", "match", "action")} for r in was]

    def create(rule: dict[str, Any]) -> Any:
        return api.create_rule(**on, **rule, tags=tags.get(rule["name"]) or plan["tags"])

    def call(verb: str, name: str, run: Callable[[], Any]) -> None:
        rule = next((r for r in want + current if r["name"] == name), {"name": name})
        command = _command(verb, on, rule)
        made = ledger.attempt("rule", name, run, command)
        if made and verb == "delete":
            ledger.removed.append({"type": "rule", "id": name})
        elif made and verb in ("update", "create"):
            ledger.restore("rule", name, priority=rule.get("priority"))

    routes.apply(api, on, current, want, others, create, call)


def _command(verb: str, on: dict[str, str], rule: dict[str, Any]) -> str:
    scope = (
        f"--service-identifier {on['serviceIdentifier']} --listener-identifier "
        + on["listenerIdentifier"]
    )
    if verb == "delete":
        return (
            f"aws vpc-lattice delete-rule {scope} --rule-identifier {rule.get('id', rule['name'])}"
        )
    body = {k: rule[k] for k in ("priority", "match", "action") if k in rule}
    return (
        f"aws vpc-lattice {'create' if verb == 'create' else 'update'}-rule {scope} "
        f"--cli-input-json '{json.dumps(body)}'"
    )
