"""Remove what one smoke test made, and nothing else: everything named after its throwaway service.

Why found by tags, not by the runs' summaries: a run that crashed, or a smoke test interrupted
between two calls, leaves no summary, yet everything a deploy creates carries the
``lattice-deploy:service`` tag from its create call on (``functions/deployer/bundle/normalize.py``,
``plan["tags"]``), and the smoke test tags what it makes itself with ``lattice-deploy:smoke``;
with a name no one else has (``smoke-<random>``), those tags alone say what is the test's. The
bucket's objects and the ordering row are keyed by the service name.

The order stops routing first (VPC Lattice), then the tasks, then what they needed:

1. the Lattice services: their service-network associations, listeners, access-log
   subscriptions, then the services (no client reaches the throwaway service any more);
2. the ECS service, scaled to 0 and deleted, waited for until INACTIVE;
3. its task definition revisions, deregistered and deleted;
4. the target groups, once their targets have drained (VPC Lattice's 5 minutes);
5. a service network or VPC association the test's first run created, unless another service
   has joined the network since (then it is kept, and said);
6. every version of the service's objects in the stack bucket, and its ordering row.

Each part runs on its own: a refused call is an entry of ``left`` with the ``aws`` command that
removes it, and the other parts still run. A conflict (an association still being deleted, a
target still draining) is waited out, up to a budget.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

# the rollback's own table of Lattice deletes and the aws CLI option of a member: one source
from deployer.rollback.undo_lattice import DELETES, cli_option

from .pace import Pace
from .targets import Target
from .throwaway import SMOKE_TAG

SERVICE_TAG = "lattice-deploy:service"
NAME = re.compile(r"smoke-[0-9a-z]{4,20}")
"""The names a smoke test gives its service: nothing else is ever torn down."""
DRAIN_BUDGET = 300.0 + 300.0
"""VPC Lattice's draining time (5 minutes, not configurable) and as long again."""
BUSY_BUDGET = 180.0
"""How long a delete refused with ConflictException is tried again (an association deleting)."""
STEP = 10.0
GONE = ("ResourceNotFoundException", "ServiceNotFoundException")
PREFIXES = ("definitions", "reports", "leftovers")
"""Where a run keeps a service's objects: its bundle, its reports, an unfinished rollback's."""


