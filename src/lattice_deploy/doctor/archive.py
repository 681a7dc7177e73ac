"""The file names in a layer's archive, read from the link GetLayerVersion gives.

Why names only: a layer built by ``sam build`` holds one ``python/<name>-<version>.dist-info/``
directory per distribution pip installed, so the archive's central directory says which boto3
and botocore the functions run with, without unpacking anything. The link is a plain HTTPS GET
(a presigned S3 URL, valid 10 minutes: Lambda API reference, GetLayerVersion); the central
directory sits at the end of a zip, so ranged GETs read its tail (64 KiB, then whatever the
directory needs), not the whole layer.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

TAIL = 64 * 1024
DIST_INFO = re.compile(r"^python/(?P<name>[A-Za-z0-9_.]+?)-(?P<version>[0-9][^/-]*)\.dist-info/")


class _Remote(io.RawIOBase):
    """A read-only, seekable view of the object at ``url``, fetched by ranges on demand."""

    def __init__(self, url: str) -> None:
        import requests  # a dependency of moto's, and lazy: only doctor downloads anything

        self._get: Any = requests.get
        self._url, self._pos = url, 0
        self._parts: dict[int, bytes] = {}
        _, start, body, self.size = self._fetch(f"bytes=-{TAIL}")
        self._parts[start] = body

    def _fetch(self, wanted: str) -> tuple[int, int, bytes, int]:
        reply = self._get(self._url, headers={"Range": wanted}, timeout=30)
        if reply.status_code == 200:  # no ranges: the whole object
            return 200, 0, bytes(reply.content), len(reply.content)
        if reply.status_code != 206:
            raise OSError(f"GET {self._url.split('?')[0]} answered {reply.status_code}")
        found = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", reply.headers.get("Content-Range", ""))
        if not found:
            raise OSError("a ranged GET without a Content-Range")
        return 206, int(found[1]), bytes(reply.content), int(found[3])

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(base + offset, 0)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self._pos + size, self.size)
        if end <= self._pos:
            return b""
        for start, body in self._parts.items():
            if start <= self._pos and end <= start + len(body):
                chunk = body[self._pos - start : end - start]
                self._pos = end
                return chunk
        _, start, body, _ = self._fetch(f"bytes={self._pos}-{max(end, self._pos + TAIL) - 1}")
        self._parts[start] = body
        return self.read(end - self._pos)


def names(url: str) -> list[str]:
    """The archive's file names (its central directory); OSError when it cannot be read."""
    try:
        with zipfile.ZipFile(_Remote(url)) as archive:
            return archive.namelist()
    except zipfile.BadZipFile as exc:
        raise OSError(f"not a zip archive: {exc}") from exc


def versions(file_names: list[str]) -> dict[str, str]:
    """Distribution (lower case, ``-`` for ``_``) → version, from its dist-info directory."""
    found: dict[str, str] = {}
    for name in file_names:
        if match := DIST_INFO.match(name):
            found[match["name"].lower().replace("_", "-")] = match["version"]
    return found
