"""The VPC Lattice and ECS quotas a deploy counts against, as Service Quotas holds them.

Why: moto 5.2 knows only the ``vpc`` service's default quotas, and a check of an account ("will
the bundles' target groups, services and tasks fit?") reads the quota's applied value. The
defaults and codes are AWS's own: AWS General Reference, "Amazon VPC Lattice endpoints and
quotas" (https://docs.aws.amazon.com/general/latest/gr/vpc-lattice-service.html) and "Amazon ECS
endpoints and quotas" (https://docs.aws.amazon.com/general/latest/gr/ecs-service.html). An
account's applied value is the default until one is set (:meth:`apply`, what an approved
increase does; a test lowers one to exhaust it).
"""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.exceptions import JsonRESTError
from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import ServiceQuotasBackend

NAMES = {
    "vpc-lattice": "Amazon VPC Lattice",
    "ecs": "Amazon Elastic Container Service (Amazon ECS)",
}
DEFAULTS: dict[tuple[str, str], tuple[str, float, bool]] = {
    # (service code, quota code): (quota name, default value, adjustable)
    ("vpc-lattice", "L-9BC96FEF"): (
        "Child Resource Configurations per Group Resource Configuration",
        60,
        True,
    ),
    ("vpc-lattice", "L-73D0F278"): ("Domain Verifications per AWS Region", 5, True),
    ("vpc-lattice", "L-D64E952E"): ("Listeners per service", 2, True),
    ("vpc-lattice", "L-6095700C"): ("Resource Configurations per service network", 500, True),
    ("vpc-lattice", "L-5FF8F9B9"): ("Resource configurations per AWS Region", 2000, True),
    ("vpc-lattice", "L-0DCA4434"): ("Resource gateways per VPC", 500, True),
    ("vpc-lattice", "L-CF78395E"): ("Rules per listener", 10, True),
    ("vpc-lattice", "L-75D4A19E"): ("Service associations per service network", 500, True),
    ("vpc-lattice", "L-9CAD07FB"): ("Service networks per region", 50, True),
    ("vpc-lattice", "L-620C821E"): ("Services per region", 2000, True),
    ("vpc-lattice", "L-BB11C6B9"): ("Target groups per region", 500, True),
    ("vpc-lattice", "L-3DEC3B9F"): ("Target groups per service", 10, True),
    ("vpc-lattice", "L-D71303F3"): ("Targets per target group", 1000, True),
    ("vpc-lattice", "L-EF6E2D62"): ("VPC associations per service network", 500, True),
    ("vpc-lattice", "L-89DEA27F"): (
        "VPC endpoints of type service network per service network",
        200,
        True,
    ),
    ("ecs", "L-21C621EB"): ("Clusters per account", 10000, True),
    ("ecs", "L-9EF96962"): ("Services per cluster", 5000, True),
    ("ecs", "L-92E49DE3"): ("Tasks per service", 5000, True),
}


class NoSuchQuota(JsonRESTError):
    """A quota code the service does not have (the same error code, its own message)."""

    def __init__(self) -> None:
        super().__init__(
            "NoSuchResourceException",
            "The request failed because the specified quota does not exist.",
        )


class QuotasBackend(ServiceQuotasBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.applied: dict[tuple[str, str], float] = {}

    def apply(self, service_code: str, quota_code: str, value: float) -> None:
        """The account's value from now on (as an approved request, or a test, sets it)."""
        if (service_code, quota_code) not in DEFAULTS:
            raise NoSuchQuota()
        self.applied[(service_code, quota_code)] = float(value)

    def _quota(self, service: str, code: str, applied: bool) -> dict[str, Any]:
        name, default, adjustable = DEFAULTS[(service, code)]
        account = self.account_id if applied else ""
        value = self.applied.get((service, code), default) if applied else default
        return {
            "ServiceCode": service,
            "ServiceName": NAMES[service],
            "QuotaArn": f"arn:aws:servicequotas:{self.region_name}:{account}:{service}/{code}",
            "QuotaCode": code,
            "QuotaName": name,
            "Value": float(value),
            "Unit": "None",
            "Adjustable": adjustable,
            "GlobalQuota": False,
            "QuotaAppliedAtLevel": "ACCOUNT",
        }

    def _codes(self, service_code: str) -> list[str]:
        if service_code not in NAMES:
            raise NoSuchResource()
        return [code for service, code in DEFAULTS if service == service_code]

    def get_service_quota(self, service_code: str, quota_code: str) -> dict[str, Any]:
        if service_code not in NAMES:
            return super().get_service_quota(service_code, quota_code)
        if (service_code, quota_code) not in DEFAULTS:
            raise NoSuchQuota()
        return self._quota(service_code, quota_code, applied=True)

    def get_aws_default_service_quota(self, service_code: str, quota_code: str) -> dict[str, Any]:
        if (service_code, quota_code) not in DEFAULTS:
            raise NoSuchQuota()
        return self._quota(service_code, quota_code, applied=False)

    def list_service_quotas(self, service_code: str) -> list[dict[str, Any]]:
        return [self._quota(service_code, c, applied=True) for c in self._codes(service_code)]

    def list_aws_default_service_quotas(self, service_code: str) -> list[dict[str, Any]]:
        if service_code not in NAMES:
            return super().list_aws_default_service_quotas(service_code)
        return [self._quota(service_code, c, applied=False) for c in self._codes(service_code)]


servicequotas_backends: BackendDict[QuotasBackend] = BackendDict(QuotasBackend, "service-quotas")
