"""ECS wire format: moto's, with CreateService taking every field a Lattice-wired service needs,
ListTaskDefinitions paging and sorting and ListTaskDefinitionFamilies filtering as AWS
documents them."""

from __future__ import annotations

import base64

from moto.core.responses import ActionResult
from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.responses import EC2ContainerServiceResponse

from ..instrumented import InstrumentedResponse
from . import capacity, progressive, service_deployments
from .models import EmulatedEcsBackend, ecs_backends


class EmulatedEcsResponse(InstrumentedResponse, EC2ContainerServiceResponse):
    @property
    def ecs_backend(self) -> EmulatedEcsBackend:
        return ecs_backends[self.current_account][self.region]

    def create_service(self) -> ActionResult:
        """Fargate services run (:mod:`.models`); others are moto's, which never place a task
        here (no container instance): their events say so, as ECS's do."""
        params = self._get_params()
        progressive.check_groups_active(
            self.ecs_backend, params.get("vpcLatticeConfigurations") or []
        )
        cluster = self.ecs_backend._get_cluster(params.get("cluster") or "default")
        launch, strategy = capacity.resolve(cluster, params)
        if capacity.on_fargate(launch, strategy):
            made = self.ecs_backend.create_fargate_service(params, strategy)
            return ActionResult({"service": made})
        if params.get("taskDefinition"):
            task_def = self.ecs_backend.describe_task_definition(params["taskDefinition"])
            capacity.check_compatible(task_def, launch, strategy)
        result = super().create_service()
        service = self.ecs_backend._get_service(cluster.name, params["serviceName"])
        # DescribeServices shows the strategy in place of a launch type (moto keeps neither)
        setattr(service, "capacity_provider_strategy", strategy or None)  # noqa: B010
        service.launch_type = launch
        service.events.insert(0, capacity.placement_event(service.name))
        return result

    def update_service(self) -> ActionResult:
        """moto's, once the groups are checked (:func:`.progressive.check_groups_active`)."""
        configs = self._get_params().get("vpcLatticeConfigurations") or []
        progressive.check_groups_active(self.ecs_backend, configs)
        return super().update_service()

    def create_cluster(self) -> ActionResult:
        capacity.check_association(
            self.ecs_backend,
            self._get_param("capacityProviders") or [],
            self._get_param("defaultCapacityProviderStrategy") or [],
        )
        return super().create_cluster()

    def put_cluster_capacity_providers(self) -> ActionResult:
        """Both lists are required ("You must specify both the available capacity providers and
        a default capacity provider strategy", API Reference) and replace the cluster's."""
        providers = self._get_param("capacityProviders")
        default = self._get_param("defaultCapacityProviderStrategy")
        if providers is None or default is None:
            raise InvalidParameterException(
                "capacityProviders and defaultCapacityProviderStrategy are both required."
            )
        capacity.check_association(self.ecs_backend, providers, default)
        return super().put_cluster_capacity_providers()

    def list_task_definitions(self) -> ActionResult:
        """``sort``, ``maxResults`` and ``nextToken`` as the ECS API reference gives them (moto
        5.2 ignores all three): ASC lists by family name, then revision, newest last; DESC
        reverses both; a page holds at most ``maxResults`` (1-100, default 100) ARNs."""
        sort = self._get_param("sort") or "ASC"
        limit = self._get_param("maxResults")
        limit = 100 if limit is None else limit
        if sort not in ("ASC", "DESC") or not 1 <= limit <= 100:
            raise InvalidParameterException("sort must be ASC or DESC; maxResults 1 to 100.")
        arns = self.ecs_backend.sorted_task_definitions(
            self._get_param("familyPrefix"), self._get_param("status") or "ACTIVE", sort == "DESC"
        )
        start = _offset(self._get_param("nextToken"))
        page = arns[start : start + limit]
        result: dict[str, object] = {"taskDefinitionArns": page}
        if start + limit < len(arns):
            result["nextToken"] = base64.b64encode(str(start + limit).encode()).decode()
        return ActionResult(result)

    def list_task_definition_families(self) -> ActionResult:
        """``status`` honoured (:mod:`.task_definitions`)."""
        families = self.ecs_backend.list_task_definition_families(
            self._get_param("familyPrefix"), self._get_param("status")
        )
        return ActionResult({"families": list(families)})

    # ---- service deployments (:mod:`.service_deployments`)
    def list_service_deployments(self) -> ActionResult:
        listed = service_deployments.listed(
            self.ecs_backend,
            self._get_param("cluster") or "default",
            self._get_param("service"),
            self._get_param("status") or [],
        )
        start = _offset(self._get_param("nextToken"))
        limit = self._get_param("maxResults") or 20
        result: dict[str, object] = {"serviceDeployments": listed[start : start + limit]}
        if start + limit < len(listed):
            result["nextToken"] = base64.b64encode(str(start + limit).encode()).decode()
        return ActionResult(result)

    def describe_service_deployments(self) -> ActionResult:
        found, failures = service_deployments.described(
            self.ecs_backend, self._get_param("serviceDeploymentArns") or []
        )
        return ActionResult({"serviceDeployments": found, "failures": failures})

    def describe_service_revisions(self) -> ActionResult:
        found, failures = service_deployments.revisions(
            self.ecs_backend, self._get_param("serviceRevisionArns") or []
        )
        return ActionResult({"serviceRevisions": found, "failures": failures})


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(base64.b64decode(token).decode())
    except ValueError as exc:
        raise InvalidParameterException("Invalid nextToken.") from exc
