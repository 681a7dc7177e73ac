"""What a rollback did and what it could not do yet: the ledger its invocations share.

Why a ledger: a rollback runs as a loop (targets drain, deletes conflict until dependants are
gone), so each invocation starts from the previous one's ledger and adds to it; what is still
``pending`` when the loop gives up is reported with the command that removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

TAG = "lattice-deploy:deployment-id"


GONE = ("ResourceNotFoundException", "ServiceNotFoundException")
"""Codes saying the resource is not there (any more): nothing left to undo."""
UNREACHED = "the rollback did not reach it"
"""The reason of an inventory's entries (:class:`Ledger` ``dry``)."""


class Ledger:
    """``dry``: an inventory. Nothing is called; each change the rollback would make is listed as
    pending with its command (what a rollback that could not finish leaves, from the same code
    that would have undone it, so the list cannot miss a kind)."""

    def __init__(self, previous: dict[str, Any] | None, dry: bool = False) -> None:
        previous = previous or {}
        self.removed: list[dict[str, Any]] = list(previous.get("removed") or [])
        self.restored: list[dict[str, Any]] = list(previous.get("restored") or [])
        self.kept: list[dict[str, Any]] = list(previous.get("kept") or [])
        self.pending: list[dict[str, Any]] = []
        self.dry = dry

    def left(self, kind: str, ident: str, reason: str, command: str, retry: bool = False) -> None:
        self.pending.append(
            {"type": kind, "id": ident, "reason": reason, "remove": command, "retry": retry}
        )

    def attempt(self, kind: str, ident: str, call: Callable[[], Any], command: str) -> bool:
        """Make one undoing call. A ConflictException (still in use, draining) leaves it pending
        for the next pass; any other refusal (e.g. AccessDenied) leaves it for the operator, with
        the command that does it, while the rest of the rollback goes on. True if it was made."""
        if self.dry:
            self.left(kind, ident, UNREACHED, command)
            return False
        try:
            call()
        except ClientError as exc:
            error = exc.response["Error"]
            if error["Code"] in GONE:
                return False
            reason = f"{error['Code']}: {error['Message']}"
            self.left(kind, ident, reason, command, retry=error["Code"] == "ConflictException")
            return False
        return True

    def remove(self, kind: str, ident: str, call: Callable[[], Any], command: str) -> None:
        """Delete a resource (see :meth:`attempt`)."""
        if self.attempt(kind, ident, call, command):
            self.removed.append({"type": kind, "id": ident})

    def unchecked(self, part: str, ident: str, exc: ClientError, command: str) -> None:
        """A part of the rollback could not even look (a read refused): what it would undo is
        unknown, so it is named as a whole, with what finishes it."""
        error = exc.response["Error"]
        self.left(part, ident, f"not checked: {error['Code']}: {error['Message']}", command)

    def restore(self, kind: str, ident: str, **values: Any) -> None:
        self.restored.append({"type": kind, "id": ident, **values})

    def keep(self, kind: str, ident: str, reason: str) -> None:
        """A resource this run made that others now use: left in place, and said so."""
        if not any(k["id"] == ident for k in self.kept):
            self.kept.append({"type": kind, "id": ident, "reason": reason})


def made_by(tags: dict[str, str], deployment_id: str) -> bool:
    """Whether a resource was created by this deployment (its create call carried the tag)."""
    return tags.get(TAG) == deployment_id


def guarded(plan: dict[str, Any], ledger: Ledger, part: str, run: Callable[[], Any]) -> None:
    """Run one part of the rollback; a refused read or write it did not expect is left as that
    part, unchecked, with what finishes it, and the parts after it still run."""
    try:
        run()
    except ClientError as exc:
        error, service = exc.response["Error"], plan["serviceName"]
        if error["Code"] in GONE:  # something it read went meanwhile: look again next pass
            reason = f"{error['Code']}: {error['Message']}"
            ledger.left(part, service, reason, "(none yet: the next pass looks again)", retry=True)
            return
        ledger.unchecked(
            part,
            service,
            exc,
            f"what carries the tag {TAG}={plan['deploymentId']}: delete it; or deploy "
            f"{service} again (its finish_leftovers step finishes this rollback)",
        )
