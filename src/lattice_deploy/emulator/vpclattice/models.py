"""VPC Lattice state registered in moto's place: deletes, updates and targets on top of
:mod:`.resources`.

Deletes are refused (ConflictException) while something still depends on the resource, as AWS
refuses them: a service network with VPC or service associations, a service associated with a
service network (an association being deleted still counts), a target group a listener forwards
to or whose targets are still draining. An association's delete answers DELETE_IN_PROGRESS and
completes :data:`ASSOCIATION_DELETE_SECONDS` later, as AWS's does (VPC Lattice API reference,
DeleteServiceNetworkVpcAssociation / DeleteServiceNetworkServiceAssociation: "status").
"""

from __future__ import annotations

import ipaddress
from typing import Any

from moto.core.base_backend import BackendDict
from moto.utilities.paginator import paginate
from moto.vpclattice.models import (
    VPCLatticeAccessLogSubscription,
    VPCLatticeListener,
    VPCLatticeService,
    VPCLatticeServiceNetwork,
    VPCLatticeServiceNetworkServiceAssociation,
    VPCLatticeServiceNetworkVpcAssociation,
    VPCLatticeTargetGroup,
)

from .. import seams
from ..clock import CLOCK
from ..faults import FAULTS
from . import actions, custom_domains
from .auth import AuthPolicies
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .resources import KINDS, LatticeResources, forwards
from .rules import ListenerRules, weights
from .sharing import SharedNetworks
from .targets import Target

MAX_TARGETS_PER_CALL = 100
ASSOCIATION_DELETE_SECONDS = 10.0
"""How long an association stays DELETE_IN_PROGRESS. AWS documents the state, not its length;
deletes seen on AWS take seconds. Chosen shorter than a poll (15 s), longer than no time."""
ASSOCIATIONS = ("service_network_vpc_association", "service_network_service_association")


