"""A service's custom domain, as VPC Lattice's documents say. Its certificate, checked at
CreateService and UpdateService (User Guide, "Bring Your Own Certificate (BYOC)"): it is in ACM
"in the same Region as the VPC Lattice service", its SANs (else its CN) match the custom domain
exactly or by "a one-level-deep wildcard", and it is ISSUED (AWS does not document the error; a
ValidationException naming ``certificateArn`` is chosen). And its uniqueness in a network."""

from __future__ import annotations

from typing import Any

from moto.acm.models import acm_backends

from .exceptions import ConflictException, ValidationException


def _covers(names: list[str], domain: str) -> bool:
    want = domain.lower()
    return any(
        n.lower() == want or (n.startswith("*.") and want.split(".", 1)[-1] == n[2:].lower())
        for n in names
    )


def check(account_id: str, region: str, arn: str, domain: str | None) -> None:
    if arn.split(":")[3:4] != [region]:
        raise ValidationException(f"Certificate {arn} is not in {region}", "certificateArn")
    bundle = acm_backends[account_id][region]._certificates.get(arn)
    if bundle is None:
        raise ValidationException(f"Certificate {arn} was not found", "certificateArn")
    described = bundle.describe()["Certificate"]
    if described["Status"] != "ISSUED":
        raise ValidationException(f"Certificate {arn} is {described['Status']}", "certificateArn")
    names = described.get("SubjectAlternativeNames") or [described.get("DomainName") or ""]
    if domain and not _covers(names, domain):
        raise ValidationException(
            f"Certificate {arn} does not match custom domain name {domain}", "certificateArn"
        )


def unique_in_network(backend: Any, network: Any, service: Any) -> None:
    """ "Custom domain names must be unique by service network" (User Guide, "Configure a custom
    domain name"): an association bringing a second service of the same domain is refused (the
    error is not documented: ConflictException chosen)."""
    domain = service.custom_domain_name
    for other in backend.service_network_service_associations.values():
        twin = backend.services.get(other.service_id)
        same = twin is not None and twin.custom_domain_name == domain
        if domain and other.service_network_id == network.id and same:
            raise ConflictException(
                "service_network_service_association",
                other.id,
                f"Custom domain name {domain} is used in {network.id} already",
            )
