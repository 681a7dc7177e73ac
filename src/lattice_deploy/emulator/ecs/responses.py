"""ECS wire format: moto's, with CreateService taking every field a Lattice-wired service needs."""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ecs.responses import EC2ContainerServiceResponse

from ..instrumented import InstrumentedResponse
from .models import EmulatedEcsBackend, ecs_backends


class EmulatedEcsResponse(InstrumentedResponse, EC2ContainerServiceResponse):
    @property
    def ecs_backend(self) -> EmulatedEcsBackend:
        return ecs_backends[self.current_account][self.region]

    def create_service(self) -> ActionResult:
        params = self._get_params()
        if params.get("launchType") != "FARGATE":
            return super().create_service()
        return ActionResult({"service": self.ecs_backend.create_fargate_service(params)})
