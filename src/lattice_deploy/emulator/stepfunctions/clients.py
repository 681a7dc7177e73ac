"""One boto3 client per Region and service for moto's interpreter, not one per task state.

Why: moto's ``boto_client_for`` makes a new boto3 client (a session, its model loading, its
endpoint rules and event handlers) for every task it runs: a Lambda's (12 a deployment), a
``startExecution.sync`` one's; each was a sixth of the emulator's CPU in a fleet's fan-out.
The clients are alike (moto's fixed credentials and config), and a botocore client may be
shared between threads ("Low-level clients are thread safe", boto3 documentation, "Low-level
clients": "Multithreading or multiprocessing with clients").
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from moto.core.models import botocore_stubber
from moto.settings import moto_server_port
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


PACKAGE = "moto.stepfunctions.parser.asl.component.state.exec"
USERS = (
    "state_task.lambda_eval_utils",
    *(
        f"state_task.service.state_task_service_{name}"
        for name in ("sfn", "aws_sdk", "dynamodb", "events", "sns", "sqs", "ecs", "batch", "glue")
    ),
    "state_task.service.state_task_service_unsupported",
    "state_map.item_reader.eval.resource_eval_s3",
    "state_map.result_writer.resource_eval.resource_eval_s3",
)
"""The interpreter's modules that import ``boto_client_for`` by name (moto 5.2)."""


def install() -> None:
    for name in USERS:
        module = importlib.import_module(f"{PACKAGE}.{name}")
        setattr(module, "boto_client_for", boto_client_for)  # noqa: B010
