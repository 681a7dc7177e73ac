"""Cloud Map namespaces as AWS describes them, where moto 5.2 differs.

Why: moto gives an HTTP namespace ``DnsProperties: {"SOA": {}}``, an SOA record without its
required ``TTL``. An HTTP namespace has no Route 53 hosted zone (it is discovered through the API
alone, "HTTP namespaces", Cloud Map Developer Guide), so it has no SOA record either: its
``DnsProperties`` are empty, and only ``HttpProperties.HttpName`` describes it.
"""

from __future__ import annotations

from typing import Any

from moto.servicediscovery.models import ServiceDiscoveryBackend

_original_create_http_namespace = ServiceDiscoveryBackend.create_http_namespace


def _create_http_namespace(self: ServiceDiscoveryBackend, *args: Any, **kwargs: Any) -> str:
    operation_id = _original_create_http_namespace(self, *args, **kwargs)
    created = self.operations[operation_id].targets["NAMESPACE"]
    self.namespaces[created].dns_properties = {}
    return operation_id


def install() -> None:
    """Idempotent: the original is kept once, at import."""
    ServiceDiscoveryBackend.create_http_namespace = _create_http_namespace  # type: ignore[method-assign]
