"""A layer version's archive, downloadable from the link ``GetLayerVersion`` gives.

Why: moto 5.2 answers ``Content.Location`` with ``"s3://"``, so nothing can read what a layer
holds. AWS gives "A link to the layer archive in Amazon S3 that is valid for 10 minutes" (Lambda
API reference, GetLayerVersion / LayerVersionContentOutput: https://docs.aws.amazon.com/lambda/
latest/api/API_GetLayerVersion.html), a plain HTTPS GET that takes ``Range`` as S3's GetObject
does. Here the link leads back to the endpoint that was asked (the in-process account, or
``serve``'s address), under moto's own "service_region" path form, to the archive moto kept
when the version was published; a ranged request gets 206 and that part (RFC 9110, one range).
The download is counted as the S3 GetObject it is on AWS.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from moto.awslambda.responses import LambdaResponse

from ..calls import CALLS

ARCHIVE_PATH = (
    r"/lambda_(?P<region>[^/]+)/layer-archives/(?P<account>\d+)/(?P<name>[^/]+)"
    r"/(?P<version>\d+)$"
)

_original_get_layer_version = LambdaResponse.get_layer_version


def location(base: str, region: str, account: str, name: str, version: int) -> str:
    return f"{base}/lambda_{region}/layer-archives/{account}/{name}/{version}"


def get_layer_version(self: LambdaResponse) -> str:
    reply = json.loads(_original_get_layer_version(self))
    parts = urlsplit(self.uri)
    name = str(reply["LayerArn"]).rsplit(":", 1)[1]
    reply["Content"]["Location"] = location(
        f"{parts.scheme}://{parts.netloc}",
        self.region,
        self.current_account,
        name,
        int(reply["Version"]),
    )
    return json.dumps(reply)


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` as (first, last) inclusive; None: whole."""
    found = re.fullmatch(r"bytes=(\d*)-(\d*)", (header or "").strip())
    if not found or not (found[1] or found[2]) or size == 0:
        return None
    if not found[1]:
        return max(size - int(found[2]), 0), size - 1
    return int(found[1]), min(int(found[2]) if found[2] else size - 1, size - 1)


def archive(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
    from .models import lambda_backends

    found = re.search(ARCHIVE_PATH, urlsplit(full_url).path)
    if not found:
        return 404, {}, b"no such layer archive"
    CALLS.record(found["account"], "s3", "GetObject")
    backend = lambda_backends[found["account"]][found["region"]]
    try:
        layer = backend.get_layer_version(found["name"], found["version"])
    except Exception:  # moto's UnknownLayerVersionException and kin: as S3 says it
        return 404, {"Content-Type": "application/xml"}, b"<Error><Code>NoSuchKey</Code></Error>"
    body: bytes = layer.code_bytes
    wanted = _range(headers.get("Range") or headers.get("range"), len(body))
    if wanted is None:
        return 200, {"Content-Type": "application/zip", "Accept-Ranges": "bytes"}, body
    first, last = wanted
    return (
        206,
        {
            "Content-Type": "application/zip",
            "Content-Range": f"bytes {first}-{last}/{len(body)}",
        },
        body[first : last + 1],
    )


def install() -> None:
    """Idempotent: the original is kept once, at import."""
    LambdaResponse.get_layer_version = get_layer_version  # type: ignore[method-assign]
