"""S3's EventBridge events as AWS sends them: after the request, with a sequencer per object.

Why: moto 5.2 emits ``Object Created`` from inside ``put_object``, before the object's metadata
is stored, with one fixed event id and one fixed ``sequencer`` for every event. A trigger reading
the object's metadata saw none, a deduplicator saw every event as the same one, and uploads could
not be ordered. Here each event gets its own id, an ISO time, and a sequencer that grows with
every write (AWS: compare sequencers of one key to order its events), and is delivered once the
S3 request that caused it has finished, as AWS delivers it.
"""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.events.models import events_backends
from moto.events.utils import _BASE_EVENT_MESSAGE
from moto.s3 import notifications as moto_notifications
from moto.s3.responses import S3Response

_SEQUENCE = itertools.count(0x5F0000000000000)
_PENDING = threading.local()


def sequencer() -> str:
    """The next sequencer: hex, growing, of fixed width (so strings compare as numbers)."""
    return f"{next(_SEQUENCE):016X}"


def _event(account_id: str, bucket: Any, event_name: str, key: Any) -> dict[str, Any]:
    event: dict[str, Any] = copy.deepcopy(_BASE_EVENT_MESSAGE)  # type: ignore[arg-type]
    event.update(
        {
            "id": str(uuid.uuid4()),
            "detail-type": moto_notifications._detail_type(event_name),
            "source": "aws.s3",
            "account": account_id,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": bucket.region_name,
            "resources": [bucket.arn],
            "detail": {
                "version": "0",
                "bucket": {"name": bucket.name},
                "object": {
                    "key": key.name,
                    "size": key.size,
                    "etag": key.etag.replace('"', ""),
                    "version-id": key.version_id,
                    "sequencer": sequencer(),
                },
                "request-id": uuid.uuid4().hex[:16].upper(),
                "requester": account_id,
                "reason": "PutObject" if event_name.endswith(":Put") else event_name.split(":")[1],
            },
        }
    )
    return event


def deliver(account_id: str, region: str, event: dict[str, Any]) -> None:
    """Hand ``event`` to every rule of the account's buses (each rule matches it itself)."""
    backend = events_backends[account_id][region]
    for bus in backend.event_buses.values():
        for rule in list(bus.rules.values()):
            rule.send_to_targets(event, transform_input=False)  # type: ignore[arg-type]


def _send_event_bridge_message(account_id: str, bucket: Any, event_name: str, key: Any) -> None:
    event = _event(account_id, bucket, event_name, key)
    pending = getattr(_PENDING, "events", None)
    if pending is not None:
        pending.append((account_id, bucket.region_name, event))
    else:
        deliver(account_id, bucket.region_name, event)


def _after_request(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        outer = getattr(_PENDING, "events", None)
        _PENDING.events = [] if outer is None else outer
        try:
            return method(self, *args, **kwargs)
        finally:
            if outer is None:
                pending, _PENDING.events = _PENDING.events, None
                for account_id, region, event in pending:
                    deliver(account_id, region, event)

    wrapped.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapped


def install() -> None:
    """Swap moto's EventBridge sender for ours and defer it to the end of key requests."""
    moto_notifications._send_event_bridge_message = _send_event_bridge_message
    if not hasattr(S3Response.key_response, "__wrapped__"):
        S3Response.key_response = _after_request(S3Response.key_response)  # type: ignore[method-assign]
