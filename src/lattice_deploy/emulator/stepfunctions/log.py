"""One line per execution that did not succeed, instead of moto's dumps.

moto's ASL interpreter logs each failed state at ERROR with ``repr`` of its internal objects (an
unreadable screenful on stderr, also inside `lattice-deploy deploy`). The history keeps every
detail, so those records are dropped, and the end of an execution that failed, timed out or was
stopped is said once, at INFO on logger ``lattice_deploy.executions``: ``serve`` prints it;
``deploy`` says the same in its summary, so it leaves the logger unconfigured.
"""

from __future__ import annotations

import logging
from typing import Any

LOG = logging.getLogger("lattice_deploy.executions")
MOTO_INTERPRETER = "moto.stepfunctions.parser"


def quiet_moto() -> None:
    logging.getLogger(MOTO_INTERPRETER).setLevel(logging.CRITICAL)


def ended(execution: Any, status: str) -> None:
    """Say an execution that ended otherwise than SUCCEEDED: name, status, error, cause's first
    line."""
    if status == "SUCCEEDED":
        return
    cause = str(getattr(execution, "cause", None) or "").strip().split("\n", 1)[0]
    error = getattr(execution, "error", None)
    LOG.info(
        "execution %s %s%s%s",
        execution.name,
        status,
        f": {error}" if error else "",
        f": {cause}" if cause else "",
    )
