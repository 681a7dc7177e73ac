"""Work moto and botocore redo on every request, done once: same answers, paid once.

Why: in the embedded AWS both ends of every call run in this process, so the per-request
bookkeeping of each is the fleet's CPU. yappi (cpu clock) over 100 first deploys (284 CPU s)
counted, besides the calls' real work:

- moto's ``BackendDict.__getitem__`` (each ``ecs_backends[account]``) takes moto's global lock
  and scans its list of backends with ``__eq__`` even when the account's backend exists: 201,553
  lookups, 2.7 million ``__eq__``, 17.9 s. An existing account's backend is now read without it;
  a missing one (and one after ``BackendDict.reset``, which empties the dict) is made as before.
- moto's ``BaseResponse.call_action`` lists the class's methods with ``inspect.getmembers`` on
  each request to see whether the action is one: 6,618 times, 11.0 s. A class's method names are
  kept per class (they are fixed once moto's and our modules are imported).
- botocore sanitizes each User-Agent component character by character on each request (6 million
  generator steps, 15.5 s); the components are few and repeat: kept per string.
- botocore parses ISO 8601 and RFC 822 timestamps (VPC Lattice's, S3's) with ``dateutil``: 27,981
  parses, 22.3 s; the same strings recur (a resource's ``createdAt`` at each read): kept per
  string (a ``datetime`` is immutable).
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.parsers
import botocore.useragent
import botocore.utils
import moto.core.responses
import moto.core.utils
from moto.core.base_backend import BackendDict

_ORIGINAL_GETITEM: Any = BackendDict.__getitem__
_ORIGINAL_METHOD_NAMES: Any = moto.core.utils.method_names_from_class
_ORIGINAL_SANITIZE: Any = botocore.useragent.sanitize_user_agent_string_component
_ORIGINAL_TIMESTAMP: Any = botocore.utils.parse_timestamp


def _backend(self: BackendDict[Any], account_id: str) -> Any:
    try:
        return dict.__getitem__(self, account_id)  # made, so listed: moto's reset empties both
    except KeyError:
        return _ORIGINAL_GETITEM(self, account_id)


@functools.cache
def _method_names(clazz: type) -> frozenset[str]:
    return frozenset(_ORIGINAL_METHOD_NAMES(clazz))


@functools.lru_cache(maxsize=4096)
def _sanitize(raw_str: str, allow_hash: bool) -> str:
    return str(_ORIGINAL_SANITIZE(raw_str, allow_hash))


@functools.lru_cache(maxsize=65536)
def _text_timestamp(value: str) -> Any:
    return _ORIGINAL_TIMESTAMP(value)


def parse_timestamp(value: Any) -> Any:
    """botocore's ``parse_timestamp``; a text's result kept (epoch numbers are cheap as they
    are, and a local time zone is read at each)."""
    if isinstance(value, str):
        return _text_timestamp(value)
    return _ORIGINAL_TIMESTAMP(value)


def install() -> None:
    """Idempotent. botocore's parsers take their timestamp parser when a client is made: this
    runs before the embedded AWS makes any."""
    BackendDict.__getitem__ = _backend  # type: ignore[method-assign]
    setattr(moto.core.responses, "method_names_from_class", _method_names)  # noqa: B010
    botocore.useragent.sanitize_user_agent_string_component = _sanitize
    botocore.parsers.DEFAULT_TIMESTAMP_PARSER = parse_timestamp
