"""Which Lambda function this thread runs, apart from moto: the faults read it, and importing
them must not load moto (the CLI loads moto only for a verb that needs it)."""

from __future__ import annotations

import threading

INVOCATION = threading.local()
"""``INVOCATION.function``: the function whose handler this thread is running, if any;
``INVOCATION.deployment``: the ``deploymentId`` its event carries (the execution it serves)."""
