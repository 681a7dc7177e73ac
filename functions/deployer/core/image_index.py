"""Which services run which image: kept as each deployment succeeds, read when an image is pushed.

Why an index: an ECR push must find the services whose bundles run ``repository:tag``. Reading
and rendering every bundle in the bucket on every push costs time in proportion to the fleet, in
one invocation; a DynamoDB query costs a page per thousand services. The index holds what was
*deployed* (a bundle uploaded but never deployed is not running the image yet, and its own
deployment indexes it). The bundle itself is read again when the service's turn in the fan-out
comes, so the newest bundle is what is redeployed.

Items of the images table: ``image`` (key: ``repository:tag`` as the bundle names it, a missing
tag read as ``latest``) and ``service`` (range key). The service's own item in the deployments
table keeps the images it was last deployed with (``images``), so that a deployment that stops
running one takes the service out of that image's entries.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from . import aws

BATCH = 25
"""BatchWriteItem: "The BatchWriteItem operation … can comprise as many as 25 put or delete
requests" (DynamoDB API Reference)."""


def key_of(image: str) -> str | None:
    """``repository:tag`` of an image as a task definition names it (no tag: ``latest``), or
    None for an image pinned by digest (a push of its tag does not change what it runs)."""
    if not image or "@" in image:
        return None
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    return f"{name}:{tag or 'latest'}"


def record(service: str, images: Iterable[str]) -> dict[str, Any]:
    """Index ``service`` under ``images`` (index keys) and under no other: what it runs now that
    a deployment of it succeeded. Returns what was ``added`` and ``removed`` (and how many
    writes were left ``unprocessed``, if any).

    The service's item swaps its image list in one UpdateItem (``UPDATED_OLD`` returns the list
    it replaced), so the entries to remove are known without reading the index."""
    now = sorted(set(images))
    swapped = aws.client("dynamodb").update_item(
        TableName=os.environ["DEPLOYMENTS_TABLE"],
        Key={"service": {"S": service}},
        UpdateExpression="SET images = :i",
        ExpressionAttributeValues={":i": {"L": [{"S": i} for i in now]}},
        ReturnValues="UPDATED_OLD",
    )
    before = {v["S"] for v in swapped.get("Attributes", {}).get("images", {}).get("L", [])}
    # Every current image is put again (idempotent): an entry lost to a failed write comes back.
    writes: list[dict[str, Any]] = [
        {"PutRequest": {"Item": {"image": {"S": i}, "service": {"S": service}}}} for i in now
    ]
    writes += [
        {"DeleteRequest": {"Key": {"image": {"S": i}, "service": {"S": service}}}}
        for i in sorted(before - set(now))
    ]
    left = _batch_write(writes)
    return {
        "added": sorted(set(now) - before),
        "removed": sorted(before - set(now)),
        **({"unprocessed": left} if left else {}),
    }


def _batch_write(writes: list[dict[str, Any]]) -> int:
    """The writes, 25 a call, each call's ``UnprocessedItems`` written again (DynamoDB returns
    those it throttled rather than failing the call), eight times at most; how many were left."""
    dynamodb, table, left = aws.client("dynamodb"), os.environ["IMAGES_TABLE"], 0
    for start in range(0, len(writes), BATCH):
        pending = {table: writes[start : start + BATCH]}
        for _ in range(8):
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
        left += len(pending.get(table, []))
    return left


def services_running(image: str) -> Iterator[str]:
    """The services indexed under ``image`` (an index key), a query page at a time."""
    pages = aws.client("dynamodb").get_paginator("query")
    for page in pages.paginate(
        TableName=os.environ["IMAGES_TABLE"],
        KeyConditionExpression="image = :i",
        ExpressionAttributeValues={":i": {"S": image}},
        ProjectionExpression="service",
    ):
        for item in page.get("Items") or []:
            yield str(item["service"]["S"])
