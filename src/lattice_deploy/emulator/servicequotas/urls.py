"""Service Quotas routes: moto's, served by the response class that knows Lattice and ECS."""

from moto.servicequotas.urls import url_bases

from .responses import QuotasResponse

url_paths = {"{0}/$": QuotasResponse.dispatch}

__all__ = ["url_bases", "url_paths"]
