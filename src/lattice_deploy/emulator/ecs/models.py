"""ECS state registered in moto's place: FARGATE services that run tasks, wired to VPC Lattice.

moto 5.2 never starts a service's tasks, ignores ``vpcLatticeConfigurations`` and leaves every
rollout IN_PROGRESS. Here a FARGATE/awsvpc service starts ``desiredCount`` tasks, each with an ENI
and a private IPv4 address from the service's subnets; a task of a service with
``vpcLatticeConfigurations`` is registered by IP, at the container port named by ``portName``, in
each target group, and deregistered when it stops. Rollouts move on in virtual time
(:mod:`.rollout`).
"""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict
from moto.ecs.exceptions import InvalidParameterException, ServiceNotFoundException
from moto.ecs.models import Service, Task, TaskDefinition
from moto.moto_api._internal import mock_random

from ..clock import CLOCK
from ..epoch import EPOCH
from ..faults import FAULTS
from ..vpclattice.models import lattice_backends
from . import (
    addresses,
    arns,
    capacity,
    lattice_wiring,
    progressive,
    service_connect,
    task_reads,
)
from .rollout import reconcile
from .task_definitions import TaskDefinitionRules
from .tasks import FargateTask

DESCRIBE_TASKS_LIMIT = 100


class LatticeAwareService(Service):
    """moto's Service plus the fields ECS returns for Lattice-wired, circuit-broken rollouts."""

    def __init__(
        self, *, params: dict[str, Any], strategy: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.capacity_provider_strategy = strategy or None
        """What DescribeServices shows in place of ``launchType`` (None: a launch type; "this
        field is omitted if the service was created using a launch type", API Reference)."""
        self.vpc_lattice_configurations: list[dict[str, Any]] = (
            params.get("vpcLatticeConfigurations") or []
        )
        self.deployment_configuration = {
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "deploymentCircuitBreaker": {"enable": False, "rollback": False},
            **(params.get("deploymentConfiguration") or {}),
        }
        self.created_at = CLOCK.datetime()
        self.deployments: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.production_group: str | None = None
        """The target group production traffic reaches (progressive strategies alternate)."""
        self.history: list[dict[str, Any]] = []
        """Every deployment, oldest first: what ListServiceDeployments lists."""
        self.reconciling = False
        self.quiet: tuple[tuple[str, ...], tuple[int, ...], float] | None = None
        """``(keys, stamp, until)``: its last replay found nothing due before ``until``, with
        its keys' changes at ``stamp`` (:mod:`..epoch`, :func:`.rollout.quiet_until`)."""
        self.service_connect: tuple[dict[str, Any] | None, list[dict[str, str]]] = (None, [])
        """``(configuration, resources)`` each new deployment carries (:mod:`.service_connect`)."""

    @property
    def current_service_deployment(self) -> str | None:
        """``currentServiceDeployment``, "The ARN of the current service deployment" (ECS API
        Reference, Service): the newest, the one ListServiceDeployments lists first."""
        return arns.deployment_arn(self, self.history[-1]["id"]) if self.history else None


class EmulatedEcsBackend(TaskDefinitionRules):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self._next_ip: dict[str, int] = {}
        self._hosts: dict[str, list[str]] = {}
        self._tasks_of: dict[str, dict[str, FargateTask]] = {}
        """A service's tasks (``cluster:service``): its scheduler's reads are O(its tasks), not
        O(the cluster's)."""

    @property
    def lattice(self) -> Any:
        return lattice_backends[self.account_id][self.region_name]

    # ---- services ----------------------------------------------------------------------------
    def create_fargate_service(
        self, params: dict[str, Any], strategy: list[dict[str, Any]]
    ) -> LatticeAwareService:
        """A service whose tasks run on Fargate: launch type FARGATE, or ``strategy`` (its
        capacity providers, resolved by :func:`.capacity.resolve`)."""
        cluster = self._get_cluster(params.get("cluster") or "default")
        name = params["serviceName"]
        existing = self.services.get(f"{cluster.name}:{name}")
        if existing is not None and existing.status != "INACTIVE":
            raise InvalidParameterException("Creation of service was not idempotent.")
        task_def = self.usable_task_definition(params["taskDefinition"])
        capacity.check_compatible(task_def, None if strategy else "FARGATE", strategy)
        self._check_lattice(task_def, params.get("vpcLatticeConfigurations") or [])
        connect = service_connect.resolve(
            params.get("serviceConnectConfiguration"), cluster, self.account_id, self.region_name
        )
        service = LatticeAwareService(  # type: ignore[abstract]
            params=params,
            cluster=cluster,
            service_name=name,
            desired_count=int(params.get("desiredCount") or 0),
            backend=self,
            task_definition=task_def,
            tags=params.get("tags"),
            launch_type=None if strategy else "FARGATE",
            strategy=strategy,
            platform_version=params.get("platformVersion") or "LATEST",
            network_configuration=params.get("networkConfiguration"),
            propagate_tags=params.get("propagateTags") or "NONE",
        )
        service.service_connect = connect
        self.services[f"{cluster.name}:{name}"] = service
        self.new_deployment(service)
        reconcile(self, service)
        return service

    def update_service(self, service_properties: dict[str, Any]) -> Service:
        props = dict(service_properties)
        service = self._get_service(props.get("cluster") or "default", props["service"])
        if not isinstance(service, LatticeAwareService):
            return super().update_service(service_properties)
        if service.status != "ACTIVE":
            raise ServiceNotFoundException()
        reconcile(self, service)
        redeploy = bool(props.get("force_new_deployment"))
        if props.get("task_definition"):
            arn = self.usable_task_definition(props["task_definition"]).arn
            redeploy |= arn != service.task_definition
            service.task_definition = arn
        for key, attr in (
            ("network_configuration", "network_configuration"),
            ("vpc_lattice_configurations", "vpc_lattice_configurations"),
        ):
            if props.get(key) is not None and props[key] != getattr(service, attr):
                setattr(service, attr, props[key])
                redeploy = True
        if props.get("capacity_provider_strategy"):  # left out: kept as it is (API Reference)
            _, strategy = capacity.resolve(
                self._get_cluster(service.cluster_name),
                {"capacityProviderStrategy": props["capacity_provider_strategy"]},
            )
            if not capacity.on_fargate(None, strategy):
                raise InvalidParameterException(
                    "The embedded AWS runs services on Fargate only: use FARGATE or FARGATE_SPOT."
                )
            redeploy |= strategy != (service.capacity_provider_strategy or [])
            service.capacity_provider_strategy, service.launch_type = strategy, None
        if props.get("service_connect_configuration") is not None:  # left out: kept as it is
            connect = service_connect.resolve(
                props["service_connect_configuration"],
                self._get_cluster(service.cluster_name),
                self.account_id,
                self.region_name,
            )
            redeploy |= connect != service.service_connect
            service.service_connect = connect
        if redeploy:  # what a new deployment registers into must exist; a scale-down needs none
            self._check_lattice(
                self.describe_task_definition(service.task_definition or ""),
                service.vpc_lattice_configurations,
            )
        if props.get("deployment_configuration"):
            service.deployment_configuration.update(props["deployment_configuration"])
        if props.get("desired_count") is not None:
            service.desired_count = int(props["desired_count"])
            service.deployments[0]["desiredCount"] = service.desired_count
        if redeploy:
            self.new_deployment(service)
        reconcile(self, service)
        return service

    def delete_service(self, cluster_name: str, service_name: str, force: bool) -> Service:
        service = self._get_service(cluster_name, service_name)
        if not isinstance(service, LatticeAwareService):
            return super().delete_service(cluster_name, service_name, force)
        if service.status != "ACTIVE":
            raise ServiceNotFoundException()
        if service.desired_count > 0 and not force:
            raise InvalidParameterException(
                "The service cannot be stopped while it is scaled above 0."
            )
        reconcile(self, service)
        for task in self.service_tasks(service):
            self.stop_service_task(task, "Service deleted", CLOCK.now())
        service.desired_count, service.running_count, service.pending_count = 0, 0, 0
        service.status = "INACTIVE"
        service.deployments = []
        return service

    def describe_services(
        self, cluster_str: str, service_names_or_arns: list[str]
    ) -> tuple[list[Service], list[dict[str, str]]]:
        found, failures = super().describe_services(cluster_str, service_names_or_arns)
        for service in found:
            if isinstance(service, LatticeAwareService) and service.status == "ACTIVE":
                reconcile(self, service)
        return found, failures

    def list_services(
        self,
        cluster_str: str,
        scheduling_strategy: str | None = None,
        launch_type: str | None = None,
    ) -> list[str]:
        """ACTIVE services only (moto lists deleted ones too): once deleted, "the service status
        moves from ACTIVE to DRAINING, and the service is no longer visible in the console or in
        ListServices API operations" (ECS API Reference, DeleteService)."""
        listed = super().list_services(cluster_str, scheduling_strategy, launch_type)
        gone = {s.arn for s in self.services.values() if s.status != "ACTIVE"}
        return [arn for arn in listed if arn not in gone]

    def reconcile_all(self) -> None:
        """Replay every ACTIVE service but those with nothing due since nothing changed
        (:mod:`..epoch`)."""
        now, stamp = CLOCK.now(), EPOCH.stamp
        for service in list(self.services.values()):
            if isinstance(service, LatticeAwareService) and service.status == "ACTIVE":
                quiet = getattr(service, "quiet", None)
                if quiet and len(quiet) == 3 and now < quiet[2] and stamp(quiet[0]) == quiet[1]:
                    continue
                reconcile(self, service)

    def faults_in_force(self) -> bool:
        return bool(FAULTS.rules(self.account_id))

    # ---- tasks ---------------------------------------------------------------------------------
    def list_tasks(
        self,
        cluster_str: str | None = None,
        container_instance: str | None = None,
        family: str | None = None,
        started_by: str | None = None,
        service_name: str | None = None,
        desiredStatus: str | None = None,
    ) -> list[Task]:
        self.reconcile_all()
        if service_name and not (container_instance or family or started_by):
            return task_reads.of_service(
                self, cluster_str, service_name, desiredStatus or "RUNNING"
            )
        tasks = super().list_tasks(
            cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING"
        )
        if service_name:
            name = service_name.rsplit("/", 1)[-1]
            tasks = [t for t in tasks if t.group == f"service:{name}"]
        return tasks

    def describe_tasks(self, cluster_str: str, tasks: list[str]) -> list[Task]:
        """At most 100 tasks a call: "A list of up to 100 task IDs or full ARN entries" (ECS API
        Reference, DescribeTasks, ``tasks``); more is refused as a bad parameter."""
        if len(tasks) > DESCRIBE_TASKS_LIMIT:
            raise InvalidParameterException(
                f"DescribeTasks takes up to {DESCRIBE_TASKS_LIMIT} tasks; {len(tasks)} given."
            )
        if not tasks:
            raise InvalidParameterException("Tasks cannot be empty.")
        self.reconcile_all()
        return task_reads.described(self, cluster_str, tasks)

    def task_ports(self, ip: str) -> dict[int, str] | None:
        """The container ports of the live task with this IP and the HTTP version each speaks
        (``appProtocol`` http2 and grpc: HTTP2; else HTTP1); None when no task has the IP."""
        for tasks in self.tasks.values():
            for t in tasks.values():
                if isinstance(t, FargateTask) and t.ip == ip and t.last_status != "STOPPED":
                    return {
                        int(m["containerPort"]): (
                            "HTTP2" if m.get("appProtocol") in ("http2", "grpc") else "HTTP1"
                        )
                        for m in lattice_wiring.port_mappings(t.definition)
                    }
        return None

    def task_names(self, ip: str) -> list[str]:
        """The fault-matching names of the live task with this IP (none: not a task's)."""
        return [
            name
            for tasks in self.tasks.values()
            for t in tasks.values()
            if isinstance(t, FargateTask) and t.ip == ip and t.last_status != "STOPPED"
            for name in t.fault_names
        ]

    def service_tasks(self, service: Service) -> list[FargateTask]:
        return [
            t
            for t in self._tasks_of.get(f"{service.cluster_name}:{service.name}", {}).values()
            if t.desired_status == "RUNNING"  # a stopping task is no longer the scheduler's
        ]

    def new_deployment(self, service: LatticeAwareService) -> dict[str, Any]:
        blue = next((d for d in service.deployments if d["rolloutState"] == "COMPLETED"), None)
        for old in service.deployments:
            old["status"] = "ACTIVE"
        now = CLOCK.datetime()
        dep_id = f"ecs-svc/{mock_random.randint(10**18, 10**19 - 1)}"
        deployment: dict[str, Any] = {
            "id": dep_id,
            "status": "PRIMARY",
            "taskDefinition": service.task_definition,
            "desiredCount": service.desired_count,
            "pendingCount": 0,
            "runningCount": 0,
            "failedTasks": 0,
            "createdAt": now,
            "updatedAt": now,
            **(
                {"capacityProviderStrategy": service.capacity_provider_strategy}
                if service.capacity_provider_strategy
                else {"launchType": "FARGATE"}
            ),
            "platformVersion": "1.4.0",
            "platformFamily": "Linux",
            "networkConfiguration": service.network_configuration,
            "rolloutState": "IN_PROGRESS",
            "rolloutStateReason": f"ECS deployment {dep_id} in progress.",
            "vpcLatticeConfigurations": list(service.vpc_lattice_configurations),
        }
        connect, resources = service.service_connect
        if connect is not None:
            deployment["serviceConnectConfiguration"] = connect
            deployment["serviceConnectResources"] = resources
        service.deployments.insert(0, deployment)
        service.history.append(deployment)
        progressive.start(self, service, deployment, blue)
        return deployment

    def start_service_task(
        self, service: LatticeAwareService, deployment: dict[str, Any], at: float
    ) -> FargateTask:
        task_def = self.describe_task_definition(deployment["taskDefinition"])
        net = deployment["networkConfiguration"]["awsvpcConfiguration"]
        key = f"{service.cluster_name}:{service.name}"
        count = len(self._tasks_of.get(key, {}))
        subnet_id = net["subnets"][count % len(net["subnets"])]
        ip = addresses.allocate(self, subnet_id)
        provider = capacity.provider_for(
            service.capacity_provider_strategy or [],
            [t.capacity_provider_name for t in self.service_tasks(service)],
        )
        task = FargateTask(
            service,
            deployment["id"],
            ip,
            cluster=self._get_cluster(service.cluster_name),
            task_definition=task_def,
            container_instance_arn=None,
            resource_requirements=None,
            backend=self,
            group=f"service:{service.name}",
            launch_type="FARGATE",
            capacity_provider_name=provider,
            started_by=deployment["id"],
            networking_configuration={"awsvpcConfiguration": {**net, "subnets": [subnet_id]}},
            platform_version="1.4.0",
        )
        task.started_at_v, task.created_at = at, CLOCK.datetime()
        addresses.assign(self, task, ip)
        self.tasks.setdefault(service.cluster_name, {})[task.task_arn] = task
        self._tasks_of.setdefault(key, {})[task.task_arn] = task
        return task

    def register_task(self, task: FargateTask, at: float) -> None:
        lattice_wiring.register(self, task, at)

    def stop_service_task(
        self, task: FargateTask, reason: str, at: float, code: str = "ServiceSchedulerInitiated"
    ) -> None:
        lattice_wiring.deregister(self, task)
        task.stop(reason, code, at)

    def _service_of(self, task: FargateTask) -> LatticeAwareService:
        return self.services[f"{task.cluster_name}:{task.service_name}"]  # type: ignore[return-value]

    # ---- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _lattice_ports(
        task_def: TaskDefinition, configs: list[dict[str, Any]]
    ) -> list[tuple[dict[str, Any], int]]:
        return lattice_wiring.lattice_ports(task_def, configs)

    def _check_lattice(self, task_def: TaskDefinition, configs: list[dict[str, Any]]) -> None:
        lattice_wiring.check(self, task_def, configs)


ecs_backends: BackendDict[EmulatedEcsBackend] = BackendDict(EmulatedEcsBackend, "ecs")
