"""What the account holds, as the smoke test compares it before and after: names, not details.

Why a listing of its own and not the teardown's record: the teardown says what it removed, which
cannot show what it did not know of (a resource a run made that no tag led to). Listing what a
deploy can create (ECS services of the cluster, task definition families, VPC Lattice services,
target groups, service networks and VPC associations, the stack bucket's object versions, the
ordering table's rows) before the first run and after the teardown, and requiring both to be
equal, can. Read calls only.
"""

from __future__ import annotations

from typing import Any

from .targets import Target

Listing = dict[str, list[str]]
LABELS = {
    "ecsServices": "ECS services",
    "taskDefinitionFamilies": "task definition families",
    "latticeServices": "Lattice services",
    "targetGroups": "target groups",
    "serviceNetworks": "service networks",
    "vpcAssociations": "VPC associations",
    "bucketObjects": "object versions",
    "orderingRows": "ordering rows",
}


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    pages = client.get_paginator(operation).paginate(**kwargs)
    return [item for page in pages for item in page.get(key) or []]


def _bucket(s3: Any, bucket: str) -> list[str]:
    """Every object version and delete marker: the bucket is versioned, so a deleted key still
    holds its versions; the teardown must remove those too."""
    found = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for kind in ("Versions", "DeleteMarkers"):
            found += [f"{v['Key']}@{v.get('VersionId') or 'null'}" for v in page.get(kind) or []]
    return found


def _rows(dynamodb: Any, table: str) -> list[str]:
    if not table:  # a stack whose outputs do not name it: nothing to compare
        return []
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression="#s", ExpressionAttributeNames={"#s": "service"}
    )
    return [item["service"]["S"] for page in pages for item in page.get("Items") or []]


def listing(target: Target, cluster: str) -> Listing:
    session = target.session
    ecs, lattice = session.client("ecs"), session.client("vpc-lattice")
    networks = _pages(lattice, "list_service_networks", "items")
    found: Listing = {
        "ecsServices": [
            arn.rsplit("/", 1)[-1]
            for arn in _pages(ecs, "list_services", "serviceArns", cluster=cluster)
        ],
        "taskDefinitionFamilies": _pages(
            ecs, "list_task_definition_families", "families", status="ACTIVE"
        ),
        "latticeServices": [
            f"{s['name']} {s['id']}" for s in _pages(lattice, "list_services", "items")
        ],
        "targetGroups": [
            f"{g['name']} {g['id']}" for g in _pages(lattice, "list_target_groups", "items")
        ],
        "serviceNetworks": [f"{n['name']} {n['id']}" for n in networks],
        "vpcAssociations": [
            f"{a['id']} {n['name']}"
            for n in networks
            for a in _pages(
                lattice,
                "list_service_network_vpc_associations",
                "items",
                serviceNetworkIdentifier=n["id"],
            )
        ],
        "bucketObjects": _bucket(session.client("s3"), target.bucket),
        "orderingRows": _rows(session.client("dynamodb"), target.table),
    }
    return {kind: sorted(items) for kind, items in found.items()}


def difference(before: Listing, after: Listing) -> dict[str, Listing]:
    """``{"added": {kind: [...]}, "missing": {kind: [...]}}`` of the kinds that differ (empty:
    the account lists as it did)."""
    added = {k: sorted(set(after[k]) - set(before.get(k, []))) for k in after}
    missing = {k: sorted(set(before[k]) - set(after.get(k, []))) for k in before}
    changes = {
        "added": {k: v for k, v in added.items() if v},
        "missing": {k: v for k, v in missing.items() if v},
    }
    return {side: kinds for side, kinds in changes.items() if kinds}
