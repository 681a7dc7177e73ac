"""VPC Lattice wire format for the operations :mod:`.models` adds or corrects.

Each method is one operation; its HTTP status is the one the botocore model gives it (201 for
creates, 204 for some deletes), and its body carries only members of the model's output shape.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from moto.core.common_types import TYPE_RESPONSE
from moto.vpclattice.responses import VPCLatticeResponse

from ..instrumented import STATE_LOCK, InstrumentedResponse
from . import implied
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .models import EmulatedLatticeBackend, lattice_backends
from .sharing import NETWORK_PARAMETERS

CREATING = "CREATE_IN_PROGRESS"


class EmulatedLatticeResponse(InstrumentedResponse, VPCLatticeResponse):
    @property
    def backend(self) -> EmulatedLatticeBackend:
        return lattice_backends[self.current_account][self.region]

    def call_action(self) -> TYPE_RESPONSE:
        with STATE_LOCK:  # the catching-up below touches ECS and Lattice state too
            self.backend.sweep()  # tasks that started register, finished deletes are gone
            operation = self._get_action()
            self.backend.gate(operation, {k: self._get_param(k) for k in NETWORK_PARAMETERS})
            if operation.startswith("Create"):
                implied.service_linked_role(self.current_account)
            status, headers, body = super().call_action()
            if status < 300 and "AccessLogSubscription" in operation:
                implied.access_logs(operation, self._get_param("destinationArn"))
            return status, headers, body

    def _page(self, items: list[Any], token: str | None) -> TYPE_RESPONSE:
        return self.reply(
            {
                "items": [i if isinstance(i, dict) else i.to_dict() for i in items],
                **({"nextToken": token} if token else {}),
            }
        )

    def _paging(self) -> dict[str, Any]:
        return {
            "max_results": self._get_int_param("maxResults"),
            "next_token": self._get_param("nextToken"),
        }

    # ---- creates: moto's, answered with the in-progress status and status code AWS gives
    def _created(self, body: str, status: str | None = CREATING) -> TYPE_RESPONSE:
        import json

        data = json.loads(body)
        if status:
            data["status"] = status
        return self.reply(data)

    def create_service_network(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_service_network(), status=None)

    def create_service(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_service())

    def create_target_group(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_target_group())

    def create_listener(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_listener(), status=None)

    def create_service_network_vpc_association(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_service_network_vpc_association())

    def create_service_network_service_association(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_service_network_service_association())

    def create_access_log_subscription(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._created(super().create_access_log_subscription(), status=None)

    # ---- reads
    def get_target_group(self) -> TYPE_RESPONSE:  # type: ignore[override]
        tg = self.backend.get_target_group(self._get_param("targetGroupIdentifier"))
        return self.reply({**tg.to_dict(), "serviceArns": self.backend.service_arns_for(tg)})

    def get_service_network(self) -> TYPE_RESPONSE:  # type: ignore[override]
        """By id or ARN (moto's reads the id off the path: another account's ARN is lost)."""
        ident = self._get_param("serviceNetworkIdentifier")
        return self.reply(self.backend.get_service_network(ident).to_dict())

    def get_service_network_vpc_association(self) -> TYPE_RESPONSE:
        ident = self._get_param("serviceNetworkVpcAssociationIdentifier")
        return self.reply(self.backend.get_service_network_vpc_association(ident).to_dict())

    def list_services(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._page(*self.backend.list_services(**self._paging()))

    def list_service_networks(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._page(*self.backend.list_service_networks(**self._paging()))

    def list_target_groups(self) -> TYPE_RESPONSE:  # type: ignore[override]
        groups, token = self.backend.list_target_groups(
            vpc_identifier=self._get_param("vpcIdentifier"),
            target_group_type=self._get_param("targetGroupType"),
            **self._paging(),
        )
        users = self.backend.service_arns_by_group()
        items = [
            {
                **tg.to_dict(),
                "port": tg.config.get("port"),
                "protocol": tg.config.get("protocol"),
                "serviceArns": users.get(tg.id, []),
            }
            for tg in groups
        ]
        return self._page(items, token)

    def list_listeners(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._page(
            *self.backend.list_listeners(
                service_identifier=self._get_param("serviceIdentifier"), **self._paging()
            )
        )

    def list_access_log_subscriptions(self) -> TYPE_RESPONSE:  # type: ignore[override]
        return self._page(
            *self.backend.list_access_log_subscriptions(
                resourceIdentifier=self._resource(), **self._paging()
            )
        )

    def list_service_network_service_associations(self) -> TYPE_RESPONSE:  # type: ignore[override]
        found, token = self.backend.list_service_network_service_associations(
            service_network_identifier=self._get_param("serviceNetworkIdentifier"),
            service_identifier=self._get_param("serviceIdentifier"),
            **self._paging(),
        )
        return self._page(
            [self._named({**a.to_dict(), **getattr(a, "named", {})}) for a in found], token
        )

    def _named(self, item: dict[str, Any]) -> dict[str, Any]:
        """The names and ARNs AWS's summary carries beside the ids (moto's has ids only)."""
        for kind, store in (
            ("service", self.backend.services),
            ("serviceNetwork", self.backend.service_networks),
        ):
            if found := store.get(item.get(f"{kind}Id") or ""):
                item.setdefault(f"{kind}Name", found.name)
                item.setdefault(f"{kind}Arn", found.arn)
        return item

    # ---- deletes
    def _deleted(self, obj: Any) -> TYPE_RESPONSE:
        return self.reply({"id": obj.id, "arn": obj.arn, "status": obj.status})

    def delete_service_network(self) -> TYPE_RESPONSE:
        self.backend.delete_service_network(self._get_param("serviceNetworkIdentifier"))
        return self.reply(None)

    def delete_service_network_vpc_association(self) -> TYPE_RESPONSE:
        ident = self._get_param("serviceNetworkVpcAssociationIdentifier")
        return self._deleted(self.backend.delete_service_network_vpc_association(ident))

    def delete_service_network_service_association(self) -> TYPE_RESPONSE:
        ident = self._get_param("serviceNetworkServiceAssociationIdentifier")
        return self._deleted(self.backend.delete_service_network_service_association(ident))

    def delete_service(self) -> TYPE_RESPONSE:
        svc = self.backend.delete_service(self._get_param("serviceIdentifier"))
        return self.reply({"id": svc.id, "arn": svc.arn, "name": svc.name, "status": svc.status})

    def delete_listener(self) -> TYPE_RESPONSE:
        self.backend.delete_listener(
            self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")
        )
        return self.reply(None)

    def delete_target_group(self) -> TYPE_RESPONSE:
        return self._deleted(
            self.backend.delete_target_group(self._get_param("targetGroupIdentifier"))
        )

    def delete_access_log_subscription(self) -> TYPE_RESPONSE:  # type: ignore[override]
        self.backend.delete_access_log_subscription(
            self._get_param("accessLogSubscriptionIdentifier")
        )
        return self.reply(None)

    # ---- updates
    def update_target_group(self) -> TYPE_RESPONSE:
        tg = self.backend.update_target_group(
            self._get_param("targetGroupIdentifier"), self._get_param("healthCheck")
        )
        return self.reply(
            {
                k: v
                for k, v in tg.to_dict().items()
                if k in ("id", "arn", "name", "type", "config", "status")
            }
        )

    def update_listener(self) -> TYPE_RESPONSE:
        listener = self.backend.update_listener(
            self._get_param("serviceIdentifier"),
            self._get_param("listenerIdentifier"),
            self._get_param("defaultAction"),
        )
        data = listener.to_dict()
        return self.reply(
            {
                k: data[k]
                for k in (
                    "arn",
                    "id",
                    "name",
                    "defaultAction",
                    "port",
                    "protocol",
                    "serviceArn",
                    "serviceId",
                )
            }
        )

    def update_service(self) -> TYPE_RESPONSE:
        svc = self.backend.update_service(
            self._get_param("serviceIdentifier"),
            self._get_param("authType"),
            self._get_param("certificateArn"),
        )
        return self.reply(
            {
                "arn": svc.arn,
                "id": svc.id,
                "name": svc.name,
                "authType": svc.auth_type,
                "certificateArn": svc.certificate_arn,
                "customDomainName": svc.custom_domain_name,
            }
        )

    def update_service_network(self) -> TYPE_RESPONSE:
        network = self.backend.update_service_network(
            self._get_param("serviceNetworkIdentifier"), self._get_param("authType")
        )
        return self.reply(network.to_dict())

    # ---- auth policies (:mod:`.auth`)
    def _resource(self) -> str:
        return unquote(self._get_param("resourceIdentifier") or "")  # an ARN comes %-encoded

    def put_auth_policy(self) -> TYPE_RESPONSE:  # type: ignore[override]
        found = self.backend.put_auth_policy(self._resource(), self._get_param("policy"))
        return self.reply({"policy": found.policy, "state": found.state})

    def get_auth_policy(self) -> TYPE_RESPONSE:  # type: ignore[override]
        found = self.backend.get_auth_policy(self._resource())
        return self.reply(
            {
                "policy": found.policy,
                "state": found.state,
                "createdAt": found.created_at,
                "lastUpdatedAt": found.last_updated_at,
            }
        )

    def delete_auth_policy(self) -> TYPE_RESPONSE:  # type: ignore[override]
        self.backend.delete_auth_policy(self._resource())
        return self.reply(None)

    def update_service_network_vpc_association(self) -> TYPE_RESPONSE:
        assoc = self.backend.update_service_network_vpc_association(
            self._get_param("serviceNetworkVpcAssociationIdentifier"),
            self._get_param("securityGroupIds"),
        )
        return self.reply(
            {
                "id": assoc.id,
                "arn": assoc.arn,
                "status": "ACTIVE",
                "createdBy": assoc.created_by,
                "securityGroupIds": assoc.security_group_ids,
            }
        )

    # ---- listener rules (:mod:`.rules`)
    def _listener(self) -> tuple[str, str]:
        return self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")

    @staticmethod
    def _rule(rule: Any, *keys: str) -> dict[str, Any]:
        data = rule.to_dict()
        return {k: data[k] for k in keys} if keys else data

    def create_rule(self) -> TYPE_RESPONSE:  # type: ignore[override]
        rule = self.backend.create_rule(
            *self._listener(),
            name=self._get_param("name"),
            match=self._get_param("match"),
            priority=self._get_param("priority"),
            action=self._get_param("action"),
            client_token=self._get_param("clientToken"),
        )
        if tags := self._get_param("tags"):
            self.backend.tag_resource(rule.arn, tags)
        return self.reply(self._rule(rule, "arn", "id", "name", "match", "priority", "action"))

    def get_rule(self) -> TYPE_RESPONSE:
        return self.reply(
            self._rule(self.backend.get_rule(*self._listener(), self._get_param("ruleIdentifier")))
        )

    def list_rules(self) -> TYPE_RESPONSE:
        keys = ("arn", "id", "name", "isDefault", "priority", "createdAt", "lastUpdatedAt")
        rules = [self._rule(r, *keys) for r in self.backend.list_rules(*self._listener())]
        return self._page(rules, None)

    def update_rule(self) -> TYPE_RESPONSE:
        changes = {k: self._get_param(k) for k in ("match", "priority", "action")}
        rule = self.backend.update_rule(
            *self._listener(), self._get_param("ruleIdentifier"), changes
        )
        keys = ("arn", "id", "name", "isDefault", "match", "priority", "action")
        return self.reply(self._rule(rule, *keys))

    def delete_rule(self) -> TYPE_RESPONSE:
        self.backend.delete_rule(*self._listener(), self._get_param("ruleIdentifier"))
        return self.reply(None)

    def batch_update_rule(self) -> TYPE_RESPONSE:
        """Each rule updated on its own: one refused is listed, the others still apply."""
        done, refused = [], []
        for item in self._get_param("rules") or []:
            changes = {k: item.get(k) for k in ("match", "priority", "action")}
            try:
                rule = self.backend.update_rule(*self._listener(), item["ruleIdentifier"], changes)
            except (ValidationException, ConflictException, ResourceNotFoundException) as exc:
                refused.append(
                    {
                        "ruleIdentifier": item["ruleIdentifier"],
                        "failureCode": exc.error_type,
                        "failureMessage": exc.message,
                    }
                )
            else:
                keys = ("arn", "id", "name", "isDefault", "match", "priority", "action")
                done.append(self._rule(rule, *keys))
        return self.reply({"successful": done, "unsuccessful": refused})

    # ---- targets
    def register_targets(self) -> TYPE_RESPONSE:
        done, refused = self.backend.register_targets(
            self._get_param("targetGroupIdentifier"), self._get_param("targets")
        )
        return self.reply({"successful": done, "unsuccessful": refused})

    def deregister_targets(self) -> TYPE_RESPONSE:
        done, refused = self.backend.deregister_targets(
            self._get_param("targetGroupIdentifier"), self._get_param("targets")
        )
        return self.reply({"successful": done, "unsuccessful": refused})

    def list_targets(self) -> TYPE_RESPONSE:
        return self._page(
            *self.backend.list_targets(
                identifier=self._get_param("targetGroupIdentifier"),
                targets=self._get_param("targets"),
                **self._paging(),
            )
        )
