"""Rollback, VPC Lattice side, in reverse order of creation: what carries this deployment's tag
is deleted (a target group once its targets have drained; a progressive strategy's rules and
alternate group too); a listener, health check or auth (type and policy) this run changed gets
its recorded value back; nothing else is touched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from ..ecs import api as ecs
from ..ecs import progressive
from ..lattice import ensure_auth, shared_network
from ..lattice import find_or_create as lattice
from .undo import Ledger, guarded, made_by

DELETES = {  # kind → (operation, identifier parameter)
    "accessLogs": ("delete_access_log_subscription", "accessLogSubscriptionIdentifier"),
    "serviceAssociation": (
        "delete_service_network_service_association",
        "serviceNetworkServiceAssociationIdentifier",
    ),
    "rule": ("delete_rule", "ruleIdentifier"),
    "listener": ("delete_listener", "listenerIdentifier"),
    "targetGroup": ("delete_target_group", "targetGroupIdentifier"),
    "latticeService": ("delete_service", "serviceIdentifier"),
    "vpcAssociation": (
        "delete_service_network_vpc_association",
        "serviceNetworkVpcAssociationIdentifier",
    ),
    "serviceNetwork": ("delete_service_network", "serviceNetworkIdentifier"),
}


def cli_option(name: str) -> str:
    """``serviceIdentifier`` → ``--service-identifier``: the aws CLI's option for a member."""
    return "--" + re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