class EmulatedLatticeBackend(SharedNetworks, AuthPolicies, ListenerRules, LatticeResources):  # type: ignore[misc]  # create_rule: ours
    # ---- reads moto gets by id only --------------------------------------------------------
    def get_service(self, service_identifier: str) -> VPCLatticeService:
        return self.find("service", service_identifier)

    def get_service_network(self, service_network_identifier: str) -> VPCLatticeServiceNetwork:
        return self.find("service_network", service_network_identifier)

    def get_target_group(self, target_group_identifier: str) -> VPCLatticeTargetGroup:
        return self.find("target_group", target_group_identifier)

    def get_listener(self, service_identifier: str, listener_identifier: str) -> VPCLatticeListener:
        service, listener = (
            self.find("service", service_identifier),
            self.find("listener", listener_identifier),
        )
        if listener.service_identifier != service.id:
            raise ResourceNotFoundException("listener", listener_identifier)
        return listener

    def get_access_log_subscription(
        self, accessLogSubscriptionIdentifier: str
    ) -> VPCLatticeAccessLogSubscription:
        return self.find("access_log_subscription", accessLogSubscriptionIdentifier)

    def get_service_network_service_association(
        self, service_network_service_association_identifier: str
    ) -> VPCLatticeServiceNetworkServiceAssociation:
        return self.find(
            "service_network_service_association", service_network_service_association_identifier
        )

    def get_service_network_vpc_association(
        self, identifier: str
    ) -> VPCLatticeServiceNetworkVpcAssociation:
        return self.find("service_network_vpc_association", identifier)

    def service_arns_for(self, tg: VPCLatticeTargetGroup) -> list[str]:
        """The services whose listeners forward to ``tg`` (by default action or by a rule)."""
        return self.service_arns_by_group().get(tg.id, [])

    def service_arns_by_group(self) -> dict[str, list[str]]:
        """Target group id → :meth:`service_arns_for`, for every group at once: one pass over
        the listeners and rules (a page of ListTargetGroups made one pass per group)."""
        by_rules: dict[str, set[str]] = {}  # listener id → the groups its rules forward to
        for rule in self.listener_rules.values():
            by_rules.setdefault(rule.listener.id, set()).update(weights(rule.action))
        found: dict[str, set[str]] = {}
        for listener in self.listeners.values():
            for group in forwards(listener.default_action) | by_rules.get(listener.id, set()):
                found.setdefault(group, set()).add(listener.service_arn)
        return {group: sorted(arns) for group, arns in found.items()}

    @paginate(pagination_model=LatticeResources.PAGINATION_MODEL)
    def list_access_log_subscriptions(  # type: ignore[override]
        self, resourceIdentifier: str
    ) -> list[VPCLatticeAccessLogSubscription]:
        kind = "service_network" if "sn-" in (resourceIdentifier or "") else "service"
        resource = self.find(kind, resourceIdentifier)
        return [s for s in self.access_log_subscriptions.values() if s.resourceId == resource.id]

    @paginate(pagination_model=LatticeResources.PAGINATION_MODEL)
    def list_service_network_service_associations(
        self, service_network_identifier: str | None = None, service_identifier: str | None = None
    ) -> list[VPCLatticeServiceNetworkServiceAssociation]:
        sn = (
            self.find("service_network", service_network_identifier)
            if service_network_identifier
            else None
        )
        svc = self.find("service", service_identifier) if service_identifier else None
        return [
            a
            for a in self.service_network_service_associations.values()
            if (sn is None or a.service_network_id == sn.id)
            and (svc is None or a.service_id == svc.id)
        ]

    # ---- deletes -----------------------------------------------------------------------------
    def delete_service_network(self, identifier: str) -> None:
        sn = self.find("service_network", identifier)
        for store in (
            self.service_network_vpc_associations,
            self.service_network_service_associations,
        ):
            for assoc in store.values():
                if assoc.service_network_id == sn.id:
                    raise ConflictException(
                        "service_network",
                        sn.id,
                        f"Service network {sn.id} still has association {assoc.id};"
                        " delete it first",
                    )
        self._forget("service_network", sn)

    def delete_service_network_vpc_association(self, identifier: str) -> Any:
        return self._start_delete(self.find("service_network_vpc_association", identifier))

    def delete_service_network_service_association(self, identifier: str) -> Any:
        return self._start_delete(self.find("service_network_service_association", identifier))

    def _start_delete(self, assoc: Any) -> Any:
        """The association answers DELETE_IN_PROGRESS (again, if asked again) until it is gone."""
        if assoc.status != "DELETE_IN_PROGRESS":
            assoc.status, assoc.gone_at = (
                "DELETE_IN_PROGRESS",
                CLOCK.now() + ASSOCIATION_DELETE_SECONDS,
            )
            self.delete_twin(assoc)  # its twin in the other account, if shared (:mod:`.sharing`)
        return assoc

    def sweep(self) -> None:
        """Catch up with time before every request: ECS tasks that became RUNNING register
        their targets, association deletes whose time has come finish."""
        self._tasks.reconcile_all()
        self.settle_target_groups()
        now = CLOCK.now()
        for kind in ASSOCIATIONS:
            store = getattr(self, KINDS[kind][1])
            for assoc in [a for a in store.values() if getattr(a, "gone_at", now + 1) <= now]:
                self._forget(kind, assoc)

    def delete_service(self, identifier: str) -> VPCLatticeService:
        """Deletes the service with its listeners and access log subscriptions, as AWS does."""
        svc = self.find("service", identifier)
        for assoc in self.service_network_service_associations.values():
            if assoc.service_id == svc.id:
                raise ConflictException(
                    "service",
                    svc.id,
                    f"Service {svc.id} is associated with service network"
                    f" {assoc.service_network_id}"
                    f" ({assoc.id}); delete that association first",
                )
        for listener in [ln for ln in self.listeners.values() if ln.service_identifier == svc.id]:
            self.forget_rules(listener)
            self._forget("listener", listener)
        for sub in [s for s in self.access_log_subscriptions.values() if s.resourceId == svc.id]:
            self._forget("access_log_subscription", sub)
        self._refresh_usage()
        return self._forget("service", svc)

    def delete_listener(self, service_identifier: str, listener_identifier: str) -> None:
        listener = self.get_listener(service_identifier, listener_identifier)
        self.forget_rules(listener)
        self._forget("listener", listener)
        self._refresh_usage()

    def delete_target_group(self, identifier: str) -> VPCLatticeTargetGroup:
        """Refused while a listener forwards to the group (API reference, DeleteTargetGroup) or
        while targets drain; registered targets go with the group."""
        tg = self.find("target_group", identifier)
        if services := self.service_arns_for(tg):
            raise ConflictException(
                "target_group",
                tg.id,
                f"Target group {tg.id} is in use by a listener of {services[0]}; remove it first",
            )
        if draining := [t for t in self._live_targets(tg) if t.draining_since is not None]:
            raise ConflictException(
                "target_group",
                tg.id,
                f"Target group {tg.id} still has {len(draining)} draining target(s); "
                "wait for draining to finish",
            )
        self._retire(tg, list(self.targets.pop(tg.id, {}).values()))
        return self._forget("target_group", tg)

    def delete_access_log_subscription(self, accessLogSubscriptionIdentifier: str) -> None:
        self._forget(
            "access_log_subscription",
            self.find("access_log_subscription", accessLogSubscriptionIdentifier),
        )

    def _forget(self, kind: str, obj: Any) -> Any:
        del getattr(self, KINDS[kind][1])[obj.id]
        self.auth_policies.pop(obj.id, None)  # a service's or network's policy goes with it
        self.tagger.delete_all_tags_for_resource(obj.arn)
        obj.status = "DELETE_IN_PROGRESS"
        return obj

    # ---- updates -----------------------------------------------------------------------------
    def update_target_group(
        self, identifier: str, health_check: dict[str, Any]
    ) -> VPCLatticeTargetGroup:
        tg = self.find("target_group", identifier)
        if tg.type == "LAMBDA":
            raise ValidationException("Lambda target groups have no health check", "healthCheck")
        tg.config["healthCheck"] = {**tg.config["healthCheck"], **(health_check or {})}
        tg.last_updated_at = CLOCK.datetime().isoformat()
        return tg

    def update_listener(
        self, service_identifier: str, listener_identifier: str, default_action: dict[str, Any]
    ) -> VPCLatticeListener:
        listener = self.get_listener(service_identifier, listener_identifier)
        service = self.find("service", listener.service_identifier)
        actions.check_listener_action(self, service, listener.protocol, default_action)
        listener.default_action = default_action
        self._refresh_usage()
        return listener

    def update_service(
        self, identifier: str, auth_type: str | None, certificate_arn: str | None
    ) -> VPCLatticeService:
        svc = self.find("service", identifier)
        if certificate_arn:
            custom_domains.check(
                self.account_id, self.region_name, certificate_arn, svc.custom_domain_name
            )
        svc.auth_type = auth_type or svc.auth_type
        svc.certificate_arn = (
            certificate_arn if certificate_arn is not None else svc.certificate_arn
        )
        return svc

    def update_service_network_vpc_association(
        self, identifier: str, security_group_ids: list[str]
    ) -> VPCLatticeServiceNetworkVpcAssociation:
        assoc = self.find("service_network_vpc_association", identifier)
        self._vpc(assoc.vpc_id, security_group_ids)
        assoc.security_group_ids = list(security_group_ids)
        return assoc

    # ---- targets -----------------------------------------------------------------------------
    def register_targets(
        self, identifier: str, targets: list[dict[str, Any]], failing: bool | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Register targets; ``failing`` (ECS passes it) overrides the injected-fault lookup."""
        tg = self.find("target_group", identifier)
        self._check_count(targets)
        registered = self.targets.setdefault(tg.id, {})
        done, refused = [], []
        for spec in targets:
            port = int(spec.get("port") or tg.config.get("port") or 80)
            if problem := self._target_problem(tg, spec["id"]):
                refused.append({"id": spec["id"], "port": port, **problem})
                continue
            current = registered.get((spec["id"], port))
            if current is None or current.draining_since is not None:
                fails = self._failing(tg, spec["id"]) if failing is None else failing
                registered[(spec["id"], port)] = Target(
                    spec["id"], port, CLOCK.now(), fails, listens=self._tasks.task_ports(spec["id"])
                )
            done.append({"id": spec["id"], "port": port})
        return done, refused

    def deregister_targets(
        self, identifier: str, targets: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        tg = self.find("target_group", identifier)
        self._check_count(targets)
        done, refused = [], []
        for spec in targets:
            port = int(spec.get("port") or tg.config.get("port") or 80)
            target = self.targets.get(tg.id, {}).get((spec["id"], port))
            if target is None or target.drained(CLOCK.now()):
                refused.append(
                    {
                        "id": spec["id"],
                        "port": port,
                        "failureCode": "TargetNotFound",
                        "failureMessage": "The target is not registered with the target group",
                    }
                )
                continue
            target.deregister(
                CLOCK.now(), tg.config.get("healthCheck") or {}, self.in_use_since.get(tg.id)
            )
            done.append({"id": spec["id"], "port": port})
        return done, refused

    @paginate(pagination_model=LatticeResources.PAGINATION_MODEL)
    def list_targets(
        self, identifier: str, targets: list[dict[str, Any]] | None = None
    ) -> list[dict[str, Any]]:
        tg = self.find("target_group", identifier)
        wanted = {(t["id"], t.get("port")) for t in targets or []}
        items = [
            target.summary(
                CLOCK.now(), tg.config.get("healthCheck") or {}, self.in_use_since.get(tg.id)
            )
            for target in self._live_targets(tg)
        ]
        return [
            i
            for i in items
            if not wanted or (i["id"], i["port"]) in wanted or (i["id"], None) in wanted
        ]

    def target(
        self, identifier: str, ip: str, port: int
    ) -> tuple[Target, dict[str, Any], float | None] | None:
        """A target with its group's health check and in-use time: what ECS reads for a task
        (None also when the group is gone: a service may outlive a group deleted under it)."""
        try:
            tg = self.find("target_group", identifier)
        except ResourceNotFoundException:
            return None
        found = self.targets.get(tg.id, {}).get((ip, port))
        return (
            None
            if found is None
            else (found, tg.config.get("healthCheck") or {}, self.in_use_since.get(tg.id))
        )

    def _live_targets(self, tg: VPCLatticeTargetGroup) -> list[Target]:
        now, registered = CLOCK.now(), self.targets.get(tg.id, {})
        gone = [k for k, t in registered.items() if t.drained(now)]
        self._retire(tg, [registered.pop(key) for key in gone])
        return list(registered.values())

    def _retire(self, tg: VPCLatticeTargetGroup, gone: list[Target]) -> None:
        health, in_use = tg.config.get("healthCheck") or {}, self.in_use_since.get(tg.id)
        self.retired.setdefault(tg.arn, []).extend(t.moments(health, in_use) for t in gone)

    def timeline(self, group_arn: str) -> list[dict[str, Any]]:
        """Every target the group ever had, with when it turned HEALTHY or UNHEALTHY (virtual
        seconds): the truth a health gate's verdict is measured against. The group may be gone."""
        found = [t for t in self.target_groups.values() if t.arn == group_arn]
        live = []
        if found:
            tg = found[0]
            health, in_use = tg.config.get("healthCheck") or {}, self.in_use_since.get(tg.id)
            live = [t.moments(health, in_use) for t in self._live_targets(tg)]
        return [*self.retired.get(group_arn, []), *live]

    @property
    def _tasks(self) -> seams.Tasks:
        """The tasks behind the targets (ECS's, joined at install: :mod:`..seams`)."""
        return seams.tasks(self.account_id, self.region_name)

    def _failing(self, tg: VPCLatticeTargetGroup, ip: str) -> bool:
        """Whether an ``unhealthy-targets`` fault covers a target registered by hand: by its
        group's name or id, or the names of the ECS task that has its IP."""
        tasks = self._tasks.task_names(ip)
        return FAULTS.matches(self.account_id, "unhealthy-targets", [tg.name, tg.id, *tasks])

    def _target_problem(self, tg: VPCLatticeTargetGroup, target_id: str) -> dict[str, str] | None:
        if tg.type != "IP":
            return None
        try:
            ipaddress.ip_address(target_id)
        except ValueError:
            return {
                "failureCode": "InvalidTarget",
                "failureMessage": f"{target_id!r} is not an IP address; IP target groups take IPs",
            }
        return None

    @staticmethod
    def _check_count(targets: list[dict[str, Any]]) -> None:
        if not targets or len(targets) > MAX_TARGETS_PER_CALL:
            raise ValidationException(f"Give 1 to {MAX_TARGETS_PER_CALL} targets", "targets")


lattice_backends: BackendDict[EmulatedLatticeBackend] = BackendDict(
    EmulatedLatticeBackend, "vpc-lattice"
)
EmulatedLatticeBackend.accounts = lattice_backends  # a shared network's owner (:mod:`.sharing`)
