"""The ARNs of a service's revisions and deployments, named after the service's and the
deployment's number (what ListServiceDeployments and the lifecycle hooks' payload show).

Apart from :mod:`.progressive` so that :mod:`.progressive_hooks`, which it drives, can name them
too without importing it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import LatticeAwareService


def revision_arn(service: LatticeAwareService, deployment_id: str) -> str:
    return service.arn.replace(":service/", ":service-revision/") + "/" + _number(deployment_id)


def deployment_arn(service: LatticeAwareService, deployment_id: str) -> str:
    return service.arn.replace(":service/", ":service-deployment/") + "/" + _number(deployment_id)


def _number(deployment_id: str) -> str:
    return deployment_id.rsplit("/", 1)[-1]
