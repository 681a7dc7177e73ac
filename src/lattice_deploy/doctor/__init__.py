"""``lattice-deploy doctor``: will a deploy work on this account? Read calls only.

Seven checks, each answered from the account as it is, before the first deploy: the stack and
its outputs (:mod:`.stack`), the SDK the functions run with (:mod:`.sdk`), each function role's
permissions (:mod:`.permissions`), the service-linked roles (:mod:`.linked_roles`), the quotas
the bundles would use (:mod:`.quotas`), the bundles' subnets and security groups
(:mod:`.network`) and their Cloud Map namespaces (:mod:`.namespaces`). Each finding says what
would fail and the fix (the AWS CLI command, or what to change in the template or the bundle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PASS, FAIL, WARN = "pass", "fail", "warn"
MARKS = {PASS: "✓", FAIL: "✗", WARN: "!"}


@dataclass
class Finding:
    status: str
    what: str
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "what": self.what, **({"fix": self.fix} if self.fix else {})}


@dataclass
class Check:
    key: str
    title: str
    summary: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        found = {f.status for f in self.findings}
        return FAIL if FAIL in found else WARN if WARN in found else PASS

    def fail(self, what: str, fix: str = "") -> None:
        self.findings.append(Finding(FAIL, what, fix))

    def warn(self, what: str, fix: str = "") -> None:
        self.findings.append(Finding(WARN, what, fix))

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.key,
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
        }


class Unreadable(Exception):
    """No stack to check (absent, no credentials, no endpoint): exit 2, the message says why."""


Run = Callable[[Any, Check], None]
"""A check: reads the account (:class:`.account.Account`), adds its findings and summary."""


def guarded(run: Run, account: Any, check: Check) -> Check:
    """Run one check; a read it could not make is a warning naming the call, not a traceback
    (the other checks still run)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        run(account, check)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        operation = getattr(exc, "operation_name", "a call")
        check.warn(
            f"could not be checked: {operation} answered {error.get('Code')}: "
            f"{error.get('Message')}",
            "let the caller make this read (doctor's calls are all reads: Describe*, Get*, "
            "List*, Head*, iam:SimulatePrincipalPolicy)",
        )
    except BotoCoreError as exc:
        check.warn(f"could not be checked: {exc}")
    except (LookupError, ValueError, OSError) as exc:  # a stack without what the check reads
        check.warn(f"could not be checked: {type(exc).__name__}: {exc}")
    return check


TITLES = (
    ("stack", "stack and outputs"),
    ("sdk", "SDK of the functions"),
    ("permissions", "function roles"),
    ("linked-roles", "service-linked roles"),
    ("quotas", "quotas"),
    ("network", "subnets and security groups"),
    ("namespaces", "Cloud Map namespaces"),
)


def run(account: Any) -> list[Check]:
    """Every check, in order. Raises :class:`Unreadable` when there is no stack to read."""
    from . import linked_roles, namespaces, network, permissions, quotas, sdk, stack

    modules = {
        "sdk": sdk,
        "permissions": permissions,
        "linked-roles": linked_roles,
        "quotas": quotas,
        "network": network,
        "namespaces": namespaces,
    }
    first = Check(*TITLES[0])
    stack.check(account, first)
    return [first] + [
        guarded(modules[key].check, account, Check(key, title)) for key, title in TITLES[1:]
    ]


def exit_code(checks: list[Check]) -> int:
    """0: nothing would fail (warnings allowed); 1: something would."""
    return 1 if any(c.status == FAIL for c in checks) else 0


def lines(checks: list[Check]) -> list[str]:
    """One line per check (its mark, title and what it found), then each problem on its own
    line with its fix."""
    out = []
    width = max(len(c.title) for c in checks)
    for check in checks:
        out.append(f"{MARKS[check.status]} {check.title:<{width}}  {check.summary}".rstrip())
        for finding in check.findings:
            fix = f"\n      fix: {finding.fix}" if finding.fix else ""
            out.append(f"    {MARKS[finding.status]} {finding.what}{fix}")
    return out
