"""State ``load_bundle``: read the bundle from S3 (pinned object versions) and plan the deployment.

Reads only: S3 GetObject, EC2 DescribeSubnets (to learn the VPC of the service's subnets).
"""

from __future__ import annotations

import os
from typing import Any

from botocore.exceptions import ClientError

from . import aws, bundle
from .errors import BundleInvalid
from .step import step


def _read(source: dict[str, Any], name: str, required: bool) -> str | None:
    s3 = aws.client("s3")
    request: dict[str, Any] = {
        "Bucket": source["bucket"],
        "Key": f"{source.get('prefix', '')}{name}",
    }
    if version := (source.get("versions") or {}).get(name):
        request["VersionId"] = version
    try:
        return str(s3.get_object(**request)["Body"].read().decode("utf-8"))
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404") and not required:
            return None
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
            raise BundleInvalid(
                f"{name}: not found at s3://{request['Bucket']}/{request['Key']}"
            ) from exc
        raise


def _vpc_of(plan: dict[str, Any]) -> str:
    network = (plan["serviceDefinition"].get("networkConfiguration") or {}).get(
        "awsvpcConfiguration"
    ) or {}
    subnets = network.get("subnets") or []
    if not subnets:
        raise BundleInvalid(
            "ecs-service-def.json: networkConfiguration.awsvpcConfiguration.subnets is empty; "
            "VPC Lattice targets are task IPs, so the service needs awsvpc subnets"
        )
    found = aws.client("ec2", plan["region"] or None).describe_subnets(SubnetIds=subnets)["Subnets"]
    vpcs = sorted({s["VpcId"] for s in found})
    if len(vpcs) != 1:
        raise BundleInvalid(
            f"ecs-service-def.json: subnets {subnets} span VPCs {vpcs}; use one VPC"
        )
    return str(vpcs[0])


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    source = event["bundle"]
    files: dict[str, str] = {}
    if (config := _read(source, bundle.CONFIG_FILE, required=False)) is not None:
        files[bundle.CONFIG_FILE] = config
    for name in bundle.file_names(bundle.config_of(files)):
        files[name] = _read(source, name, required=True) or ""
    plan = bundle.normalize(
        files,
        {
            "deploymentId": event["deploymentId"],
            "environment": event.get("environment") or os.environ.get("ENVIRONMENT_NAME"),
            "region": os.environ.get("AWS_REGION"),
            "infrastructureRoleArn": os.environ.get("INFRASTRUCTURE_ROLE_ARN"),
        },
    )
    plan["lattice"]["vpcId"] = _vpc_of(plan)
    return plan
