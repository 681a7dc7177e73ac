"""The smoke test's bundles: a throwaway copy of ``examples/myservice``, and the same copy made to
fail its health gate.

Why a copy under a new name: the test must never touch a service someone runs. Its ECS service,
task definition family and so every name a run derives (``<env>-<name>-service``,
``-targetgroup``, ``-listener``) and every tag it writes (``lattice-deploy:service``) carry
``smoke-<random>``, which is what the teardown looks for.

Why the example is re-pointed and not run as is: it names the origin document's network
(cluster ``my-cluster``, ``subnet-12345678``/``subnet-87654321``, ``sg-12345678``, an execution
role in account 123456789012) and a Service Connect namespace ``my-namespace``. ``serve``'s demo
account has all of them (``emulator/demo_account.py``), a real account has none: the caller's
:class:`Placement` replaces them. The Service Connect block is dropped in every case: it is not
what the smoke test proves, and on AWS it makes Cloud Map entries no deploy tags.

Why the failing run adopts a target group instead of changing the bundle's health check: every
bundle health check that could never pass (a port no container maps, an HTTP version the port
does not speak, checks turned off) is refused by ``validate`` before any change
(``functions/deployer/lattice/health_check.py``), and a path the container does not serve passes
``validate`` but not on every AWS: the embedded one answers every path (``emulator/vpclattice/
targets.py``). A group the bundle names by ARN is adopted as it is, and its health check aims at
port :data:`UNSERVED_PORT`, where no container listens: on AWS the check is refused or times out,
on the embedded AWS no port mapping answers it, so each new target turns UNHEALTHY with no fault
injected, and the run must fail and roll back. Its task definition changes too (an environment
variable), so the run registers a revision its rollback must remove.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deployer.bundle import normalize as bundle

from . import app, execution

SMOKE_TAG = "lattice-deploy:smoke"
UNSERVED_PORT = 1
"""tcpmux: nothing a task runs listens there, and security groups rarely open it."""
UNPASSABLE = {
    "enabled": True,
    "port": UNSERVED_PORT,
    "path": "/lattice-deploy-smoke/unserved",
    "healthCheckIntervalSeconds": 5,
    "healthCheckTimeoutSeconds": 2,
    "healthyThresholdCount": 2,
    "unhealthyThresholdCount": 2,
}
"""Fails as fast as VPC Lattice lets a check fail: two failed checks 5 s apart."""
MARKER = {"name": "LATTICE_DEPLOY_SMOKE", "value": "run-2"}


def example() -> Path:
    """``examples/myservice`` as the installed package (or the checkout) carries it."""
    return app.root() / "examples" / "myservice"


def new_name() -> str:
    """``smoke-`` and 6 random hex digits: unique enough for a test that removes itself, short
    enough that every derived VPC Lattice name stays readable (``dev-smoke-1a2b3c-service``)."""
    return f"smoke-{secrets.token_hex(3)}"


@dataclass
class Placement:
    """Where the throwaway service runs. ``None``: the example's own value (serve's demo)."""

    region: str
    cluster: str = ""
    subnets: list[str] = field(default_factory=list)
    security_groups: list[str] = field(default_factory=list)
    execution_role: str | None = None
    image: str | None = None
    service_network: str | None = None
    public_ip: bool = False

    def __post_init__(self) -> None:
        self.cluster = self.cluster or str(_example_files()[0].get("cluster") or "default")


def _example_files() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    files = execution.read_bundle(example())
    config = bundle.config_of(files)
    service_file, task_file = bundle.file_names(config)
    return config, json.loads(files[service_file]), json.loads(files[task_file])


def _write(directory: Path, config: str, service: dict[str, Any], task: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / bundle.CONFIG_FILE).write_text(config)
    (directory / bundle.SERVICE_FILE).write_text(json.dumps(service, indent=2) + "\n")
    (directory / bundle.TASK_FILE).write_text(json.dumps(task, indent=2) + "\n")


def write(directory: Path, name: str, where: Placement) -> dict[str, Any]:
    """Write the throwaway bundle into ``directory``; the service definition as written."""
    config, service, task = _example_files()
    service["serviceName"] = name
    service.pop("serviceConnectConfiguration", None)
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    if where.subnets:
        network["subnets"] = list(where.subnets)
    if where.security_groups:
        network["securityGroups"] = list(where.security_groups)
    if where.public_ip:
        network["assignPublicIp"] = "ENABLED"
    lattice = service.setdefault("vpcLatticeConfiguration", {"enabled": True})
    if where.service_network:
        lattice["serviceNetwork"] = where.service_network
    task["family"] = name
    if where.execution_role:
        task["executionRoleArn"] = where.execution_role
    if where.image:
        task["containerDefinitions"][0]["image"] = where.image
    lines = {
        "region": where.region,
        "cluster": where.cluster,
        "service": name,
        "service_definition": bundle.SERVICE_FILE,
        "task_definition": bundle.TASK_FILE,
        "timeout": config.get("timeout", "10m"),
    }
    _write(directory, "".join(f"{k}: {v}\n" for k, v in lines.items()), service, task)
    return service


def make_failing(directory: Path, group_arn: str) -> None:
    """Turn the bundle in ``directory`` into run 2's: wired to ``group_arn`` (the unpassable
    check's group), with a task definition that differs by :data:`MARKER`."""
    service = json.loads((directory / bundle.SERVICE_FILE).read_text())
    task = json.loads((directory / bundle.TASK_FILE).read_text())
    service["vpcLatticeConfiguration"]["targetGroupArn"] = group_arn
    container = task["containerDefinitions"][0]
    container["environment"] = [*(container.get("environment") or []), MARKER]
    _write(directory, (directory / bundle.CONFIG_FILE).read_text(), service, task)


def unpassable_group(lattice: Any, like: dict[str, Any], name: str) -> dict[str, Any]:
    """Create ``<name>-unserved-port``: a copy of run 1's group ``like`` (GetTargetGroup's answer:
    same VPC, port, protocol) whose health check cannot pass, tagged as the test's."""
    config = like["config"]
    check = {**(config.get("healthCheck") or {}), **UNPASSABLE}
    made: dict[str, Any] = lattice.create_target_group(
        name=f"{name}-unserved-port",
        type="IP",
        config={
            "port": config["port"],
            "protocol": config["protocol"],
            "protocolVersion": config.get("protocolVersion") or "HTTP1",
            "ipAddressType": config.get("ipAddressType") or "IPV4",
            "vpcIdentifier": config["vpcIdentifier"],
            "healthCheck": check,
        },
        tags={SMOKE_TAG: name},
    )
    return made
