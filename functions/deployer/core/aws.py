"""boto3 clients for the steps: standard retry mode, and a count of the calls each step makes.

Why count here: "a redeploy of the same bundle makes 0 mutating calls" is a promise the workflow
must be able to report about itself, on AWS as locally, so every client counts its calls by verb.
Each HTTP request counts (``before-send``), a retried attempt too: that is what AWS serves and
bills, and what the embedded AWS counts on its side.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

READ_PREFIXES = ("Get", "List", "Describe", "Head", "BatchGet", "Lookup", "Search", "Validate")
RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 4})

_local = threading.local()  # one invocation per thread (a Lambda sandbox runs one at a time)


def _counts() -> Counter[str]:
    if not hasattr(_local, "counts"):
        _local.counts = Counter()
    return _local.counts  # type: ignore[no-any-return]


def _count(event_name: str, **_: Any) -> None:
    service, operation = event_name.split(".", 2)[1:]  # before-send.<service id>.<Operation>
    counts = _counts()
    counts["read" if operation.startswith(READ_PREFIXES) else "mutating"] += 1
    counts[f"{service}:{operation}"] += 1


_making = threading.Lock()


SDK_FEATURES: dict[str, tuple[str, str, str, tuple[int, int, int]]] = {
    # feature: (service, model shape, member), the first botocore whose model has the member
    # (read in botocore's wheels: the member is in that release's data/ecs/*/service-2.json and
    # not in the one before it). The stack ships botocore in its SdkLayer (layers/sdk/).
    "ECS vpcLatticeConfigurations": (
        "ecs",
        "CreateServiceRequest",
        "vpcLatticeConfigurations",
        (1, 35, 64),
    ),
    "ECS VpcLatticeConfiguration.advancedConfiguration": (
        "ecs",
        "VpcLatticeConfiguration",
        "advancedConfiguration",
        (1, 43, 106),
    ),
    "ECS DeploymentLifecycleHook.targetType": (
        "ecs",
        "DeploymentLifecycleHook",
        "targetType",
        (1, 43, 10),
    ),
}
"""The request members the functions send that an older botocore rejects (``Unknown
parameter``). Why a table: each is guarded, and tested, on its own; the layer's pin must cover
the newest of them (tests/test_runtime_check.py)."""


def require_botocore(*features: str) -> None:
    """Fail at cold start, naming each feature and the version it needs, when the botocore found
    predates any of ``features``. Why: the SdkLayer puts a pinned boto3 before the runtime's; if
    it is missing (a function deployed without it), the runtime's SDK, whose version AWS does
    not promise, would reject the request parameter in the middle of a deployment instead."""
    import botocore

    found = tuple(int(part) for part in re.findall(r"\d+", botocore.__version__)[:3])
    missing = {f: SDK_FEATURES[f][3] for f in features if found < SDK_FEATURES[f][3]}
    if missing:
        needed = ".".join(map(str, max(missing.values())))
        named = ", ".join(
            f"{feature} (botocore >= {'.'.join(map(str, first))})"
            for feature, first in missing.items()
        )
        raise RuntimeError(
            f"botocore {botocore.__version__} found does not know {named}; deploy the functions "
            f"with the stack's SdkLayer (layers/sdk/requirements.txt pins boto3 and botocore "
            f">= {needed})"
        )


@cache
def client(service: str, region: str | None = None) -> Any:
    """A cached client for ``service`` whose calls are counted. Made under a lock: clients are
    thread-safe, boto3's default session is not (handlers share a process when run locally)."""
    with _making:
        made = boto3.client(  # type: ignore[call-overload]
            service, region_name=region or os.environ.get("AWS_REGION"), config=RETRIES
        )
    made.meta.events.register_first("before-send", _count)
    return made


def reset_counts() -> None:
    _counts().clear()


def counts() -> dict[str, Any]:
    """``{"mutating": n, "read": m, "operations": {"ecs:CreateService": 1, …}}`` since the reset."""
    counts = _counts()
    operations = {k: v for k, v in counts.items() if ":" in k}
    return {"mutating": counts["mutating"], "read": counts["read"], "operations": operations}


_NOTE = re.compile(r" ?\(this attempt made (\d+) mutating and (\d+) read AWS calls\)")


def noted(exc: BaseException) -> BaseException:
    """``exc`` with this invocation's call counts at the end of its message: a failed invocation
    returns no result, and its calls must still be in the run's count (``report`` reads them
    from the execution history)."""
    counts = _counts()
    note = f"(this attempt made {counts['mutating']} mutating and {counts['read']} read AWS calls)"
    exc.args = (f"{exc} {note}", *exc.args[1:]) if exc.args else (note,)
    return exc


def split_note(message: str) -> tuple[str, dict[str, int] | None]:
    """A failure message without its call-count note, and the counts (None: no note, e.g. the
    sandbox crashed and took them with it)."""
    found = _NOTE.search(message)
    if not found:
        return message, None
    counts = {"mutating": int(found[1]), "read": int(found[2])}
    return (message[: found.start()] + message[found.end() :]).strip(), counts
