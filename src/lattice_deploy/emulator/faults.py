"""Fault injection for the embedded AWS, per account.

Why: the product's promise is about failures (clear errors, full rollback), so the emulator must be
able to fail on demand, the way AWS does: an operation denied or throttled, targets that never turn
healthy, tasks that never start. Rules are set through :data:`FAULTS` (Python) or ``serve``'s
control endpoint, and written as the CLI's ``--inject`` specs::

    fail:<Operation>[:<ErrorCode>[:<N>]]
                                       every call fails (default AccessDeniedException); with N,
                                       only the next N (a Get answering NotFound for a moment
                                       after a create: AWS's eventual consistency)
    throttle:<Operation>:<N>           N calls fail with ThrottlingException, then calls succeed
    crash-after:<Operation>[:<N>]      the call succeeds; the caller is told to die right after
                                       (N times, default once)
    unhealthy-targets[:<glob>]         targets registered from now on never turn healthy
    tasks-fail-to-start[:<glob>]       ECS tasks started from now on stop before RUNNING
    alarm[:<glob>]                     CloudWatch alarms so named read as in ALARM (ECS's
                                       deployment alarms)
    creating[:<glob>[:<seconds>]]      VPC Lattice target groups so named, created from now on,
                                       stay CREATE_IN_PROGRESS that long (default 30 s of virtual
                                       time) before they are ACTIVE
    <match rule>@<seconds>             the same, from that much virtual time after injection
    <operation rule>@<state>           only for calls of the Lambda serving that state
                                       (``fail:ecs.UpdateService@rollback``: a second fault that
                                       only the rollback meets)

``<Operation>`` may name its service too, where two services share an operation name:
``fail:ecs.CreateService`` vs ``fail:vpc-lattice.CreateService``.
``<glob>`` matches an ECS service name, ``<service>:<task definition revision>`` (one revision
only), a target group name or id (default ``*``); a target registered by hand matches the names
of the ECS task that has its IP.

A fault may have an ``owner``, the name of the execution it was injected for (``deploy
--inject``): its fail/throttle/crash rules then apply only to calls that execution's Lambda
invocations make, and it is removed when that execution ends, whatever the outcome.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from .awslambda.invocation import INVOCATION
from .clock import CLOCK
from .epoch import EPOCH

Kind = Literal[
    "fail",
    "throttle",
    "crash-after",
    "unhealthy-targets",
    "tasks-fail-to-start",
    "alarm",
    "creating",
]
OPERATION_KINDS: tuple[Kind, ...] = ("fail", "throttle", "crash-after")
MATCH_KINDS: tuple[Kind, ...] = ("unhealthy-targets", "tasks-fail-to-start", "alarm")
"""``alarm[:<glob>]``: the CloudWatch alarms so named are in ALARM (as ECS reads them)."""


CREATING_SECONDS = 30.0
"""``creating`` without a duration. AWS documents the status (CREATE_IN_PROGRESS, "TargetGroup
creation in progress"), not how long it lasts: a guess of the order a create takes."""


class FaultSpecError(ValueError):
    """An ``--inject`` spec that cannot be parsed; the message says the accepted forms."""


@dataclass
class Fault:
    kind: Kind
    operation: str | None = None
    error_code: str = "AccessDeniedException"
    remaining: int | None = None
    match: str = "*"
    owner: str | None = None
    after: float | None = None
    """A match rule written ``<kind>:<glob>@<seconds>`` holds from that much virtual time after
    it is injected (an alarm that fires during a bake time, say)."""
    since: float | None = None
    lasts: float | None = None
    """``creating``: how long (virtual seconds) a matching target group stays
    CREATE_IN_PROGRESS."""
    state: str | None = None
    """An operation rule written ``<rule>@<state>`` applies only to the calls of the function
    serving that state (``rollback`` → the stack's ``RollbackFunction``)."""

    @classmethod
    def parse(cls, spec: str) -> Fault:
        kind, _, rest = spec.partition(":")
        if kind in OPERATION_KINDS and "@" in rest:
            rest, _, state = rest.partition("@")
            if not re.fullmatch(r"[a-z_]+", state):
                raise FaultSpecError(f"{spec!r}: write {kind}:<Operation>@<state>, e.g. @rollback")
            return replace(cls.parse(f"{kind}:{rest}"), state=state)
        parts = rest.split(":") if rest else []
        if kind in OPERATION_KINDS:
            if not parts or not parts[0]:
                raise FaultSpecError(
                    f"{spec!r}: {kind} needs an operation, e.g. {kind}:CreateService"
                )
            if kind == "throttle":
                if len(parts) != 2 or not parts[1].isdigit():
                    raise FaultSpecError(f"{spec!r}: write throttle:<Operation>:<N>, N a count")
                return cls("throttle", parts[0], "ThrottlingException", remaining=int(parts[1]))
            if kind == "fail":
                code = parts[1] if len(parts) > 1 else "AccessDeniedException"
                if len(parts) > 2 and not parts[2].isdigit():
                    raise FaultSpecError(f"{spec!r}: write fail:<Operation>:<Code>:<N>, N a count")
                return cls("fail", parts[0], code, int(parts[2]) if len(parts) > 2 else None)
            if len(parts) > 1 and not parts[1].isdigit():
                raise FaultSpecError(f"{spec!r}: write crash-after:<Operation>[:<N>], N a count")
            return cls("crash-after", parts[0], remaining=int(parts[1]) if len(parts) > 1 else 1)
        if kind == "creating":
            glob, _, lasting = rest.partition(":")
            if lasting and not lasting.replace(".", "", 1).isdigit():
                raise FaultSpecError(f"{spec!r}: write creating:<glob>:<seconds>")
            return cls("creating", match=glob or "*", lasts=float(lasting or CREATING_SECONDS))
        if kind in MATCH_KINDS:
            glob, _, delay = rest.partition("@")
            try:
                after = float(delay) if delay else None
            except ValueError as exc:
                raise FaultSpecError(f"{spec!r}: write {kind}:<glob>@<seconds>") from exc
            return cls(kind, match=glob or "*", after=after)
        raise FaultSpecError(
            f"{spec!r}: unknown fault; use fail:<Op>[:<Code>], throttle:<Op>:<N>, "
            "crash-after:<Op>, unhealthy-targets[:<glob>], tasks-fail-to-start[:<glob>], "
            "alarm[:<name glob>] or creating[:<glob>[:<seconds>]]"
        )

    def scoped(self, owner: str, service: str) -> Fault:
        """This fault for one deploy: owned by its execution, and a match rule that names no
        glob (``*``) narrowed to its ECS service."""
        match = service if self.kind in MATCH_KINDS and self.match == "*" else self.match
        return replace(self, owner=owner, match=match)

    def spec(self) -> str:
        """The ``--inject`` text that parses back to this fault (its owner aside)."""
        at = f"@{self.state}" if self.state else ""
        if self.kind == "fail":
            count = f":{self.remaining}" if self.remaining is not None else ""
            return f"fail:{self.operation}:{self.error_code}{count}{at}"
        if self.kind == "creating":
            return f"creating:{self.match}:{self.lasts:g}"
        if self.kind == "throttle":
            return f"throttle:{self.operation}:{self.remaining}{at}"
        if self.kind == "crash-after":
            return f"crash-after:{self.operation}:{self.remaining}{at}"
        return f"{self.kind}:{self.match}" + (f"@{self.after:g}" if self.after is not None else "")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class FaultRegistry:
    """The rules in force, per account. Thread-safe: ``serve`` answers from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, list[Fault]] = {}

    def add(self, account_id: str, fault: Fault | str) -> Fault:
        rule = Fault.parse(fault) if isinstance(fault, str) else fault
        if rule.after is not None and rule.since is None:
            rule.since = CLOCK.now()
        with self._lock:
            self._rules.setdefault(account_id, []).append(rule)
        EPOCH.bump()
        return rule

    def rules(self, account_id: str) -> list[Fault]:
        with self._lock:
            return list(self._rules.get(account_id, []))

    def clear(self, account_id: str | None = None) -> None:
        with self._lock:
            had = any(self._rules.values()) if account_id is None else self._rules.get(account_id)
            if account_id is None:
                self._rules.clear()
            else:
                self._rules.pop(account_id, None)
        if had:  # only a change of the rules moves a rollout (:mod:`.epoch`)
            EPOCH.bump()

    @staticmethod
    def _names(service: str, operation: str) -> tuple[str, str]:
        return operation, f"{service}.{operation}"

    def release(self, owner: str) -> None:
        """Remove every rule injected for ``owner`` (an execution that ended): each execution's
        end asks, and one that had none changes nothing (no replay of the fleet, :mod:`.epoch`)."""
        removed = False
        with self._lock:
            for account_id, rules in self._rules.items():
                kept = [r for r in rules if r.owner != owner]
                removed |= len(kept) != len(rules)
                self._rules[account_id] = kept
        if removed:
            EPOCH.bump()

    def _applies(self, rule: Fault, service: str, operation: str, caller: str | None) -> bool:
        return (
            rule.operation in self._names(service, operation)
            and rule.owner in (None, caller)
            and (rule.state is None or _serving(rule.state))
        )

    def before_call(
        self, account_id: str, operation: str, service: str = "", caller: str | None = None
    ) -> Fault | None:
        """The fail/throttle rule that applies to this call (made for the execution ``caller``,
        if known), if any; a throttle is used up."""
        with self._lock:
            for rule in self._rules.get(account_id, []):
                if not self._applies(rule, service, operation, caller):
                    continue
                if rule.kind == "fail" and rule.remaining is None:
                    return rule
                if rule.kind == "fail" and rule.remaining:
                    rule.remaining -= 1
                    return rule
                if rule.kind == "throttle" and rule.remaining:
                    rule.remaining -= 1
                    return rule
        return None

    def crash_after(
        self, account_id: str, operation: str, service: str = "", caller: str | None = None
    ) -> bool:
        """Whether a caller that just made ``operation`` must die now (each rule fires once)."""
        with self._lock:
            rules = self._rules.get(account_id, [])
            for rule in rules:
                if rule.kind == "crash-after" and self._applies(rule, service, operation, caller):
                    rule.remaining = (rule.remaining or 1) - 1
                    if rule.remaining <= 0:
                        rules.remove(rule)
                    return True
        return False

    def matches(self, account_id: str, kind: Kind, names: Iterable[str | None]) -> bool:
        """Whether a match rule of ``kind`` covers any of ``names`` (service, group names, ids)."""
        named, now = [n for n in names if n], CLOCK.now()
        return any(
            rule.kind == kind
            and (rule.after is None or (rule.since or 0.0) + rule.after <= now)
            and any(fnmatch.fnmatchcase(n, rule.match) for n in named)
            for rule in self.rules(account_id)
        )

    def creating_for(self, account_id: str, names: Iterable[str | None]) -> float | None:
        """How long a target group so named stays CREATE_IN_PROGRESS (None: it is ACTIVE at once,
        as the emulator's groups are without this fault)."""
        named = [n for n in names if n]
        for rule in self.rules(account_id):
            if rule.kind == "creating" and any(fnmatch.fnmatchcase(n, rule.match) for n in named):
                return rule.lasts
        return None


def _serving(state: str) -> bool:
    """Whether this thread runs the Lambda serving ``state`` (the stack names it
    ``<stack>-<State>Function``: ``rollback`` → ``lattice-deploy-RollbackFunction``)."""
    function = getattr(INVOCATION, "function", None) or ""
    logical = "".join(word.title() for word in state.split("_")) + "Function"
    return function.endswith(f"-{logical}") or function == logical


FAULTS = FaultRegistry()
