"""Service Quotas' reads of VPC Lattice and ECS quotas, in its JSON wire format.

As the Service Quotas API reference gives them (GetServiceQuota, GetAWSDefaultServiceQuota,
ListServiceQuotas, ListAWSDefaultServiceQuotas: https://docs.aws.amazon.com/servicequotas/
2019-06-24/apireference/API_GetServiceQuota.html and its siblings): one ``Quota``, or a page of
``Quotas`` with ``NextToken`` (``MaxResults`` default 100).
"""

from __future__ import annotations

import json
from typing import Any

from moto.servicequotas.responses import ServiceQuotasResponse

from ..instrumented import InstrumentedResponse
from .models import QuotasBackend, servicequotas_backends


class QuotasResponse(InstrumentedResponse, ServiceQuotasResponse):
    @property
    def backend(self) -> QuotasBackend:
        return servicequotas_backends[self.current_account][self.region]

    def _params(self) -> dict[str, Any]:
        return dict(json.loads(self.body or "{}"))

    def _page(self, quotas: list[dict[str, Any]]) -> str:
        params = self._params()
        start, size = int(params.get("NextToken") or 0), int(params.get("MaxResults") or 100)
        page: dict[str, Any] = {"Quotas": quotas[start : start + size]}
        if start + size < len(quotas):
            page["NextToken"] = str(start + size)
        return json.dumps(page)

    def get_aws_default_service_quota(self) -> str:
        params = self._params()
        quota = self.backend.get_aws_default_service_quota(
            str(params.get("ServiceCode")), str(params.get("QuotaCode"))
        )
        return json.dumps({"Quota": quota})

    def list_service_quotas(self) -> str:
        return self._page(self.backend.list_service_quotas(str(self._params().get("ServiceCode"))))

    def list_aws_default_service_quotas(self) -> str:
        service = str(self._params().get("ServiceCode"))
        return self._page(self.backend.list_aws_default_service_quotas(service))
