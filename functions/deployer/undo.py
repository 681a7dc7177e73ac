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


class Ledger:
    def __init__(self, previous: dict[str, Any] | None) -> None:
        previous = previous or {}
        self.removed: list[dict[str, Any]] = list(previous.get("removed") or [])
        self.restored: list[dict[str, Any]] = list(previous.get("restored") or [])
        self.kept: list[dict[str, Any]] = list(previous.get("kept") or [])
        self.pending: list[dict[str, Any]] = []

    def remove(self, kind: str, ident: str, call: Callable[[], Any], command: str) -> None:
        """Delete a resource. A ConflictException (still in use, draining) leaves it pending for
        the next pass; any other refusal (e.g. AccessDenied) leaves it for the operator, with the
        command that removes it, while the rest of the rollback goes on."""
        try:
            call()
        except ClientError as exc:
            error = exc.response["Error"]
            if error["Code"] in ("ResourceNotFoundException", "ServiceNotFoundException"):
                return
            reason = f"{error['Code']}: {error['Message']}"
            retry = error["Code"] == "ConflictException"
            self.pending.append(
                {"type": kind, "id": ident, "reason": reason, "remove": command, "retry": retry}
            )
            return
        self.removed.append({"type": kind, "id": ident})

    @property
    def stuck(self) -> bool:
        """Something is left that waiting will not remove."""
        return any(not p.get("retry", True) for p in self.pending)

    def restore(self, kind: str, ident: str, **values: Any) -> None:
        self.restored.append({"type": kind, "id": ident, **values})

    def keep(self, kind: str, ident: str, reason: str) -> None:
        """A resource this run made that others now use: left in place, and said so."""
        if not any(k["id"] == ident for k in self.kept):
            self.kept.append({"type": kind, "id": ident, "reason": reason})


def made_by(tags: dict[str, str], deployment_id: str) -> bool:
    """Whether a resource was created by this deployment (its create call carried the tag)."""
    return tags.get(TAG) == deployment_id
