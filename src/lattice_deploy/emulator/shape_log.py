"""The switch that checks every reply the embedded AWS serves against botocore's model.

Set :data:`ENV` to a file and each success body :mod:`.instrumented` sends, in-process or from
``serve``, is checked with :func:`.shapes.check_response`; each violation is appended to that file
as one JSON line before the reply leaves. Why a file and not memory: ``serve`` runs in a process of
its own (tests spawn it), inherits the variable, and writes where the test run reads; in-process
replies use the same path, so there is one way a violation is reported. Unset, nothing is checked
(a user's ``serve`` pays nothing).

A process also counts what it checked, per operation (:attr:`ShapeLog.checked`), and writes the
count as a last line at exit, so a run can say how much the check covered.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections import Counter

from botocore.exceptions import UnknownServiceError
from botocore.model import OperationNotFoundError

from .shapes import JSON_PROTOCOLS, check_response, service_model
from .shapes_xml import XML_PROTOCOLS, check_xml_response

ENV = "LATTICE_DEPLOY_CHECK_SHAPES"


class ShapeLog:
    def __init__(self) -> None:
        self.checked: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._at_exit = False

    def check(self, service: str, operation: str | None, status: int, body: str | bytes) -> None:
        """Check one reply of ``service`` (botocore's name) when the switch is on."""
        target = os.environ.get(ENV)
        if not target or not operation:
            return
        try:
            model = service_model(service)
            if model.protocol not in JSON_PROTOCOLS | XML_PROTOCOLS:
                return
            operation_model = model.operation_model(operation)
        except (UnknownServiceError, OperationNotFoundError):
            return
        xml = model.protocol in XML_PROTOCOLS
        found = (check_xml_response if xml else check_response)(operation_model, status, body)
        lines = [
            json.dumps({"service": service, **{k: str(v) for k, v in vars(v).items()}})
            for v in found
        ]
        with self._lock:
            self.checked[f"{service} {operation}"] += 1
            if not self._at_exit:
                atexit.register(self.write_counts)
                self._at_exit = True
            if lines:
                with open(target, "a", encoding="utf-8") as log:
                    log.write("".join(line + "\n" for line in lines))

    def write_counts(self) -> None:
        """The process's count as the file's last line (``{"checked": {...}}``)."""
        target = os.environ.get(ENV)
        if target and self.checked:
            with self._lock, open(target, "a", encoding="utf-8") as log:
                log.write(json.dumps({"checked": dict(self.checked), "pid": os.getpid()}) + "\n")


SHAPE_LOG = ShapeLog()
