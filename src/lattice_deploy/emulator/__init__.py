"""The embedded AWS: moto, extended where a deployer needs more than moto 5.2 has.

Per emulated service, moto's own layout: ``models`` (state), ``responses`` (wire), ``urls``.
Shared: :mod:`.clock` (virtual time), :mod:`.faults` (fault injection), :mod:`.calls` (call
counts), :mod:`.demo_account` (the origin document's network), :mod:`.account` (in-process use),
:mod:`.control` (the same controls over HTTP, for ``serve``).
"""

from .account import EmbeddedAws
from .calls import CALLS
from .clock import CLOCK
from .faults import FAULTS, Fault, FaultSpecError
from .install import install

__all__ = ["CALLS", "CLOCK", "FAULTS", "EmbeddedAws", "Fault", "FaultSpecError", "install"]
