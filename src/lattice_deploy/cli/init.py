"""``lattice-deploy init --cluster C --service S [--dir D]``: write a bundle from a live service,
as ``ecspresso init`` does: ``ecspresso.yml``, the service definition with its VPC Lattice wiring
in ECS's own shape (``vpcLatticeConfigurations``) and its Service Connect block, and the task
definition the service runs.

Why: people who wired Lattice by hand (the origin document's procedure) start from what runs;
the bundle written here validates and redeploys as a no-op. Fields are those ECS's create calls
take (botocore's CreateService / RegisterTaskDefinition input shapes); read-only ones (ARNs,
revision, status, dates) and the workflow's own tags are left out. Read calls only.
Exit codes: 0 written, 2 usage, no such service, or files that exist (without --force).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from botocore.session import get_session

from ..emulator import demo_account as demo
from ..runner.targets import PROBE, use_endpoint

SKIPPED = {"cluster", "serviceName", "taskDefinition", "clientToken", "tags"}
"""CreateService members the bundle does not carry (ecspresso.yml and the run give them)."""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("init", help="write a bundle from a running ECS service")
    parser.add_argument("--cluster", required=True, help="the ECS cluster")
    parser.add_argument("--service", required=True, help="the ECS service")
    parser.add_argument("--dir", type=Path, default=Path("."), help="where to write (default .)")
    parser.add_argument("--region", help=f"AWS region (default {demo.REGION})")
    parser.add_argument("--endpoint-url", help="read a `lattice-deploy serve` at this URL")
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    parser.set_defaults(run=run)


def _members(operation: str) -> set[str]:
    shape = get_session().get_service_model("ecs").operation_model(operation).input_shape
    return set(shape.members) if shape is not None else set()


def _kept(found: dict[str, Any], members: set[str]) -> dict[str, Any]:
    return {k: v for k, v in found.items() if k in members and v not in (None, [], {})}


def bundle_of(ecs: Any, cluster: str, service: str, region: str) -> dict[str, str]:
    """The bundle's three files, by name."""
    found = [
        s
        for s in ecs.describe_services(cluster=cluster, services=[service])["services"]
        if s.get("status") == "ACTIVE"
    ]
    if not found:
        raise LookupError(f"no ACTIVE service {service!r} in cluster {cluster!r}")
    running = found[0]
    described = ecs.describe_task_definition(
        taskDefinition=running["taskDefinition"], include=["TAGS"]
    )
    task = _kept(described["taskDefinition"], _members("RegisterTaskDefinition"))
    own = [t for t in described.get("tags") or [] if not t["key"].startswith("lattice-deploy:")]
    if own:
        task["tags"] = own
    service_def = _kept(running, _members("CreateService") - SKIPPED)
    service_def["serviceName"] = service
    primary = next(d for d in running["deployments"] if d["status"] == "PRIMARY")
    for key in ("vpcLatticeConfigurations", "serviceConnectConfiguration"):  # on the deployment
        if primary.get(key):
            service_def[key] = primary[key]
    config = "\n".join(
        [
            f"region: {region}",
            f"cluster: {cluster}",
            f"service: {service}",
            "service_definition: ecs-service-def.json",
            "task_definition: ecs-task-def.json",
            "timeout: 10m",
            "",
        ]
    )
    return {
        "ecspresso.yml": config,
        "ecs-service-def.json": json.dumps(service_def, indent=2, default=str) + "\n",
        "ecs-task-def.json": json.dumps(task, indent=2, default=str) + "\n",
    }


def run(args: argparse.Namespace) -> int:
    region = args.region or demo.REGION
    use_endpoint(args.endpoint_url, region)
    try:  # the first call fails at once (PROBE: no retries) where nothing answers
        ecs = boto3.client("ecs", region_name=region, config=PROBE)
        files = bundle_of(ecs, args.cluster, args.service, region)
    except LookupError as exc:
        print(f"cannot init: {exc}")
        return 2
    except (BotoCoreError, ClientError) as exc:  # no credentials, nothing at the endpoint
        where = args.endpoint_url or "the account boto3 finds"
        print(
            f"cannot init: cannot read {where}: {exc}; set AWS credentials (aws configure), "
            "or start `lattice-deploy serve` and pass --endpoint-url"
        )
        return 2
    existing = [name for name in files if (args.dir / name).exists()]
    if existing and not args.force:
        print(f"cannot init: {', '.join(existing)} exist(s) in {args.dir}; use --force")
        return 2
    args.dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.dir / name).write_text(text)
        print(f"wrote {args.dir / name}")
    return 0
