"""ECS Service Connect as CreateService/UpdateService treat it (moto 5.2 drops the block).

What AWS documents and this follows (ECS API Reference, ``ServiceConnectConfiguration``,
``Deployment``, ``ServiceConnectServiceResource``; ECS Developer Guide, "Service Connect"):
- the configuration is returned on each deployment (the ``Service`` shape has no such member),
  with ``serviceConnectResources``: one Cloud Map service per Service Connect service, named
  ``discoveryName`` or else the port name, made in the namespace by ECS;
- ``namespace`` is a Cloud Map namespace's name or ARN in the service's region; left out, the
  cluster's ``serviceConnectDefaults`` namespace applies; one Cloud Map does not hold is refused
  with ``NamespaceNotFoundException`` (its message as users report it:
  terraform-aws-modules/terraform-aws-ecs#116);
- an update that leaves the block out keeps the service's configuration.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.ecs.exceptions import ECSException, InvalidParameterException
from moto.servicediscovery.models import servicediscovery_backends


class NamespaceNotFoundException(ECSException):
    def __init__(self, namespace: str) -> None:
        super().__init__(
            "NamespaceNotFoundException", f"Failed to retrieve namespace for {namespace}"
        )


def _cloud_map(account_id: str, region: str) -> Any:
    return servicediscovery_backends[account_id][region]


def _namespace(cloud_map: Any, wanted: str) -> Any:
    for namespace in cloud_map.list_namespaces():
        if wanted in (namespace.name, namespace.arn, namespace.id):
            return namespace
    raise NamespaceNotFoundException(wanted)


def resolve(
    config: dict[str, Any] | None, cluster: Any, account_id: str, region: str
) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """``(configuration as ECS keeps it, serviceConnectResources)`` for a request's block."""
    if not config:
        return None, []
    kept = copy.deepcopy(config)
    if not kept.get("enabled"):
        if kept.get("services"):
            raise InvalidParameterException(
                "Service Connect services cannot be specified when Service Connect is disabled."
            )
        return kept, []
    defaults = getattr(cluster, "service_connect_defaults", None) or {}
    wanted = kept.get("namespace") or defaults.get("namespace")
    if not wanted:
        raise InvalidParameterException(
            "Service Connect namespace must be specified, or the cluster must have a default "
            "Service Connect namespace."
        )
    cloud_map = _cloud_map(account_id, region)
    namespace = _namespace(cloud_map, str(wanted))
    kept["namespace"] = kept.get("namespace") or namespace.arn
    resources = []
    for service in kept.get("services") or []:
        name = str(service.get("discoveryName") or service.get("portName"))
        found = next(
            (
                s
                for s in cloud_map.list_services()
                if s.name == name and s.namespace_id == namespace.id
            ),
            None,
        ) or cloud_map.create_service(
            name=name,
            namespace_id=namespace.id,
            creator_request_id="",
            description="Managed by Amazon ECS",
            dns_config=None,  # an HTTP namespace's service: no DNS records, no Route 53 check
            health_check_config=None,
            health_check_custom_config={},
            tags=[],
            service_type="HTTP",
        )
        resources.append({"discoveryName": name, "discoveryArn": found.arn})
    return kept, resources
