"""VPC Lattice resources: identifiers, names, idempotent creates and the reads moto lacks.

Added, as AWS behaves: ids of AWS's shape (``tg-`` + 17 chars) accepted as ids or ARNs; creates
that are idempotent by ``clientToken`` and refuse duplicate names (ConflictException); every delete,
refused while something still depends on the resource; the updates; targets with health in virtual
time. Each public method is one operation, named as botocore names it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.ec2.models import ec2_backends
from moto.moto_api._internal import mock_random
from moto.vpclattice.models import (
    VPCLatticeAccessLogSubscription,
    VPCLatticeBackend,
    VPCLatticeDNSEntry,
    VPCLatticeListener,
    VPCLatticeService,
    VPCLatticeServiceNetwork,
    VPCLatticeServiceNetworkServiceAssociation,
    VPCLatticeServiceNetworkVpcAssociation,
    VPCLatticeTargetGroup,
)

from ..clock import CLOCK
from ..faults import FAULTS
from . import actions, custom_domains, quotas
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .targets import DEFAULT_HEALTH_CHECK, Target

# resource type -> (id prefix, attribute holding the store)
KINDS: dict[str, tuple[str, str]] = {
    "service": ("svc", "services"),
    "service_network": ("sn", "service_networks"),
    "target_group": ("tg", "target_groups"),
    "listener": ("listener", "listeners"),
    "service_network_vpc_association": ("snva", "service_network_vpc_associations"),
    "service_network_service_association": ("snsa", "service_network_service_associations"),
    "access_log_subscription": ("als", "access_log_subscriptions"),
}
NAME_RULES: dict[str, tuple[int, str | None]] = {  # max length, reserved prefix (botocore)
    "service_network": (63, None),
    "service": (40, "svc-"),
    "target_group": (128, "tg-"),
    "listener": (63, "listener-"),
}
_NAME = re.compile(r"(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+")
# moto's paginator parameter name, not a password
_TOKEN_PARAMETER = "next_token"  # nosec B105
_PAGE = {"input_token": _TOKEN_PARAMETER, "limit_key": "max_results", "limit_default": 100}


class LatticeResources(VPCLatticeBackend):
    PAGINATION_MODEL = {  # noqa: RUF012  (moto's shape)
        **VPCLatticeBackend.PAGINATION_MODEL,
        "list_targets": {**_PAGE, "unique_attribute": ["id", "port"]},
        "list_access_log_subscriptions": {**_PAGE, "unique_attribute": "id"},
        "list_service_network_service_associations": {**_PAGE, "unique_attribute": "id"},
    }

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.targets: dict[str, dict[tuple[str, int], Target]] = {}
        self.in_use_since: dict[str, float] = {}  # target group id -> first forwarded to
        self.retired: dict[str, list[dict[str, Any]]] = {}  # group ARN -> gone targets' moments
        self._tokens: dict[tuple[str, str], tuple[str, str]] = {}

    # ---- identifiers, names, idempotency -------------------------------------------------
    def settle_target_groups(self) -> None:
        """A group created CREATE_IN_PROGRESS (fault ``creating``) is ACTIVE once its time came."""
        now = CLOCK.now()
        for tg in self.target_groups.values():
            if tg.status == "CREATE_IN_PROGRESS" and getattr(tg, "active_at", 0.0) <= now:
                tg.status = "ACTIVE"

    def find(self, kind: str, identifier: str | None) -> Any:
        """The resource named by an id or an ARN, as every Lattice ``*Identifier`` accepts."""
        prefix, store = KINDS[kind]
        ident = identifier or ""
        rid = ident.rsplit("/", 1)[-1] if ident.startswith("arn:") else ident
        if not re.fullmatch(rf"{prefix}-[0-9a-z]{{17}}", rid):
            field = re.sub(r"_(\w)", lambda m: m[1].upper(), kind) + "Identifier"
            raise ValidationException(
                f"Invalid {field} {ident!r}: give the {prefix}-<17 characters> id or its ARN",
                field=field,
            )
        found = getattr(self, store).get(rid)
        if found is None or (ident.startswith("arn:") and found.arn != ident):
            raise ResourceNotFoundException(kind, ident)
        return found

    @staticmethod
    def check_name(kind: str, name: str | None) -> str:
        longest, reserved = NAME_RULES[kind]
        if not name or not 3 <= len(name) <= longest or not _NAME.fullmatch(name):
            raise ValidationException(
                f"Invalid {kind.replace('_', ' ')} name {name!r}: 3-{longest} characters of a-z, "
                "0-9 and single hyphens, not starting or ending with a hyphen",
                field="name",
            )
        if reserved and name.startswith(reserved):
            raise ValidationException(f"Name {name!r} must not start with {reserved!r}", "name")
        return name

    def _replay(self, op: str, token: str | None, params: dict[str, Any]) -> Any:
        """The resource an earlier call with this clientToken made, if the params match."""
        if not token or (op, token) not in self._tokens:
            return None
        fingerprint, rid = self._tokens[(op, token)]
        if fingerprint != json.dumps(params, sort_keys=True, default=str):
            raise ConflictException(op, rid, f"clientToken {token!r} was used with other params")
        kind = next(k for k, (prefix, _) in KINDS.items() if rid.startswith(prefix + "-"))
        return getattr(self, KINDS[kind][1]).get(rid)

    def _store(
        self, kind: str, obj: Any, op: str, token: str | None, params: dict[str, Any]
    ) -> Any:
        prefix, store = KINDS[kind]
        old, new = obj.id, f"{prefix}-{mock_random.get_random_hex(17)}"
        obj.id, obj.arn = new, obj.arn.replace(old, new)
        if isinstance(obj, VPCLatticeService):
            obj.dns_entry.domain_name = obj.dns_entry.domain_name.replace(old, new)
        getattr(self, store)[new] = obj
        self.tag_resource(obj.arn, params.get("tags") or {})
        if token:
            self._tokens[(op, token)] = (json.dumps(params, sort_keys=True, default=str), new)
        return obj

    def _unique(self, kind: str, items: Any, attr: str, value: Any, what: str) -> None:
        for item in items:
            if getattr(item, attr) == value:
                raise ConflictException(kind, item.id, f"A {what} {value!r} already exists")

    # ---- creates ---------------------------------------------------------------------------
    def create_service_network(
        self,
        auth_type: str,
        client_token: str,
        name: str,
        sharing_config: dict[str, Any] | None,
        tags: dict[str, str] | None,
    ) -> VPCLatticeServiceNetwork:
        params = {"name": name, "authType": auth_type, "tags": tags}
        if (done := self._replay("CreateServiceNetwork", client_token, params)) is not None:
            return done
        self._unique(
            "service_network",
            self.service_networks.values(),
            "name",
            self.check_name("service_network", name),
            "service network named",
        )
        sn = VPCLatticeServiceNetwork(
            self.region_name,
            self.account_id,
            auth_type or "NONE",
            client_token,
            name,
            sharing_config,
            tags,
        )
        return self._store("service_network", sn, "CreateServiceNetwork", client_token, params)

    def create_service(
        self,
        auth_type: str,
        certificate_arn: str | None,
        client_token: str,
        custom_domain_name: str | None,
        name: str,
        tags: dict[str, str] | None,
    ) -> VPCLatticeService:
        params = {
            "name": name,
            "authType": auth_type,
            "tags": tags,
            "customDomainName": custom_domain_name,
            "certificateArn": certificate_arn,
        }
        if (done := self._replay("CreateService", client_token, params)) is not None:
            return done
        if certificate_arn:
            custom_domains.check(
                self.account_id, self.region_name, certificate_arn, custom_domain_name
            )
        self._unique(
            "service",
            self.services.values(),
            "name",
            self.check_name("service", name),
            "service named",
        )
        svc = VPCLatticeService(
            self.region_name,
            self.account_id,
            auth_type or "NONE",
            certificate_arn,
            client_token,
            custom_domain_name,
            name,
            tags,
        )
        svc.custom_domain_name = custom_domain_name  # type: ignore[assignment]  # moto: "" for none
        # dnsEntry is the generated name even with a custom domain, which a CNAME points at (User
        # Guide, "Configure a custom domain name"); moto puts the custom domain there
        svc.dns_entry = VPCLatticeDNSEntry(self.region_name, svc.id)
        return self._store("service", svc, "CreateService", client_token, params)

    def create_target_group(
        self,
        name: str,
        target_type: str,
        config: dict[str, Any] | None,
        client_token: str,
        tags: dict[str, str] | None,
    ) -> VPCLatticeTargetGroup:
        params = {"name": name, "type": target_type, "config": config, "tags": tags}
        if (done := self._replay("CreateTargetGroup", client_token, params)) is not None:
            return done
        self._unique(
            "target_group",
            self.target_groups.values(),
            "name",
            self.check_name("target_group", name),
            "target group named",
        )
        quotas.check(self, quotas.TARGET_GROUPS, len(self.target_groups), "target_group")
        if target_type not in ("IP", "INSTANCE", "LAMBDA", "ALB"):
            raise ValidationException(
                f"Invalid type {target_type!r}: IP, INSTANCE, LAMBDA or ALB", "type"
            )
        config = dict(config or {})
        if target_type != "LAMBDA":
            for field in ("port", "protocol", "vpcIdentifier"):
                if field not in config:
                    raise ValidationException(
                        f"config.{field} is required for {target_type} target groups",
                        f"config.{field}",
                    )
            self._vpc(config["vpcIdentifier"])
            # "By default, health checks are disabled for TCP target groups" (User Guide, "TLS
            # listeners"); protocolVersion is HTTP's (TargetGroupConfig: "The default is HTTP1")
            version = (
                "TCP"
                if config["protocol"] == "TCP"
                else config.setdefault("protocolVersion", "HTTP1")
            )
            if target_type == "IP":
                config.setdefault("ipAddressType", "IPV4")
            config["healthCheck"] = health_check(version, config["port"], config.get("healthCheck"))
        tg = VPCLatticeTargetGroup(
            self.region_name, self.account_id, name, target_type, config, client_token, tags
        )
        # CREATE_IN_PROGRESS, then ACTIVE (API Reference, TargetGroupStatus): at once here,
        # unless the fault ``creating`` holds it (how long AWS takes is not documented)
        lasting = FAULTS.creating_for(self.account_id, [name, tg.id])
        tg.status = "ACTIVE" if lasting is None else "CREATE_IN_PROGRESS"
        setattr(tg, "active_at", CLOCK.now() + (lasting or 0.0))  # noqa: B010 - not moto's
        return self._store("target_group", tg, "CreateTargetGroup", client_token, params)

    def create_listener(
        self,
        service_identifier: str,
        name: str,
        protocol: str,
        port: int | None,
        default_action: dict[str, Any],
        client_token: str,
        tags: dict[str, str] | None,
    ) -> VPCLatticeListener:
        params = {
            "service": service_identifier,
            "name": name,
            "protocol": protocol,
            "port": port,
            "defaultAction": default_action,
            "tags": tags,
        }
        if (done := self._replay("CreateListener", client_token, params)) is not None:
            return done
        service = self.find("service", service_identifier)
        port = port or (443 if protocol in ("HTTPS", "TLS_PASSTHROUGH") else 80)
        siblings = [ln for ln in self.listeners.values() if ln.service_identifier == service.id]
        self._unique(
            "listener", siblings, "name", self.check_name("listener", name), "listener named"
        )
        self._unique("listener", siblings, "port", port, "listener on port")
        actions.check_listener_action(self, service, protocol, default_action)
        listener = VPCLatticeListener(
            self.region_name,
            self.account_id,
            service.id,
            name,
            protocol,
            port,
            default_action,
            client_token,
            tags,
        )
        listener.service_arn = service.arn
        self._store("listener", listener, "CreateListener", client_token, params)
        self._refresh_usage()
        return listener

    def create_service_network_vpc_association(
        self,
        client_token: str,
        security_group_ids: list[str] | None,
        service_network_identifier: str,
        tags: dict[str, str] | None,
        vpc_identifier: str,
    ) -> VPCLatticeServiceNetworkVpcAssociation:
        params = {
            "sn": service_network_identifier,
            "vpc": vpc_identifier,
            "securityGroupIds": security_group_ids,
            "tags": tags,
        }
        op = "CreateServiceNetworkVpcAssociation"
        if (done := self._replay(op, client_token, params)) is not None:
            return done
        sn = self.find("service_network", service_network_identifier)
        self._vpc(vpc_identifier, security_group_ids)
        self._unique(
            "service_network_vpc_association",
            self.service_network_vpc_associations.values(),
            "vpc_id",
            vpc_identifier,
            "service network association of VPC",
        )
        assoc = VPCLatticeServiceNetworkVpcAssociation(
            self.region_name,
            self.account_id,
            client_token,
            security_group_ids,
            sn,
            tags,
            vpc_identifier,
        )
        assoc.created_by = self.account_id  # moto says "user"; AWS: the creating account's ID
        return self._store("service_network_vpc_association", assoc, op, client_token, params)

    def create_service_network_service_association(
        self,
        service_network_identifier: str,
        service_identifier: str,
        client_token: str,
        tags: dict[str, str] | None,
    ) -> VPCLatticeServiceNetworkServiceAssociation:
        params = {"sn": service_network_identifier, "svc": service_identifier, "tags": tags}
        op = "CreateServiceNetworkServiceAssociation"
        if (done := self._replay(op, client_token, params)) is not None:
            return done
        sn = self.find("service_network", service_network_identifier)
        svc = self.find("service", service_identifier)
        pairs = [
            a for a in self.service_network_service_associations.values() if a.service_id == svc.id
        ]
        self._unique(
            "service_network_service_association",
            pairs,
            "service_network_id",
            sn.id,
            "association of this service with service network",
        )
        custom_domains.unique_in_network(self, sn, svc)
        in_network = [
            a
            for a in self.service_network_service_associations.values()
            if a.service_network_id == sn.id
        ]
        quotas.check(self, quotas.ASSOCIATIONS_PER_NETWORK, len(in_network), "service_network")
        assoc = VPCLatticeServiceNetworkServiceAssociation(
            self.region_name, self.account_id, sn.id, svc.id, client_token, tags
        )
        assoc.custom_domain_name = svc.custom_domain_name  # the service's, not its default DNS name
        return self._store("service_network_service_association", assoc, op, client_token, params)

    def create_access_log_subscription(
        self,
        resourceIdentifier: str,
        destinationArn: str,
        client_token: str | None,
        serviceNetworkLogType: str | None,
        tags: dict[str, str] | None,
    ) -> VPCLatticeAccessLogSubscription:
        params = {"resource": resourceIdentifier, "destination": destinationArn, "tags": tags}
        op = "CreateAccessLogSubscription"
        if (done := self._replay(op, client_token, params)) is not None:
            return done
        kind = "service_network" if "sn-" in (resourceIdentifier or "") else "service"
        resource = self.find(kind, resourceIdentifier)
        kind_of = destinationArn.split(":")[2] if destinationArn.count(":") >= 5 else ""
        for sub in self.access_log_subscriptions.values():
            if sub.resourceId == resource.id and sub.destinationArn.split(":")[2] == kind_of:
                raise ConflictException(
                    "access_log_subscription",
                    sub.id,
                    f"{resource.id} already logs to a {kind_of} destination",
                )
        sub = VPCLatticeAccessLogSubscription(
            self.region_name,
            self.account_id,
            destinationArn,
            resource.arn,
            resource.id,
            serviceNetworkLogType,
            tags,
        )
        return self._store("access_log_subscription", sub, op, client_token, params)

    # ---- helpers -----------------------------------------------------------------------------
    def _vpc(self, vpc_id: str, security_group_ids: list[str] | None = None) -> None:
        ec2 = ec2_backends[self.account_id][self.region_name]
        if vpc_id not in ec2.vpcs:
            raise ResourceNotFoundException("vpc", vpc_id)
        for sg_id in security_group_ids or []:
            sg = ec2.get_security_group_from_id(sg_id)
            if sg is None or sg.vpc_id != vpc_id:
                raise ValidationException(
                    f"Security group {sg_id} is not in VPC {vpc_id}", "securityGroupIds"
                )

    def forwarded_groups(self) -> set[str]:
        """Target group ids a listener forwards to (:mod:`.rules` adds its rules')."""
        return {tg for ln in self.listeners.values() for tg in forwards(ln.default_action)}

    def _refresh_usage(self) -> None:
        used = self.forwarded_groups()
        for tg_id in list(self.in_use_since):
            if tg_id not in used:
                del self.in_use_since[tg_id]
        for tg_id in used:
            self.in_use_since.setdefault(tg_id, CLOCK.now())


def health_check(version: str, port: int, given: dict[str, Any] | None) -> dict[str, Any]:
    """A new group's health check. VPC Lattice User Guide, "Health checks for your VPC Lattice
    target groups": on by default for protocol version HTTP1, off for HTTP2 (and GRPC, whose
    checks "do not support gRPC": an enabled one must use HTTP1 or HTTP2)."""
    check = {**DEFAULT_HEALTH_CHECK, "enabled": version == "HTTP1", "port": port, **(given or {})}
    if (
        version == "TCP"
        and check["enabled"]
        and not {"protocol", "protocolVersion"} <= set(given or {})
    ):
        raise ValidationException(  # User Guide, "TLS listeners"
            "An enabled health check of a TCP target group needs a protocol and protocol version",
            "config.healthCheck",
        )
    if check["enabled"] and check.get("protocolVersion") not in ("HTTP1", "HTTP2"):
        raise ValidationException(
            "healthCheck.protocolVersion must be HTTP1 or HTTP2 (health checks do not support "
            "gRPC)",
            "config.healthCheck.protocolVersion",
        )
    return check


def forwards(action: dict[str, Any] | None) -> set[str]:
    """Ids of the target groups an action forwards to (ids or ARNs in the action)."""
    groups = ((action or {}).get("forward") or {}).get("targetGroups") or []
    return {g["targetGroupIdentifier"].rsplit("/", 1)[-1] for g in groups}
