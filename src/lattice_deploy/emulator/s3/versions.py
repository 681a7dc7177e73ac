"""ListObjectVersions with a ``Prefix`` reads the keys under it only.

Why: moto's ``S3Backend.list_object_versions`` deep-copies every version of every key in the
bucket, then drops those outside the prefix. A deploy asks for one key's versions
(:func:`deployer.triggers.request.version_as_of`), so a bucket holding a fleet's bundles made
each upload O(fleet): at 300 services it was a third of the emulator's time. The answer is the
same: moto skips a key outside the prefix whatever the markers say, so leaving it out before
the copy changes no page (moto's own code runs on the narrowed view).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.s3.models import S3Backend

_original = S3Backend.list_object_versions


class _Keys:
    def __init__(self, keys: Any, prefix: str) -> None:
        self._keys, self._prefix = keys, prefix

    def iterlists(self) -> Iterator[tuple[str, list[Any]]]:
        return ((k, v) for k, v in self._keys.iterlists() if k.startswith(self._prefix))


class _Bucket:
    """The bucket, its keys narrowed to the prefix (all else is the bucket's)."""

    def __init__(self, bucket: Any, prefix: str) -> None:
        self._bucket, self.keys = bucket, _Keys(bucket.keys, prefix)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bucket, name)


class _Scoped:
    """The backend as moto's function sees it: ``get_bucket`` gives the narrowed bucket."""

    def __init__(self, backend: S3Backend, prefix: str) -> None:
        self._backend, self._prefix = backend, prefix

    def get_bucket(self, bucket_name: str) -> _Bucket:
        return _Bucket(self._backend.get_bucket(bucket_name), self._prefix)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)


def list_object_versions(
    self: S3Backend,
    bucket_name: str,
    delimiter: str | None = None,
    key_marker: str | None = None,
    max_keys: int | None = 1000,
    prefix: str = "",
    version_id_marker: str | None = None,
) -> Any:
    scoped: Any = _Scoped(self, prefix) if prefix else self
    return _original(
        scoped, bucket_name, delimiter, key_marker, max_keys, prefix, version_id_marker
    )


def install() -> None:
    S3Backend.list_object_versions = list_object_versions  # type: ignore[method-assign]
