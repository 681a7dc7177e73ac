"""boto3 clients for the steps: standard retry mode, and a count of the calls each step makes.

Why count here: "a redeploy of the same bundle makes 0 mutating calls" is a promise the workflow
must be able to report about itself, on AWS as locally, so every client counts its calls by verb.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

READ_PREFIXES = ("Get", "List", "Describe", "Head")
RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 4})

_local = threading.local()  # one invocation per thread (a Lambda sandbox runs one at a time)


def _counts() -> Counter[str]:
    if not hasattr(_local, "counts"):
        _local.counts = Counter()
    return _local.counts  # type: ignore[no-any-return]


def _count(model: Any, **_: Any) -> None:
    counts = _counts()
    counts["read" if model.name.startswith(READ_PREFIXES) else "mutating"] += 1
    counts[f"{model.service_model.service_name}:{model.name}"] += 1


@cache
def client(service: str, region: str | None = None) -> Any:
    """A cached client for ``service`` whose calls are counted."""
    made = boto3.client(  # type: ignore[call-overload]
        service, region_name=region or os.environ.get("AWS_REGION"), config=RETRIES
    )
    made.meta.events.register("before-call", _count)
    return made


def reset_counts() -> None:
    _counts().clear()


def counts() -> dict[str, Any]:
    """``{"mutating": n, "read": m, "operations": {"ecs:CreateService": 1, …}}`` since the reset."""
    counts = _counts()
    operations = {k: v for k, v in counts.items() if ":" in k}
    return {"mutating": counts["mutating"], "read": counts["read"], "operations": operations}
