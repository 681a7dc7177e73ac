"""Stage 3 of loading a bundle: the plan, checked offline and then against the account.

:func:`plan_of` is what the run (``load_bundle``) and the CLI (``plan``, ``validate --account``)
both call on rendered files, so that what the CLI accepts the run accepts: the bundle's own rules
(:mod:`.validate`), the plan they normalize into (:mod:`.normalize`), then what only the account
knows, each problem collected and all said at once. Reads only: EC2 (subnets, security groups,
prefix lists), ECS (the cluster), IAM (the roles passed), VPC Lattice (the VPC's association, the
resources adopted by ARN, the listeners of an adopted service, the target-group quota).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid, DeployError
from ..ecs import capacity, passable_roles, service_connect
from ..lattice import adopted, custom_domain, ensure_auth, ensure_listener, known, quotas, routes
from ..lattice import find_or_create as lattice
from ..lattice import ingress as lattice_ingress
from . import normalize, validate


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
    try:
        found = aws.client("ec2", plan["region"] or None).describe_subnets(SubnetIds=subnets)[
            "Subnets"
        ]
    except ClientError as exc:
        raise BundleInvalid(
            f"ecs-service-def.json: networkConfiguration.awsvpcConfiguration.subnets: "
            f"{exc.response['Error']['Message']}; use subnets that exist in the deployment's region"
        ) from exc
    vpcs = sorted({s["VpcId"] for s in found})
    if len(vpcs) != 1:
        raise BundleInvalid(
            f"ecs-service-def.json: subnets {subnets} span VPCs {vpcs}; use one VPC"
        )
    return str(vpcs[0])


class Problems:
    """The account's problems of one bundle, collected: each said as ``file: field: what is
    wrong; fix``, all at once (one round trip, not one per problem)."""

    FILE = re.compile(r"^[\w./-]+\.(json|jsonnet|yml|yaml): ")

    def __init__(self) -> None:
        self.found: list[tuple[str, Exception]] = []

    def add(self, where: str, exc: Exception) -> None:
        self.found.append((where, exc))

    def run(self, check: Callable[..., Any], *args: Any) -> Any:
        try:
            return check(*args)
        except DeployError as exc:
            self.add("", exc)
            return None

    def raise_any(self) -> None:
        """Raise them, as the one kind they all are (NotFound, ...), else BundleInvalid."""
        if not self.found:
            return
        texts = [
            f"{where}: {exc}" if where and not self.FILE.match(str(exc)) else str(exc)
            for where, exc in self.found
        ]
        kinds = {type(exc) for _, exc in self.found}
        kind = kinds.pop() if len(kinds) == 1 else BundleInvalid
        if len(texts) == 1:
            raise kind(texts[0]) from self.found[0][1]
        raise kind(
            f"{len(texts)} problem(s) against the account:\n" + "\n".join(f"- {t}" for t in texts)
        )


def _check_account(plan: dict[str, Any], problems: Problems) -> None:
    """The cluster and the security groups the bundle names exist, the groups in the VPC, the
    capacity the service asks for is the cluster's, the target groups it makes fit the Region's
    quota; a warning (``plan.warnings``) when the groups do not let VPC Lattice in."""
    region, vpc = plan["region"] or None, plan["lattice"]["vpcId"]
    groups = plan["lattice"]["securityGroupIds"]
    where = "ecs-service-def.json: networkConfiguration.awsvpcConfiguration.securityGroups"
    found: list[dict[str, Any]] = []
    try:
        if groups:
            found = aws.client("ec2", region).describe_security_groups(GroupIds=groups)[
                "SecurityGroups"
            ]
    except ClientError as exc:
        problems.add(
            where,
            BundleInvalid(f"{exc.response['Error']['Message']}; use security groups of VPC {vpc}"),
        )
    for group in found:
        if group["VpcId"] != vpc:
            problems.add(
                where,
                BundleInvalid(
                    f"{group['GroupId']} is in VPC {group['VpcId']}, the subnets in {vpc}; "
                    f"use groups of {vpc}"
                ),
            )
    check = plan["lattice"]["targetGroup"].get("healthCheck") or {}
    ports = {int(plan["lattice"]["containerPort"]), int(check.get("port") or 0)} - {0}
    plan["warnings"] = lattice_ingress.warnings(aws.client("ec2", region), found, ports)
    problems.run(quotas.check_target_groups, plan)  # two groups a progressive service
    clusters = aws.client("ecs", region).describe_clusters(clusters=[plan["cluster"]])["clusters"]
    active = [c for c in clusters if c.get("status") == "ACTIVE"]
    if not active:
        problems.add(
            "ecspresso.yml: cluster",
            BundleInvalid(
                f"ECS cluster {plan['cluster']!r} does not exist in {region or 'this region'}; "
                "create it or fix the name"
            ),
        )
        return
    problems.run(service_connect.check, plan, active[0], region)
    for problem in capacity.problems(plan, active[0]):
        problems.add("", BundleInvalid(problem))


def _network_of_vpc(plan: dict[str, Any]) -> None:
    """A VPC joins one service network only. Already associated (by hand, as the origin
    document's procedure does): a bundle that names no network uses that one (adopted, never
    deleted); a bundle that names another is refused before any change, with both ways out."""
    vpc, wanted = plan["lattice"]["vpcId"], plan["lattice"]["serviceNetwork"]
    found = lattice.find(
        lattice.client(plan),
        "list_service_network_vpc_associations",
        lambda _: True,
        vpcIdentifier=vpc,
    )
    if not found:
        return
    arn, name = found["serviceNetworkArn"], found["serviceNetworkName"]
    if wanted.get("arn", arn) == arn and wanted.get("name", name) == name:
        return
    if not wanted.get("named"):
        plan["lattice"]["serviceNetwork"] = {"arn": arn, "named": False} | (
            {"auth": wanted["auth"]} if "auth" in wanted else {}  # adopted: ensure_auth.notices
        )
        return
    asked = wanted.get("arn") or wanted.get("name")
    raise BundleInvalid(
        f"ecs-service-def.json: vpcLatticeConfiguration.serviceNetwork: VPC {vpc} is already "
        f"associated with service network {name} ({arn}), and a VPC joins one service network "
        f"only; the bundle names {asked}. Either name {arn} there (or leave serviceNetwork out to "
        f"use it), or remove that association first: aws vpc-lattice "
        f"delete-service-network-vpc-association --service-network-vpc-association-identifier "
        f"{found['id']}"
    )


def _domain_and_routes(plan: dict[str, Any]) -> None:
    """The custom domain's certificate, zone and record; the routes' groups and priorities."""
    custom_domain.check(plan)
    if plan["lattice"].get("routes"):
        routes.check(plan, custom_domain.existing_service(plan))


def plan_of(files: dict[str, str], deployment_id: str, environment: str) -> dict[str, Any]:
    """The checked, normalized plan of a bundle, with the account facts it needs (reads only)."""
    validate.check(files, environment)
    plan = normalize.normalize(
        files,
        {
            "deploymentId": deployment_id,
            "environment": environment,
            "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
            "infrastructureRoleArn": os.environ.get("INFRASTRUCTURE_ROLE_ARN"),
        },
    )
    plan["lattice"]["vpcId"] = _vpc_of(plan)
    plan["lattice"]["known"] = known.read(plan, lattice.client(plan))  # a redeploy's, by ARN
    problems = Problems()
    _check_account(plan, problems)
    for problem in passable_roles.problems(plan):
        problems.add("", BundleInvalid(problem))
    problems.run(_network_of_vpc, plan)
    if adopted.check(plan, problems.add):  # the bundle's service and group are known: their
        problems.run(ensure_listener.refuse_foreign, plan)  # listeners can be checked
        problems.run(_domain_and_routes, plan)
    problems.raise_any()
    plan["warnings"] += ensure_auth.notices(plan)  # auth asked of what the bundle does not own
    return plan
