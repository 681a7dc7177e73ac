"""VPC Lattice listener rules: moto 5.2 creates them only (with a malformed ARN and id), so the
rule a progressive ECS deployment shifts traffic on is modelled here whole.

As the VPC Lattice API reference gives them (CreateRule, GetRule, ListRules, UpdateRule,
DeleteRule, BatchUpdateRule): a rule belongs to one listener, its ``priority`` (1-2000) is unique
among the listener's rules, its ``match`` is an ``httpMatch``, its ``action`` forwards to up to
10 target groups with weights 0-999 (traffic splits by weight) or answers a fixed response
(checked in :mod:`.actions`, as a listener's default action is); a TLS_PASSTHROUGH listener has
no rules.
ListRules here lists the rules made; the listener's default action stays on the listener.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from moto.moto_api._internal import mock_random

from ..clock import CLOCK
from . import actions
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException

RULE_NAME = re.compile(r"(?!rule-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,63}")


@dataclass
class ListenerRule:
    listener: Any
    name: str
    priority: int
    match: dict[str, Any]
    action: dict[str, Any]
    client_token: str | None = None
    id: str = field(default_factory=lambda: f"rule-{mock_random.get_random_hex(17)}")
    created_at: str = field(default_factory=lambda: CLOCK.datetime().isoformat())
    last_updated_at: str = ""

    @property
    def arn(self) -> str:
        return f"{self.listener.arn}/rule/{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "id": self.id,
            "name": self.name,
            "isDefault": False,
            "match": self.match,
            "priority": self.priority,
            "action": self.action,
            "createdAt": self.created_at,
            "lastUpdatedAt": self.last_updated_at or self.created_at,
        }


PATH = re.compile(r"/[a-zA-Z0-9@:%_+.~#?&/=-]*")


def check_http_match(http: dict[str, Any]) -> None:
    """What botocore's client does not check of an HttpMatch (it checks types, unions and
    minimums): the model's maximums and the path pattern (CreateRule: HttpMethod max 16,
    HeaderMatchList 1-5, HeaderMatchName 1-100, header values and PathMatchExact/Prefix 1-200,
    paths ``/[a-zA-Z0-9@:%_+.~#?&/=-]*``)."""
    if len(http.get("method") or "") > 16:
        raise ValidationException("method is longer than 16 characters", "match.httpMatch.method")
    headers = http.get("headerMatches")
    if headers is not None and not 1 <= len(headers) <= 5:
        raise ValidationException("headerMatches holds 1 to 5 matches", "match.httpMatch")
    for header in headers or []:
        values = list((header.get("match") or {}).values())
        if not 1 <= len(header.get("name") or "") <= 100 or any(len(v) > 200 for v in values):
            raise ValidationException("header name 1-100, value 1-200", "match.httpMatch")
    for value in ((http.get("pathMatch") or {}).get("match") or {}).values():
        if len(value) > 200 or not PATH.fullmatch(value):
            raise ValidationException(f"Invalid path {value!r}", "match.httpMatch.pathMatch")


def weights(action: dict[str, Any] | None) -> dict[str, int]:
    """Target group id → weight of a forward action (ids or ARNs in the action)."""
    groups = ((action or {}).get("forward") or {}).get("targetGroups") or []
    return {
        str(g["targetGroupIdentifier"]).rsplit("/", 1)[-1]: int(g.get("weight", 100))
        for g in groups
    }


class ListenerRules:
    """Mixin of the Lattice backend (it gives ``find`` and
    ``_refresh_usage``)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)  # type: ignore[call-arg]
        self.listener_rules: dict[str, ListenerRule] = {}

    def forwarded_groups(self) -> set[str]:
        """Target group ids a listener's default action or a rule forwards to."""
        rules = {tg for r in self.listener_rules.values() for tg in weights(r.action)}
        return super().forwarded_groups() | rules  # type: ignore[misc]

    def forget_rules(self, listener: Any) -> None:
        """A listener deleted takes its rules with it."""
        for rule in self._rules_of(listener):
            del self.listener_rules[rule.id]

    def _rules_of(self, listener: Any) -> list[ListenerRule]:
        return sorted(
            (r for r in self.listener_rules.values() if r.listener is listener),
            key=lambda r: r.priority,
        )

    def _check_rule(
        self, listener: Any, priority: Any, match: Any, action: Any, rule: ListenerRule | None
    ) -> None:
        if not isinstance(priority, int) or not 1 <= priority <= 2000:
            raise ValidationException("priority must be 1 to 2000", "priority")
        taken = [r for r in self._rules_of(listener) if r.priority == priority and r is not rule]
        if taken:
            raise ConflictException(
                "rule", taken[0].id, f"Priority {priority} is used by rule {taken[0].id}"
            )
        if not isinstance(match, dict) or "httpMatch" not in match:
            raise ValidationException("match needs httpMatch", "match")
        check_http_match(match["httpMatch"] or {})
        actions.check_action(self, action, "action")  # as a listener's default action is

    def create_rule(
        self,
        service_identifier: str,
        listener_identifier: str,
        name: str,
        match: dict[str, Any],
        priority: int,
        action: dict[str, Any],
        client_token: str | None = None,
    ) -> ListenerRule:
        listener = self.get_listener(service_identifier, listener_identifier)  # type: ignore[attr-defined]
        actions.check_rule_listener(listener)
        for rule in self._rules_of(listener):  # a retried create: the rule it made (same asks)
            if client_token and rule.client_token == client_token:
                if (rule.name, rule.priority, rule.match, rule.action) != (
                    name,
                    priority,
                    match,
                    action,
                ):
                    raise ConflictException(
                        "rule", rule.id, "clientToken was used for a different request"
                    )
                return rule
        if not RULE_NAME.fullmatch(name or ""):
            raise ValidationException(f"Invalid rule name {name!r}", "name")
        if any(r.name == name for r in self._rules_of(listener)):
            raise ConflictException("rule", name, f"Rule {name} exists on this listener")
        self._check_rule(listener, priority, match, action, None)
        rule = ListenerRule(listener, name, priority, match, action, client_token)
        self.listener_rules[rule.id] = rule
        self._refresh_usage()  # type: ignore[attr-defined]
        return rule

    def get_rule(self, service: str, listener: str, rule: str) -> ListenerRule:
        found = self.get_listener(service, listener)  # type: ignore[attr-defined]
        rid = rule.rsplit("/", 1)[-1]
        got = self.listener_rules.get(rid)
        if (
            got is None
            or got.listener is not found
            or (rule.startswith("arn:") and got.arn != rule)
        ):
            raise ResourceNotFoundException("rule", rule)
        return got

    def list_rules(self, service: str, listener: str) -> list[ListenerRule]:
        return self._rules_of(self.get_listener(service, listener))  # type: ignore[attr-defined]

    def update_rule(
        self, service: str, listener: str, rule: str, changes: dict[str, Any]
    ) -> ListenerRule:
        got = self.get_rule(service, listener, rule)
        merged = {
            "priority": got.priority,
            "match": got.match,
            "action": got.action,
            **{k: v for k, v in changes.items() if v is not None},
        }
        self._check_rule(got.listener, merged["priority"], merged["match"], merged["action"], got)
        got.priority, got.match, got.action = merged["priority"], merged["match"], merged["action"]
        got.last_updated_at = CLOCK.datetime().isoformat()
        self._refresh_usage()  # type: ignore[attr-defined]
        return got

    def set_rule_weights(self, rule_arn: str, wanted: dict[str, int]) -> None:
        """ECS moving traffic (UpdateRule on the caller's behalf): each target group named by
        ARN in ``wanted`` gets its weight; groups the rule lacks are added. ``rule_arn`` may be
        a listener's: ``productionListenerRule`` is "the production listener rule ... or
        listener" (ECS API Reference, AdvancedConfiguration), as for a TLS_PASSTHROUGH listener,
        which has no rules; then its default action's weights move (UpdateListener)."""
        rule: Any = next((r for r in self.listener_rules.values() if r.arn == rule_arn), None)
        listeners = self.listeners.values()  # type: ignore[attr-defined]
        listener: Any = next((ln for ln in listeners if ln.arn == rule_arn), None)
        if rule is None and listener is None:
            raise ResourceNotFoundException("rule", rule_arn)
        action = rule.action if rule is not None else listener.default_action
        groups = [dict(g) for g in (action.get("forward") or {}).get("targetGroups") or []]
        for arn, weight in wanted.items():
            tg_id = arn.rsplit("/", 1)[-1]
            found = next(
                (g for g in groups if g["targetGroupIdentifier"].rsplit("/", 1)[-1] == tg_id),
                None,
            )
            if found is None:
                groups.append({"targetGroupIdentifier": arn, "weight": weight})
            else:
                found["weight"] = weight
        forward = {"forward": {"targetGroups": groups}}
        if rule is not None:
            rule.action, rule.last_updated_at = forward, CLOCK.datetime().isoformat()
        else:
            listener.default_action = forward
        self._refresh_usage()  # type: ignore[attr-defined]

    def delete_rule(self, service: str, listener: str, rule: str) -> None:
        del self.listener_rules[self.get_rule(service, listener, rule).id]
        self._refresh_usage()  # type: ignore[attr-defined]
