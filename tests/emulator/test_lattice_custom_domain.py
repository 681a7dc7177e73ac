"""The embedded VPC Lattice's custom domains, TCP groups and rule matches, as AWS documents them:
a service's certificate must be an ISSUED ACM one of its Region covering its domain (BYOC), its
``dnsEntry`` stays the generated name a CNAME points at, a TCP group's health check is off by
default, and a rule's match keeps CreateRule's maximums and path pattern."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from workflow.tls import issued_certificate

from .helpers import served_target_group

DOMAIN = "orders.example.com"


def test_a_service_with_a_custom_domain_keeps_its_generated_dns_name(
    aws: Any, lattice: Any
) -> None:
    arn = issued_certificate(aws, "*.example.com")
    made = lattice.create_service(name="orders", customDomainName=DOMAIN, certificateArn=arn)
    got = lattice.get_service(serviceIdentifier=made["id"])
    assert (got["customDomainName"], got["certificateArn"]) == (DOMAIN, arn)
    assert got["dnsEntry"]["domainName"] != DOMAIN and made["id"] in got["dnsEntry"]["domainName"]


@pytest.mark.parametrize("case", ["pending", "not covering", "unknown"])
def test_a_certificate_that_cannot_serve_the_domain_is_refused(
    aws: Any, lattice: Any, case: str
) -> None:
    if case == "pending":
        arn = aws.client("acm").request_certificate(DomainName=DOMAIN)["CertificateArn"]
    elif case == "not covering":
        arn = issued_certificate(aws, "*.other.example.com")
    else:
        real = issued_certificate(aws, DOMAIN)
        arn = real[:-1] + ("1" if real[-1] == "0" else "0")
    with pytest.raises(ClientError) as caught:
        lattice.create_service(name="orders", customDomainName=DOMAIN, certificateArn=arn)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_a_tcp_groups_health_check_is_off_by_default(lattice: Any) -> None:
    config = {"port": 443, "protocol": "TCP", "vpcIdentifier": "vpc-12345678"}
    group = lattice.create_target_group(name="tls-tg", type="IP", config=config)
    assert (
        lattice.get_target_group(targetGroupIdentifier=group["id"])["config"]["healthCheck"][
            "enabled"
        ]
        is False
    )
    with pytest.raises(ClientError):
        lattice.create_target_group(
            name="tls-tg2", type="IP", config={**config, "healthCheck": {"enabled": True}}
        )


@pytest.mark.parametrize(
    "http",
    [
        {"headerMatches": [{"name": f"x-{i}", "match": {"exact": "1"}} for i in range(6)]},
        {"pathMatch": {"match": {"prefix": "/a*"}}},
        {"method": "X" * 17},
    ],
    ids=["six headers", "wildcard path", "long method"],
)
def test_a_rule_match_beyond_the_model_is_refused(lattice: Any, http: dict[str, Any]) -> None:
    group = served_target_group(lattice)
    (listener,) = lattice.list_listeners(serviceIdentifier=group["serviceId"])["items"]
    with pytest.raises(ClientError) as caught:
        lattice.create_rule(
            serviceIdentifier=group["serviceId"],
            listenerIdentifier=listener["id"],
            name="too-much",
            priority=5,
            match={"httpMatch": http},
            action={"fixedResponse": {"statusCode": 404}},
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_a_custom_domain_is_unique_in_a_service_network(aws: Any, lattice: Any) -> None:
    arn = issued_certificate(aws, DOMAIN)
    network = lattice.create_service_network(name="net")
    for name in ("orders", "orders-two"):
        service = lattice.create_service(name=name, customDomainName=DOMAIN, certificateArn=arn)
        call = lambda s=service: lattice.create_service_network_service_association(  # noqa: E731
            serviceNetworkIdentifier=network["id"], serviceIdentifier=s["id"]
        )
        if name == "orders":
            call()
            continue
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == "ConflictException"