def _why(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response["Error"]
        return f"{error.get('Code')}: {error.get('Message')}"
    return str(exc)


class Teardown:
    def __init__(self, target: Target, name: str, cluster: str, pace: Pace) -> None:
        if not NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a smoke test's name (smoke-<random>)")
        self.target, self.name, self.cluster, self.pace = target, name, cluster, pace
        session = target.session
        self.lattice, self.ecs = session.client("vpc-lattice"), session.client("ecs")
        self.removed: list[dict[str, Any]] = []
        self.kept: list[dict[str, Any]] = []
        self.left: list[dict[str, Any]] = []

    # ---- the record ----------------------------------------------------------------------------
    def call(
        self, kind: str, ident: str, call: Callable[[], Any], command: str, busy: float = 0.0
    ) -> bool:
        """Make one deleting call (again while it conflicts, for ``busy`` seconds); False and an
        entry of ``left`` when it was refused. A resource already gone counts as done."""
        refused: list[str] = []

        def attempt() -> bool | None:
            try:
                call()
            except ClientError as exc:
                code = exc.response["Error"]["Code"]
                if code in GONE:
                    return True
                refused[:] = [_why(exc)]
                return None if code == "ConflictException" else False
            return True

        if self.pace.until(attempt, busy, STEP):
            return True
        self.left.append({"type": kind, "id": ident, "reason": refused[0], "remove": command})
        return False

    def delete(
        self, kind: str, ident: str, call: Callable[[], Any], command: str, busy: float = 0.0
    ) -> bool:
        """:meth:`call`, recorded as removed when it was made."""
        done = self.call(kind, ident, call, command, busy)
        if done:
            self.removed.append({"type": kind, "id": ident})
        return done

    def lattice_delete(self, kind: str, ident: str, busy: float = 0.0, **scope: str) -> bool:
        """Delete one VPC Lattice resource (``scope``: its parent's identifier, for a listener)."""
        operation, param = DELETES[kind]
        args = {**scope, param: ident}
        command = " ".join(
            ["aws vpc-lattice", operation.replace("_", "-")]
            + [f"{cli_option(k)} {v}" for k, v in args.items()]
        )
        call = partial(getattr(self.lattice, operation), **args)
        return self.delete(kind, ident, call, command, busy)

    def mine(self, arn: str) -> bool:
        try:
            tags = self.lattice.list_tags_for_resource(resourceArn=arn).get("tags") or {}
        except ClientError:  # gone meanwhile
            return False
        return self.name in (tags.get(SERVICE_TAG), tags.get(SMOKE_TAG))

    def items(self, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.lattice.get_paginator(operation).paginate(**kwargs)
        return [i for page in pages for i in page.get("items") or []]

    # ---- the parts -------------------------------------------------------------------------------
    def run(self) -> dict[str, list[dict[str, Any]]]:
        parts: list[tuple[str, Callable[[], None]]] = [
            ("latticeService", self.routing),
            ("ecsService", self.ecs_service),
            ("taskDefinition", self.task_definitions),
            ("targetGroup", self.target_groups),
            ("serviceNetwork", self.networks),
            ("bucketObject", self.objects),
            ("orderingRow", self.ordering_row),
        ]
        for kind, part in parts:
            try:
                part()
            except (ClientError, BotoCoreError) as exc:  # a read refused: the others still run
                self.left.append(
                    {"type": kind, "id": self.name, "reason": f"not read: {_why(exc)}"}
                )
        return {"removed": self.removed, "kept": self.kept, "left": self.left}

    def routing(self) -> None:
        for service in self.items("list_services"):
            if not self.mine(service["arn"]):
                continue
            sid = service["id"]
            for assoc in self.items(
                "list_service_network_service_associations", serviceIdentifier=sid
            ):
                if assoc.get("status") != "DELETE_IN_PROGRESS":
                    self.lattice_delete("serviceAssociation", assoc["id"])
            for listener in self.items("list_listeners", serviceIdentifier=sid):
                self.lattice_delete("listener", listener["id"], serviceIdentifier=sid)
            for sub in self.items("list_access_log_subscriptions", resourceIdentifier=sid):
                self.lattice_delete("accessLogs", sub["id"])
            # its association's delete takes a moment to finish (DELETE_IN_PROGRESS)
            self.lattice_delete("latticeService", sid, busy=BUSY_BUDGET)

    def described(self) -> dict[str, Any] | None:
        found = self.ecs.describe_services(
            cluster=self.cluster, services=[self.name], include=["TAGS"]
        )["services"]
        return found[0] if found and found[0]["status"] != "INACTIVE" else None

    def ecs_service(self) -> None:
        service = self.described()
        if service is None:
            return
        tags = {t["key"]: t["value"] for t in service.get("tags") or []}
        if tags.get(SERVICE_TAG) != self.name:
            why = f"ECS service {self.name} does not carry {SERVICE_TAG}={self.name}: not ours"
            self.kept.append({"type": "ecsService", "id": service["serviceArn"], "reason": why})
            return
        where = {"cluster": self.cluster, "service": self.name}
        arn = service["serviceArn"]
        command = f"aws ecs delete-service --cluster {self.cluster} --service {self.name} --force"

        def scaled_and_deleted() -> None:
            self.ecs.update_service(**where, desiredCount=0)
            self.ecs.delete_service(**where, force=True)

        if service["status"] == "ACTIVE" and not self.call(
            "ecsService", arn, scaled_and_deleted, command
        ):
            return
        # DRAINING until its tasks have stopped, which deregisters their targets
        if self.pace.until(lambda: True if self.described() is None else None, DRAIN_BUDGET):
            self.removed.append({"type": "ecsService", "id": arn})
            return
        why = "still DRAINING: its tasks have not stopped"
        self.left.append({"type": "ecsService", "id": arn, "reason": why, "remove": command})

    def task_definitions(self) -> None:
        running = self.described()
        for status in ("ACTIVE", "INACTIVE"):
            pages = self.ecs.get_paginator("list_task_definitions").paginate(
                familyPrefix=self.name, status=status
            )
            for arn in [a for page in pages for a in page["taskDefinitionArns"]]:
                if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] != self.name:
                    continue  # another family sharing the prefix
                found = self.ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
                tags = {t["key"]: t["value"] for t in found.get("tags") or []}
                if tags.get(SERVICE_TAG) != self.name:
                    self.kept.append({"type": "taskDefinition", "id": arn, "reason": "not ours"})
                    continue
                delete = f"aws ecs delete-task-definitions --task-definitions {arn}"
                both = f"aws ecs deregister-task-definition --task-definition {arn} && {delete}"
                if running is not None:  # its ECS service could not be deleted: it runs them
                    why = f"ECS service {self.name} still exists: after it is deleted"
                    self.left.append(
                        {"type": "taskDefinition", "id": arn, "reason": why, "remove": both}
                    )
                    continue

                def gone(arn: str = arn, status: str = status) -> None:
                    if status == "ACTIVE":
                        self.ecs.deregister_task_definition(taskDefinition=arn)
                    self.ecs.delete_task_definitions(taskDefinitions=[arn])

                self.delete("taskDefinition", arn, gone, both)

    def target_groups(self) -> None:
        for group in self.items("list_target_groups"):
            if not self.mine(group["arn"]):
                continue
            gid = group["id"]

            def drained(gid: str = gid) -> bool | None:
                targets = self.items("list_targets", targetGroupIdentifier=gid)
                return True if not targets else None

            self.pace.until(drained, DRAIN_BUDGET, STEP)
            self.lattice_delete("targetGroup", gid, busy=BUSY_BUDGET)

    def networks(self) -> None:
        for network in self.items("list_service_networks"):
            nid, ours = network["id"], self.mine(network["arn"])
            assocs = [
                a
                for a in self.items(
                    "list_service_network_vpc_associations", serviceNetworkIdentifier=nid
                )
                if a.get("status") != "DELETE_IN_PROGRESS" and self.mine(a["arn"])
            ]
            if not ours and not assocs:
                continue
            others = sorted(
                str(i.get("serviceName") or i.get("serviceId"))
                for i in self.items(
                    "list_service_network_service_associations", serviceNetworkIdentifier=nid
                )
                if i.get("status") not in ("DELETE_IN_PROGRESS", "DELETE_FAILED")
            )
            if others:  # the environment's network, joined by another service meanwhile
                why = f"now used by {', '.join(others)}: kept"
                for assoc in assocs:
                    self.kept.append({"type": "vpcAssociation", "id": assoc["id"], "reason": why})
                if ours:
                    self.kept.append({"type": "serviceNetwork", "id": nid, "reason": why})
                continue
            for assoc in assocs:
                self.lattice_delete("vpcAssociation", assoc["id"])
            if ours:
                self.lattice_delete("serviceNetwork", nid, busy=BUSY_BUDGET)

    def objects(self) -> None:
        s3, bucket = self.target.session.client("s3"), self.target.bucket
        for prefix in PREFIXES:
            pages = s3.get_paginator("list_object_versions").paginate(
                Bucket=bucket, Prefix=f"{prefix}/{self.name}/"
            )
            for page in pages:
                for version in [*(page.get("Versions") or []), *(page.get("DeleteMarkers") or [])]:
                    key, vid = version["Key"], version.get("VersionId") or "null"
                    command = f"aws s3api delete-object --bucket {bucket} --key {key} "
                    call = partial(s3.delete_object, Bucket=bucket, Key=key, VersionId=vid)
                    self.delete(
                        "bucketObject", f"{key}@{vid}", call, f"{command}--version-id {vid}"
                    )

    def ordering_row(self) -> None:
        table = self.target.table
        if not table:
            return
        dynamodb, key = self.target.session.client("dynamodb"), {"service": {"S": self.name}}
        if "Item" not in dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True):
            return
        command = f"aws dynamodb delete-item --table-name {table} --key '{json.dumps(key)}'"
        call = partial(dynamodb.delete_item, TableName=table, Key=key)
        self.delete("orderingRow", self.name, call, command)
