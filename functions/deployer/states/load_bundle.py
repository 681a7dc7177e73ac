"""State ``load_bundle``: read the bundle from S3 (pinned object versions), plan the deployment,
and record what exists before anything changes (``plan.baseline``,
:mod:`deployer.rollback.baseline`).

Reads only: S3 GetObject (the bundle; a tfstate plugin's state), what the templates read
(Parameter Store, Secrets Manager's DescribeSecret, CloudFormation's DescribeStacks and
ListExports: :mod:`deployer.bundle.lookups`), EC2 DescribeSubnets (to learn the VPC of the service's
subnets), the Lattice resources the bundle adopts by ARN (so a missing one fails the run before any
change), and the values a rollback restores (the ECS service, the target group's health check, the
listeners' default actions).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..bundle import ecspresso_yaml, lookups, plugins, render, tfstate, validate
from ..bundle import normalize as bundle
from ..core import aws
from ..core.errors import BundleInvalid, DeployError
from ..core.step import step
from ..ecs import capacity, passable_roles, service_connect
from ..lattice import adopted, ensure_listener, quotas
from ..lattice import find_or_create as lattice
from ..lattice import ingress as lattice_ingress
from ..rollback import baseline


def lookups_of(source: dict[str, Any]) -> lookups.AwsLookups:
    """What the templates read from the account; a state file of the bundle from its folder."""

    def read_file(name: str) -> bytes | None:
        text = _read(source, name, required=False, limit=tfstate.MAX_STATE_BYTES)
        return None if text is None else text.encode()

    return lookups.AwsLookups(read_file)


def _read(
    source: dict[str, Any], name: str, required: bool, limit: int = bundle.MAX_FILE_BYTES
) -> str | None:
    s3 = aws.client("s3")
    request: dict[str, Any] = {
        "Bucket": source["bucket"],
        "Key": f"{source.get('prefix', '')}{name}",
    }
    if version := (source.get("versions") or {}).get(name):
        request["VersionId"] = version
    try:  # at most one byte past the limit is read: a huge object is refused, not loaded
        raw = s3.get_object(**request)["Body"].read(limit + 1)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404") and not required:
            return None
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
            raise BundleInvalid(
                f"{name}: not found at s3://{request['Bucket']}/{request['Key']}"
            ) from exc
        raise
    if limit != bundle.MAX_FILE_BYTES:  # a state file: bounded by its own limit
        if len(raw) > limit:
            raise BundleInvalid(f"{name}: more than {limit >> 20} MiB; give a smaller file")
        return bytes(raw).decode("utf-8", errors="replace")
    return bundle.decode(raw, name)


def _config(source: dict[str, Any]) -> dict[str, str]:
    """The bundle's config by name ({} when it has none: an upload may carry none, and the
    defaults apply), under any of ecspresso's four names. A pinned bundle (the CLI's, a
    trigger's) says which of them it holds by its versions; else each name is looked for.
    Two are refused (:func:`ecspresso_yaml.name_in`)."""
    pinned = source.get("versions")
    names = [n for n in ecspresso_yaml.NAMES if n in pinned] if pinned else ecspresso_yaml.NAMES
    found = {n: text for n in names if (text := _read(source, n, required=False)) is not None}
    ecspresso_yaml.name_in(found)
    return found


def _check_folder(source: dict[str, Any], service: str) -> None:
    """A bundle's folder is named after its ECS service. Why: the turn (one deployment at a
    time, the newest request winning) is the folder's, so two folders naming one service would
    deploy it at once; one folder a service makes the folder's turn the service's."""
    folder = str(source.get("prefix", "")).rstrip("/").rsplit("/", 1)[-1]
    if folder and folder != service:
        raise BundleInvalid(
            f"{source.get('prefix')}: this folder holds a bundle of ECS service {service!r}, and a "
            f"service is deployed from the folder named after it only (one deployment of a "
            f"service at a time); upload it to definitions/{service}/, or set serviceName (or "
            f"ecspresso.yml's service) to {folder!r}"
        )


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
        plan["lattice"]["serviceNetwork"] = {"arn": arn, "named": False}
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


def plan_of(files: dict[str, str], deployment_id: str, environment: str) -> dict[str, Any]:
    """The checked, normalized plan of a bundle, with the account facts it needs (reads only)."""
    validate.check(files, environment)
    plan = bundle.normalize(
        files,
        {
            "deploymentId": deployment_id,
            "environment": environment,
            "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
            "infrastructureRoleArn": os.environ.get("INFRASTRUCTURE_ROLE_ARN"),
        },
    )
    plan["lattice"]["vpcId"] = _vpc_of(plan)
    problems = Problems()
    _check_account(plan, problems)
    for problem in passable_roles.problems(plan):
        problems.add("", BundleInvalid(problem))
    problems.run(_network_of_vpc, plan)
    if adopted.check(plan, problems.add):  # the bundle's service and group are known: their
        problems.run(ensure_listener.refuse_foreign, plan)  # listeners can be checked
    problems.raise_any()
    return plan


def _variables(event: dict[str, Any]) -> dict[str, str]:
    """What ``env``/``must_env`` read: the run's ``templateEnv`` (the CLI's), else the optional
    ``env.json`` uploaded beside the bundle."""
    if "templateEnv" in event:
        return {str(k): str(v) for k, v in (event["templateEnv"] or {}).items()}
    text = _read(event["bundle"], render.ENV_FILE, required=False)
    if text is None:
        return {}
    values = bundle.parse_json(text, render.ENV_FILE)
    return {str(k): str(v) for k, v in values.items()}


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    source, variables = event["bundle"], _variables(event)
    account = lookups_of(source)
    configs = _config(source)
    account.read_ahead(render.ssm_names(configs, variables))
    files = {  # the config first, without the plugins: ecspresso loads it before setting them up
        name: render.render(text, name, variables, account.ssm) for name, text in configs.items()
    }
    config = bundle.config_of(files)
    functions = plugins.functions(config, account)
    texts = {name: _read(source, name, required=True) or "" for name in bundle.file_names(config)}
    account.read_ahead(render.ssm_names(texts, variables, functions))
    for name, text in texts.items():
        files[name] = render.render(text, name, variables, account.ssm, functions)
    environment = event.get("environment") or os.environ.get("ENVIRONMENT_NAME") or "dev"
    plan = plan_of(
        bundle.with_images(files, event.get("images") or {}), event["deploymentId"], environment
    )
    _check_folder(source, plan["serviceName"])
    plan["warnings"] = validate.notices_in(files, environment) + plan.get("warnings", [])
    plan["baseline"] = baseline.read(plan)  # before anything changes: what a rollback restores
    plan["warnings"] += service_connect.turned_off(plan)
    return plan
