"""The account every embedded AWS starts with: the network the origin document's example names.

Why fixed ids: the example bundle (``vpc-12345678``, ``subnet-12345678``, ``subnet-87654321``,
``sg-12345678``, cluster ``my-cluster``, account 123456789012) must run as written. moto 5.2 draws
EC2 ids at random (its ``_custom_id_`` tag does not fix them), so the seed pins its id generators
while it creates each resource; nothing else is touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any
from unittest import mock

REGION = "ap-northeast-1"
ACCOUNT_ID = "123456789012"
VPC_ID, VPC_CIDR = "vpc-12345678", "10.0.0.0/16"
SUBNETS = {"subnet-12345678": ("10.0.1.0/24", "a"), "subnet-87654321": ("10.0.2.0/24", "c")}
SECURITY_GROUP_ID = "sg-12345678"
CLUSTER = "my-cluster"
CAPACITY_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
DEFAULT_STRATEGY = ({"capacityProvider": "FARGATE", "weight": 1, "base": 0},)
"""The cluster as a Fargate one is made in the ECS console ("AWS Fargate (serverless)"): both
Fargate providers associated, FARGATE the default strategy, so a bundle with neither
``launchType`` nor ``capacityProviderStrategy`` runs its tasks on Fargate."""
EXECUTION_ROLE = "ecsTaskExecutionRole"
REPOSITORY = "myapp"
"""The ECR repository examples/orders runs its image from (pushing to it redeploys orders)."""
NAMESPACE = "my-namespace"
"""The Cloud Map HTTP namespace the origin document's Service Connect block names."""
ECS_LINKED_ROLE, ECS_SERVICE = "AWSServiceRoleForECS", "ecs.amazonaws.com"
"""The service-linked role an account with a cluster has: "Amazon ECS creates the
service-linked role for you when you create a cluster" (ECS Developer Guide, "Using
service-linked roles for Amazon ECS")."""

_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _once(create: Callable[[], Any], target: str, value: str) -> Any:
    """Run ``create`` with moto's id generator ``target`` returning ``value``."""
    with mock.patch(target, return_value=value):
        return create()


def seed(account_id: str = ACCOUNT_ID, region: str = REGION) -> dict[str, Any]:
    # moto loads here, not at import: the CLI's verbs read this module's names and nothing else
    from moto.ec2.models import ec2_backends
    from moto.iam.models import iam_backends
    from moto.servicediscovery.models import servicediscovery_backends

    from .ecr.models import ecr_backends
    from .ecs.models import ecs_backends

    """Create the demo network, cluster, execution role, repository and Service Connect
    namespace (skipping what exists); return ids."""
    ec2 = ec2_backends[account_id][region]
    if VPC_ID not in ec2.vpcs:
        _once(lambda: ec2.create_vpc(VPC_CIDR), "moto.ec2.models.vpcs.random_vpc_id", VPC_ID)
        ec2.modify_vpc_attribute(VPC_ID, "enable_dns_hostnames", True)  # type: ignore[arg-type]
        for subnet_id, (cidr, zone) in SUBNETS.items():
            create = partial(ec2.create_subnet, VPC_ID, cidr, availability_zone=f"{region}{zone}")
            _once(create, "moto.ec2.models.subnets.random_subnet_id", subnet_id)
        _once(
            lambda: ec2.create_security_group("lattice-demo", "demo service", vpc_id=VPC_ID),
            "moto.ec2.models.security_groups.random_security_group_id",
            SECURITY_GROUP_ID,
        )
        # VPC Lattice reaches the tasks from its managed prefix list: health checks and traffic
        # (VPC Lattice User Guide, "Control traffic to resources using security groups")
        lattice = next(
            p
            for p in ec2.describe_managed_prefix_lists()
            if p.prefix_list_name == f"com.amazonaws.{region}.vpc-lattice"
        )
        ec2.authorize_security_group_ingress(
            SECURITY_GROUP_ID, "tcp", "80", "80", [], prefix_list_ids=[{"PrefixListId": lattice.id}]
        )
    ecs = ecs_backends[account_id][region]
    if CLUSTER not in ecs.clusters:
        ecs.create_cluster(
            CLUSTER,
            capacity_providers=list(CAPACITY_PROVIDERS),
            default_capacity_provider_strategy=[dict(s) for s in DEFAULT_STRATEGY],
        )
    iam = iam_backends[account_id]["global"]
    if ECS_LINKED_ROLE not in {r.name for r in iam.roles.values()}:
        allow = {"Effect": "Allow", "Principal": {"Service": ECS_SERVICE}}
        allow["Action"] = "sts:AssumeRole"
        trust = {"Version": "2012-10-17", "Statement": [allow]}
        iam.create_role(
            ECS_LINKED_ROLE,
            json.dumps(trust),
            f"/aws-service-role/{ECS_SERVICE}/",
            None,
            "Role to enable Amazon ECS to manage your cluster.",
            [],
            None,
            ECS_SERVICE,
        )
    if EXECUTION_ROLE not in {r.name for r in iam.roles.values()}:
        iam.create_role(
            EXECUTION_ROLE, json.dumps(_TRUST), "/", None, "demo task execution role", [], None
        )
    ecr = ecr_backends[account_id][region]
    if REPOSITORY not in ecr.repositories:
        ecr.create_repository(REPOSITORY, None, {}, {}, "MUTABLE", [])
    cloud_map = servicediscovery_backends[account_id][region]
    if NAMESPACE not in {n.name for n in cloud_map.list_namespaces()}:
        cloud_map.create_http_namespace(NAMESPACE, "", "Service Connect (examples)", [])
    return {
        "vpc": VPC_ID,
        "subnets": list(SUBNETS),
        "securityGroup": SECURITY_GROUP_ID,
        "cluster": CLUSTER,
        "repository": REPOSITORY,
        "namespace": NAMESPACE,
    }
