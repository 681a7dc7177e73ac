"""DynamoDB whose writes are atomic: a condition is checked and the write made under one lock.

Why: the per-service deployment lock is a conditional write, which AWS applies atomically. moto
checks the condition and writes in two Python steps, so two executions running in threads of one
process (Step Functions' interpreter runs each in its own) could both pass the condition. One lock
per backend makes each write, and each transaction, one step again.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.core.base_backend import BackendDict
from moto.dynamodb.models import DynamoDBBackend


class AtomicDynamoDBBackend(DynamoDBBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.write_lock = threading.RLock()

    def put_item(self, *args: Any, **kwargs: Any) -> Any:
        with self.write_lock:
            return super().put_item(*args, **kwargs)

    def update_item(self, *args: Any, **kwargs: Any) -> Any:
        with self.write_lock:
            return super().update_item(*args, **kwargs)

    def delete_item(self, *args: Any, **kwargs: Any) -> Any:
        with self.write_lock:
            return super().delete_item(*args, **kwargs)

    def transact_write_items(self, *args: Any, **kwargs: Any) -> Any:
        with self.write_lock:
            return super().transact_write_items(*args, **kwargs)


dynamodb_backends: BackendDict[AtomicDynamoDBBackend] = BackendDict(
    AtomicDynamoDBBackend, "dynamodb"
)
