"""What the embedded AWS's billed units add up to: state transitions and Lambda invocations.

Why counted here and not read from histories: a Distributed Map's child executions keep no
history of their own in moto (their states are run inside the parent's interpreter), yet AWS
bills each of their transitions; and a Lambda invocation is billed by request and duration,
whoever made it (a Task state, an EventBridge rule). So the interpreter counts every state it
enters (:func:`..stepfunctions.timing.install` patches the hook) and the in-process Lambda every
invocation with its wall time, which the fleet bench prices.

Step Functions Standard bills "state transitions": "each time a step of your workflow is
executed" (AWS Step Functions pricing page); a state entered is one.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Usage:
    transitions: int = 0
    invocations: Counter[str] = field(default_factory=Counter)
    """Lambda invocations by function name."""
    seconds: float = 0.0
    """The invocations' summed wall time (what Lambda bills by, at the function's memory)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def transition(self) -> None:
        with self._lock:
            self.transitions += 1

    def invoked(self, function: str, seconds: float) -> None:
        with self._lock:
            self.invocations[function] += 1
            self.seconds += seconds

    def snapshot(self) -> dict[str, float]:
        """``{transitions, invocations, invocationSeconds}`` so far (a bench takes two)."""
        with self._lock:
            return {
                "transitions": self.transitions,
                "invocations": sum(self.invocations.values()),
                "invocationSeconds": self.seconds,
            }

    def reset(self) -> None:
        with self._lock:
            self.transitions, self.seconds = 0, 0.0
            self.invocations.clear()


USAGE = Usage()
