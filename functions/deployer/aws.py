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


def require_botocore(minimum: tuple[int, ...], feature: str) -> None:
    """Fail at cold start, naming the version needed, when the runtime's botocore predates
    ``feature``. Why: boto3 comes from the Lambda runtime, and an older one rejects the request
    parameter instead (``Unknown parameter``) in the middle of a deployment."""
    import botocore

    found = tuple(int(part) for part in re.findall(r"\d+", botocore.__version__)[:3])
    if found < minimum:
        needed = ".".join(map(str, minimum))
        raise RuntimeError(
            f"botocore {botocore.__version__} in this Lambda runtime does not know {feature} "
            f"(botocore >= {needed}, boto3 >= 1.{minimum[1]}.{minimum[2]}); package a newer "
            "boto3 with the functions (a requirements.txt beside them) or use a newer runtime"
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
