"""One boto3 client per Region and service for moto's interpreter, not one per task state.

Why: moto's ``boto_client_for`` makes a new boto3 client (a session, its model loading and
event handlers) for every Lambda task it runs; at 12 invocations a deployment that was a sixth
of the emulator's CPU in a fleet's fan-out. The clients are alike (moto's fixed credentials
and config), and a botocore client may be shared between threads ("Low-level clients are
thread safe", boto3 documentation, "Low-level clients": "Multithreading or
multiprocessing with clients").
"""

from __future__ import annotations

import threading
from typing import Any

from moto.core.models import botocore_stubber
from moto.settings import moto_server_port
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.utils import boto_client

_original = boto_client.boto_client_for
_clients: dict[tuple[str, str, bool, str], Any] = {}
_lock = threading.Lock()


def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
    key = (region, service, bool(botocore_stubber.enabled), str(moto_server_port()))
    with _lock:
        if key not in _clients:
            _clients[key] = _original(region, service, state_credentials)
        return _clients[key]


def install() -> None:
    setattr(lambda_eval_utils, "boto_client_for", boto_client_for)  # noqa: B010