class LatticeUndo:
    def __init__(
        self,
        plan: dict[str, Any],
        baseline: dict[str, Any],
        resources: dict[str, Any],
        ledger: Ledger,
    ) -> None:
        self.plan, self.baseline, self.resources, self.ledger = plan, baseline, resources, ledger
        self.api = lattice.client(plan)

    def mine(self, arn: str) -> bool:
        tags = self.api.list_tags_for_resource(resourceArn=arn)["tags"]
        return made_by(tags, self.plan["deploymentId"])

    def delete(self, kind: str, ident: str, **scope: str) -> None:
        """Delete one resource; the aws CLI command doing the same is kept for the report."""
        operation, param = DELETES[kind]
        args = {**scope, param: ident}
        command = " ".join(
            [
                "aws vpc-lattice",
                operation.replace("_", "-"),
                *(f"{cli_option(k)} {v}" for k, v in args.items()),
            ]
        )
        if kind in ("rule", "targetGroup") and (why := self.held(ident)):
            self.ledger.left(kind, ident, why, command)
            return
        self.ledger.remove(kind, ident, lambda: getattr(self.api, operation)(**args), command)

    @cached_property
    def ecs_service(self) -> dict[str, Any]:
        """The ECS service as the ECS part of this pass left it (that part runs first)."""
        return ecs.describe_service(self.plan) or {}

    def held(self, ident: str) -> str:
        """Why ECS may still shift traffic on this rule or group ('': it does not): the ECS
        service's wiring names it, or the service still runs a progressive strategy it did not
        run before (its put-back was refused). Deleting it then would leave ECS a strategy whose
        ``advancedConfiguration`` names what is gone; it goes once the service is put back."""
        service = self.ecs_service
        if service.get("status") != "ACTIVE":
            return ""
        wiring = ecs.primary(service).get("vpcLatticeConfigurations") or []
        named = {
            str(arn).rsplit("/", 1)[-1]
            for w in wiring
            for arn in (w.get("advancedConfiguration") or {}).values()
        }
        strategy, before = progressive.strategy_of(service), self.baseline.get("ecsService")
        if before is None:  # the service is this run's: its delete was refused
            switched = strategy in progressive.STRATEGIES
        else:  # a baseline recorded before strategies were: nothing to compare
            config = before.get("deploymentConfiguration")
            switched = (
                config is not None
                and strategy in progressive.STRATEGIES
                and (progressive.strategy_of({"deploymentConfiguration": config}) != strategy)
            )
        if ident not in named and not switched:
            return ""
        return (
            f"ECS service {self.plan['serviceName']} still runs the {strategy} strategy on it: "
            "after the service is put back"
        )

    def locate(self, key: str, operation: str, **kwargs: Any) -> dict[str, Any] | None:
        """The resource as it is now: the one a step recorded, else the one the plan names (a
        crash may hide it), if it still exists (an earlier pass may have removed it)."""
        ref = self.plan["lattice"][{"latticeService": "service"}.get(key, key)]
        recorded = self.resources.get(key) or {}
        wanted = recorded.get("id") or ref.get("arn", "").rsplit("/", 1)[-1] or None
        return lattice.find(
            self.api,
            operation,
            lambda i: i["id"] == wanted if wanted else i["name"] == ref["name"],
            **kwargs,
        )

    def items(self, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        """The listed items this deployment created (an association already being deleted, by
        an earlier pass, is left to finish)."""
        pages = self.api.get_paginator(operation).paginate(**kwargs)
        return [
            i
            for page in pages
            for i in page["items"]
            if i.get("status") != "DELETE_IN_PROGRESS" and self.mine(i["arn"])
        ]

    def run(self) -> None:
        """Each part on its own: one that fails (a read refused) is named as left, and the others
        still run."""
        vpc = self.plan["lattice"]["vpcId"]
        service = self.locate("latticeService", "list_services")
        network = self.locate("serviceNetwork", "list_service_networks")
        group = self.locate("targetGroup", "list_target_groups", vpcIdentifier=vpc)
        parts: list[tuple[str, Callable[[], None]]] = [
            ("alternateGroup", partial(self.alternate_group, vpc)),
            ("serviceNetwork", partial(self.network_side, vpc, network, service)),
            ("serviceNetwork", partial(self.restore_auth, "service_network", "serviceNetwork")),
            ("latticeService", partial(self.restore_auth, "service", "latticeService")),
        ]
        if group:
            parts.insert(0, ("targetGroup", partial(self.target_group, group)))
        if service:
            parts.insert(0, ("latticeService", partial(self.service_side, service["id"])))
            parts.insert(-1, ("latticeService", partial(self.own_service, service)))
        for kind, part in parts:
            guarded(self.plan, self.ledger, kind, part)

    def restore_auth(self, kind: str, key: str) -> None:
        """The auth type and policy of a service or network the bundle owns, as the baseline
        recorded them, if this run changed them (one the run created goes with it; an adopted
        one was never changed, and has no record)."""
        recorded = self.baseline.get(key) or {}
        before = recorded.get("auth")
        if not before:
            return
        arn = recorded["arn"]
        now = ensure_auth.current(self.api, kind, arn)
        if not ensure_auth.differences(now, before):
            return
        call = partial(ensure_auth.put, self.api, kind, arn, now, before)
        ident = arn.rsplit("/", 1)[-1]
        if self.ledger.attempt(key, ident, call, ensure_auth.commands(kind, arn, before)):
            self.ledger.restore(key, ident, auth=before)

    def own_service(self, service: dict[str, Any]) -> None:
        if self.mine(service["arn"]):
            self.delete("latticeService", service["id"])

    def network_side(
        self, vpc: str, network: dict[str, Any] | None, service: dict[str, Any] | None
    ) -> None:
        users = self.other_services(network["arn"], service) if network else []
        shared = f"now used by {', '.join(users)}: kept" if users else ""
        for assoc in self.items("list_service_network_vpc_associations", vpcIdentifier=vpc):
            if shared:
                self.ledger.keep("vpcAssociation", assoc["id"], shared)
            else:
                self.delete("vpcAssociation", assoc["id"])
        theirs = shared_network.shared_from(self.plan)  # another account's: never ours
        if network and not theirs and self.mine(network["arn"]):
            if shared:
                self.ledger.keep("serviceNetwork", network["id"], shared)
            else:
                self.delete("serviceNetwork", network["id"])

    def wired(self) -> set[str]:
        """The target groups a surviving (ACTIVE) ECS service of this plan is wired to: never
        deleted under it."""
        service = ecs.describe_service(self.plan) or {}
        if service.get("status") != "ACTIVE":
            return set()
        wiring = ecs.primary(service).get("vpcLatticeConfigurations") or []
        return {str(w["targetGroupArn"]) for w in wiring}

    def alternate_group(self, vpc: str) -> None:
        """A progressive strategy's alternate group, if this run made it."""
        wanted = ((self.plan["lattice"].get("progressive") or {}).get("alternateGroup")) or {}
        found = wanted and lattice.find(
            self.api, "list_target_groups", lambda i: i["name"] == wanted["name"], vpcIdentifier=vpc
        )
        if found and self.mine(found["arn"]):
            self.delete("targetGroup", str(found["id"]))

    def other_services(self, network: str, ours: dict[str, Any] | None) -> list[str]:
        """Services of other deployments in the network. Why: the network and its VPC
        association are the environment's, and the lock is per service, so another service may
        have joined a network this run made; deleting it would cut that service off."""
        pages = self.api.get_paginator("list_service_network_service_associations").paginate(
            serviceNetworkIdentifier=network
        )
        return sorted(
            str(i.get("serviceName") or i.get("serviceId"))
            for page in pages
            for i in page["items"]
            if i.get("status") not in ("DELETE_IN_PROGRESS", "DELETE_FAILED")
            and i.get("serviceId") != (ours or {}).get("id")
        )

    def service_side(self, svc: str) -> None:
        for sub in self.items("list_access_log_subscriptions", resourceIdentifier=svc):
            self.delete("accessLogs", sub["id"])
        for assoc in self.items("list_service_network_service_associations", serviceIdentifier=svc):
            self.delete("serviceAssociation", assoc["id"])
        before = (self.baseline.get("latticeService") or {}).get("listeners") or {}
        for page in self.api.get_paginator("list_listeners").paginate(serviceIdentifier=svc):
            for item in page["items"]:
                if self.mine(item["arn"]):  # its rules go with it
                    self.delete("listener", item["id"], serviceIdentifier=svc)
                    continue
                for rule in self.items(
                    "list_rules", serviceIdentifier=svc, listenerIdentifier=item["id"]
                ):
                    self.delete(
                        "rule", rule["id"], serviceIdentifier=svc, listenerIdentifier=item["id"]
                    )
                if item["id"] in before:
                    self.restore_listener(svc, item["id"], before[item["id"]])

    def restore_listener(self, svc: str, listener: str, action: dict[str, Any]) -> None:
        current = self.api.get_listener(serviceIdentifier=svc, listenerIdentifier=listener)
        if current["defaultAction"] != action:
            command = (
                f"aws vpc-lattice update-listener --service-identifier {svc} "
                f"--listener-identifier {listener} --default-action '{json.dumps(action)}'"
            )
            call = partial(
                self.api.update_listener,
                serviceIdentifier=svc,
                listenerIdentifier=listener,
                defaultAction=action,
            )
            if self.ledger.attempt("listener", listener, call, command):
                self.ledger.restore("listener", listener, defaultAction=action)

    def target_group(self, group: dict[str, Any]) -> None:
        if self.mine(group["arn"]):
            if group["arn"] in self.wired():  # the ECS service's delete was refused
                self.ledger.left(
                    "targetGroup",
                    group["id"],
                    f"ECS service {self.plan['serviceName']} still registers its tasks in it: "
                    "after the service is deleted",
                    f"aws vpc-lattice delete-target-group --target-group-identifier {group['id']}",
                )
                return
            self.delete("targetGroup", group["id"])
            return
        before = self.baseline.get("targetGroup")
        if before and before["arn"] == group["arn"] and before.get("healthCheck"):
            current = self.api.get_target_group(targetGroupIdentifier=group["arn"])["config"]
            if current.get("healthCheck") != before["healthCheck"]:
                check = before["healthCheck"]
                command = (
                    f"aws vpc-lattice update-target-group --target-group-identifier "
                    f"{group['id']} --health-check '{json.dumps(check)}'"
                )
                call = partial(
                    self.api.update_target_group,
                    targetGroupIdentifier=group["arn"],
                    healthCheck=check,
                )
                if self.ledger.attempt("targetGroup", group["id"], call, command):
                    self.ledger.restore("targetGroup", group["id"], healthCheck=check)
