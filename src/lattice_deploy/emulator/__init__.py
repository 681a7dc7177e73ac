"""The embedded AWS: moto, extended where a deployer needs more than moto 5.2 has.

Per emulated service, moto's own layout: ``models`` (state), ``responses`` (wire), ``urls``.
Shared: :mod:`.clock` (virtual time), :mod:`.faults` (fault injection), :mod:`.throttle` (AWS's
request rates), :mod:`.calls` (call counts), :mod:`.demo_account` (the origin document's
network), :mod:`.account` (in-process use),
:mod:`.control` (the same controls over HTTP, for ``serve``), :mod:`.seams` (where VPC Lattice
meets ECS: one direction).

Names load on first use: moto takes a second to import, and a CLI verb that never runs the
embedded AWS (``--help``, ``validate``, ``status`` against a real stack) must not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .account import EmbeddedAws
    from .calls import CALLS
    from .clock import CLOCK
    from .faults import FAULTS, Fault, FaultSpecError
    from .install import install
    from .throttle import THROTTLE

_WHERE = {
    "EmbeddedAws": "account",
    "CALLS": "calls",
    "CLOCK": "clock",
    "FAULTS": "faults",
    "Fault": "faults",
    "FaultSpecError": "faults",
    "install": "install",
    "THROTTLE": "throttle",
}

__all__ = [
    "CALLS",
    "CLOCK",
    "FAULTS",
    "THROTTLE",
    "EmbeddedAws",
    "Fault",
    "FaultSpecError",
    "install",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
