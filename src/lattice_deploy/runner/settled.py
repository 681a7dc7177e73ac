"""What the smoke test asks the account itself, not the runs' summaries: is the service running
what it should, HEALTHY, and is what a rolled-back run created gone?

Why ask again: a summary is the workflow's own account of itself, and the smoke test exists to
check the workflow. These are plain describe/list calls a user could make with the aws CLI.
Each check answers ``""`` when all is as expected, else why not, in words.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


def _tail(arn: str) -> str:
    return str(arn).rsplit("/", 1)[-1]


def ecs_service(session: Any, cluster: str, name: str) -> dict[str, Any] | None:
    found = session.client("ecs").describe_services(cluster=cluster, services=[name])["services"]
    return found[0] if found and found[0]["status"] == "ACTIVE" else None


def not_serving(session: Any, cluster: str, name: str, task_definition: str, group_arn: str) -> str:
    """Why the service is not (yet) as a successful run leaves it: one deployment, COMPLETED,
    running ``task_definition`` wired to ``group_arn``, as many HEALTHY targets there as tasks
    desired (draining ones aside: the tasks a rollback replaced)."""
    service = ecs_service(session, cluster, name)
    if service is None:
        return f"ECS service {name} does not exist"
    if service["taskDefinition"] != task_definition:
        return f"it runs {_tail(service['taskDefinition'])}, not {_tail(task_definition)}"
    deployments = service.get("deployments") or []
    if len(deployments) != 1 or deployments[0].get("rolloutState") != "COMPLETED":
        states = ", ".join(str(d.get("rolloutState")) for d in deployments)
        return f"{len(deployments)} ECS deployment(s) ({states}), not one COMPLETED"
    wired = [w["targetGroupArn"] for w in deployments[0].get("vpcLatticeConfigurations") or []]
    if wired != [group_arn]:
        shown = ", ".join(map(_tail, wired)) or "no group"
        return f"it is wired to {shown}, not {_tail(group_arn)}"
    lattice, desired = session.client("vpc-lattice"), int(service["desiredCount"])
    pages = lattice.get_paginator("list_targets").paginate(targetGroupIdentifier=group_arn)
    live = [t for page in pages for t in page["items"] if t["status"] != "DRAINING"]
    healthy = sum(t["status"] == "HEALTHY" for t in live)
    if healthy != desired or len(live) != desired:
        return f"{healthy}/{desired} target(s) HEALTHY in {_tail(group_arn)} ({len(live)} live)"
    return ""


def not_routed(session: Any, service_id: str, listener_id: str, group_arn: str) -> str:
    """Why the listener does not forward everything to ``group_arn``."""
    listener = session.client("vpc-lattice").get_listener(
        serviceIdentifier=service_id, listenerIdentifier=listener_id
    )
    groups = (listener.get("defaultAction") or {}).get("forward", {}).get("targetGroups") or []
    if [(g["targetGroupIdentifier"], g.get("weight", 100)) for g in groups] != [(group_arn, 100)]:
        shown = ", ".join(f"{_tail(g['targetGroupIdentifier'])}" for g in groups) or "nothing"
        return f"listener {listener_id} forwards to {shown}, not {_tail(group_arn)}"
    return ""


READS = {  # a created resource's type → (client, operation, its identifier's parameters)
    "serviceNetwork": ("get_service_network", {"serviceNetworkIdentifier": "id"}),
    "vpcAssociation": (
        "get_service_network_vpc_association",
        {"serviceNetworkVpcAssociationIdentifier": "id"},
    ),
    "latticeService": ("get_service", {"serviceIdentifier": "id"}),
    "targetGroup": ("get_target_group", {"targetGroupIdentifier": "id"}),
    "listener": ("get_listener", {"serviceIdentifier": "serviceId", "listenerIdentifier": "id"}),
    "serviceAssociation": (
        "get_service_network_service_association",
        {"serviceNetworkServiceAssociationIdentifier": "id"},
    ),
}
GONE_STATUSES = ("DELETE_IN_PROGRESS", "INACTIVE", "DRAINING")


def still_there(session: Any, resource: dict[str, Any], cluster: str) -> bool:
    """Whether a resource a summary says the run created still exists (being deleted is gone:
    an association's delete takes a moment, a deleted revision is DELETE_IN_PROGRESS while a
    stopping task still references it)."""
    kind = resource["type"]
    try:
        if kind == "taskDefinition":
            found = session.client("ecs").describe_task_definition(taskDefinition=resource["arn"])
            return found["taskDefinition"].get("status") not in ("DELETE_IN_PROGRESS",)
        if kind == "ecsService":
            return ecs_service(session, cluster, _tail(resource["arn"])) is not None
        operation, params = READS[kind]
        found = getattr(session.client("vpc-lattice"), operation)(
            **{param: resource[key] for param, key in params.items()}
        )
        return found.get("status") not in GONE_STATUSES
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        if code in ("ResourceNotFoundException", "ServiceNotFoundException"):
            return False
        if kind == "taskDefinition" and code == "ClientException":  # "Unable to describe"
            return False
        raise
