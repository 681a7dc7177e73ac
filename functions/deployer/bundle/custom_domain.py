"""The friendly block's ``customDomainName``, ``certificateArn`` and ``dns``: TLS on the service's
own domain, checked offline and put into the plan.

From VPC Lattice's documents: CreateService ``customDomainName`` is 3-255 characters (the model
gives no pattern: a DNS host name is required here, labels of letters, digits and hyphens, 1-63
each, two or more); ``certificateArn`` is an ACM certificate's ARN, and "The SSL/TLS certificate
in ACM must be in the same Region as the VPC Lattice service you associate it with" (User Guide,
"Bring Your Own Certificate (BYOC)"); "To receive HTTPS requests, you must provide your own
certificate ... if you don't provide an SSL/TLS certificate corresponding to your custom domain
name, all HTTPS connections to your custom domain name will fail" ("Configure a custom domain
name"); a TLS_PASSTHROUGH listener needs a custom domain name and forwards to a TCP target group
whose health checks are off by default ("TLS listeners"). Chosen: with a certificate and no
``listener.protocol``, the listener is HTTPS on 443 (as CreateListener's own default port for
HTTPS); a bundle without these keys keeps HTTP on 80 as before.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.errors import BundleInvalid
from . import limits

LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
CERTIFICATE_ARN = re.compile(
    r"arn:aws[\w-]*:acm:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate/[0-9a-z-]+"
)
ZONE_ID = re.compile(r"(?:/hostedzone/)?[A-Z0-9]{1,32}")
"""A Route 53 hosted zone id (as GetHostedZone takes it, with or without ``/hostedzone/``)."""
TLS = "TLS_PASSTHROUGH"


def valid_domain(name: str) -> bool:
    labels = name.split(".")
    return 3 <= len(name) <= 255 and len(labels) >= 2 and all(LABEL.fullmatch(x) for x in labels)


def problems(spec: dict[str, Any], service_file: str, region: str) -> list[str]:
    """What is wrong in the three keys and their interplay with the listener."""
    where, found = f"{service_file}: vpcLatticeConfiguration", []
    domain, certificate, dns = (spec.get(k) for k in ("customDomainName", "certificateArn", "dns"))
    listener: dict[str, Any] = spec["listener"] if isinstance(spec.get("listener"), dict) else {}
    protocol = listener.get("protocol")
    if isinstance(domain, str) and not limits.offline(domain) and not valid_domain(domain):
        found.append(
            f"{where}.customDomainName: {domain!r} is not a domain name VPC Lattice takes (3 to "
            "255 characters; dot-separated labels of letters, digits and hyphens, no wildcard); "
            "e.g. orders.example.com"
        )
    if isinstance(certificate, str) and not limits.offline(certificate):
        match = CERTIFICATE_ARN.fullmatch(certificate)
        if not match:
            found.append(
                f"{where}.certificateArn: {certificate!r} is not an ACM certificate ARN; copy it "
                "from aws acm list-certificates"
            )
        elif region and match["region"] != region:
            found.append(
                f"{where}.certificateArn: the certificate is in region {match['region']}, the "
                f"bundle deploys to {region}, and VPC Lattice takes a certificate of the "
                'service\'s Region only (User Guide, "Bring Your Own Certificate"); request or '
                f"import it in ACM in {region}"
            )
        if not domain:
            found.append(
                f"{where}.certificateArn: a certificate serves the service's custom domain; "
                "give customDomainName too (or remove certificateArn)"
            )
    if domain and protocol == "HTTPS" and not certificate:
        found.append(
            f"{where}.certificateArn: an HTTPS listener on custom domain {domain} needs your "
            "own certificate (VPC Lattice has no fallback: every HTTPS connection to the domain "
            "would fail); give the ACM certificate's ARN, or listen in HTTP"
        )
    if protocol == TLS and not domain:
        found.append(
            f"{where}.listener.protocol: a TLS_PASSTHROUGH listener needs the service's custom "
            'domain name (its SNI match; User Guide, "TLS listeners"); give customDomainName'
        )
    if protocol == TLS and domain:
        given = spec.get("healthCheck")
        check: dict[str, Any] = given if isinstance(given, dict) else {}
        if not (check.get("enabled") and check.get("protocol") and check.get("protocolVersion")):
            found.append(
                f"{where}.healthCheck: a TLS_PASSTHROUGH listener forwards to a TCP target "
                "group, whose health checks are off by default and need a protocol and a "
                'protocol version when on (User Guide, "TLS listeners"); no target could be '
                'seen HEALTHY. Set e.g. "healthCheck": {"enabled": true, "protocol": "HTTPS", '
                '"protocolVersion": "HTTP1", "path": "/health"}'
            )
    if dns is not None:
        if not domain:
            found.append(f"{where}.dns: a DNS record needs customDomainName; give it or remove dns")
        if not isinstance(dns, dict):
            return found
        for key in dns:
            if key != "hostedZoneId":
                found.append(f"{where}.dns.{key}: unknown field; only hostedZoneId")
        zone = dns.get("hostedZoneId")
        if not (isinstance(zone, str) and (limits.offline(zone) or ZONE_ID.fullmatch(zone))):
            found.append(
                f"{where}.dns.hostedZoneId: {limits.show(zone)} is not a Route 53 hosted zone "
                "id; copy it from aws route53 list-hosted-zones (e.g. Z0123456789ABCDEFGHIJ)"
            )
    return found


def listener_defaults(spec: dict[str, Any]) -> tuple[str, int]:
    """The listener's protocol and port when the bundle leaves them out."""
    listener = spec.get("listener") or {}
    protocol = str(listener.get("protocol") or ("HTTPS" if spec.get("certificateArn") else "HTTP"))
    secure = spec.get("customDomainName") and protocol in ("HTTPS", TLS)
    return protocol, int(listener.get("port") or (443 if secure else 80))


def normalized(spec: dict[str, Any], service_file: str) -> dict[str, Any]:
    """``{customDomainName?, certificateArn?}`` for the service, ``dns`` for the record."""
    domain = spec.get("customDomainName")
    if spec.get("dns") and not domain:
        raise BundleInvalid(f"{service_file}: vpcLatticeConfiguration.dns needs customDomainName")
    service = {
        k: spec[k] for k in ("customDomainName", "certificateArn") if isinstance(spec.get(k), str)
    }
    zone = (spec.get("dns") or {}).get("hostedZoneId")
    return {
        "service": service,
        "dns": {"hostedZoneId": str(zone).rsplit("/", 1)[-1], "name": domain} if zone else None,
    }
