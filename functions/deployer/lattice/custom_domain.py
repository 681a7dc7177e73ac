"""The service's own domain against the account, before any change: its ACM certificate, an
existing service's domain, the Route 53 zone and the record already there.

From AWS's documents: the certificate "must have a Subject Alternate Name (SAN) or Common Name
(CN) that matches the custom domain name ... If the SAN is present, we check for a match only in
the SAN list. If the SAN is absent, we check for a match in the CN"; "VPC Lattice allows a
one-level-deep wildcard match" (``*.example.com`` covers ``parking.example.com``, not
``parking.different.example.com``); "VPC Lattice only supports certificates with 2048-bit RSA
keys"; "The SSL/TLS certificate in ACM must be in the same Region" (User Guide, "Bring Your Own
Certificate (BYOC)"). A certificate serves only once ACM has issued it (ACM User Guide,
certificate status: ``ISSUED``). "You can't change the custom domain name after the service is
created" ("Configure a custom domain name"). The record is a CNAME from the custom domain to the
service's generated name (``dnsEntry.domainName``), as that page says; a private hosted zone is
accepted (clients of a service network resolve the name inside their VPCs). A record of the name
that points elsewhere is never overwritten: refused with the ways out.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid
from . import find_or_create as lattice

WHERE = "ecs-service-def.json: vpcLatticeConfiguration"
TTL = 300


def covers(names: list[str], domain: str) -> bool:
    """Whether a certificate of ``names`` (its SANs, else its CN) serves ``domain``."""
    want = domain.lower().rstrip(".")
    for name in (n.lower().rstrip(".") for n in names):
        if name == want:
            return True
        if name.startswith("*.") and "." in want and want.split(".", 1)[1] == name[2:]:
            return True
    return False


def check_certificate(plan: dict[str, Any]) -> None:
    ref = plan["lattice"]["service"]
    arn, domain = ref.get("certificateArn"), ref.get("customDomainName")
    if not arn:
        return
    region = arn.split(":")[3]
    if plan["region"] and region != plan["region"]:
        raise BundleInvalid(
            f"{WHERE}.certificateArn: the certificate is in {region}, the service in "
            f"{plan['region']}; VPC Lattice takes a certificate of its own Region: import or "
            f"request it in ACM in {plan['region']}"
        )
    try:
        cert = aws.client("acm", region).describe_certificate(CertificateArn=arn)["Certificate"]
    except ClientError as exc:
        raise BundleInvalid(
            f"{WHERE}.certificateArn: {exc.response['Error']['Message']}; give the ARN of a "
            "certificate in ACM (aws acm list-certificates)"
        ) from exc
    if cert.get("Status") != "ISSUED":
        raise BundleInvalid(
            f"{WHERE}.certificateArn: certificate {arn} is {cert.get('Status')}, not ISSUED, so "
            "it cannot serve HTTPS yet; finish its validation (aws acm describe-certificate "
            "shows the DNS record ACM waits for) or give an issued one"
        )
    names = cert.get("SubjectAlternativeNames") or [cert.get("DomainName") or ""]
    if domain and not covers(names, domain):
        raise BundleInvalid(
            f"{WHERE}.certificateArn: certificate {arn} is for {', '.join(names)}, which does not "
            f"cover {domain} (VPC Lattice matches the SANs, else the CN, exactly or by a "
            "one-level wildcard such as *.example.com); give a certificate for the domain"
        )
    if cert.get("KeyAlgorithm") not in (None, "RSA_2048"):
        raise BundleInvalid(
            f"{WHERE}.certificateArn: certificate {arn} has a {cert['KeyAlgorithm']} key, and VPC "
            "Lattice takes certificates with 2048-bit RSA keys only; give an RSA_2048 one"
        )


def existing_service(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The Lattice service the bundle names or would reuse (GetService's answer), if any."""
    ref, api = plan["lattice"]["service"], lattice.client(plan)
    if "arn" in ref:
        try:
            return dict(api.get_service(serviceIdentifier=ref["arn"]))
        except ClientError:
            return None  # said by the adopted-resource check
    found = lattice.find_named(api, plan, "service", ref["name"])
    return dict(api.get_service(serviceIdentifier=found["id"])) if found else None


def check_service(plan: dict[str, Any], service: dict[str, Any] | None) -> None:
    domain = plan["lattice"]["service"].get("customDomainName")
    has = (service or {}).get("customDomainName") or None
    if not service or not domain or (has or "").lower() == domain.lower():
        return
    keep = f"set customDomainName to {has!r}" if has else "remove customDomainName"
    raise BundleInvalid(
        f"{WHERE}.customDomainName: Lattice service {service['name']} exists with "
        f"{'custom domain ' + has if has else 'no custom domain name'}, and VPC Lattice cannot "
        "change a service's custom domain name after it is created (User Guide, \"Configure a "
        f'custom domain name"). Either {keep}, or name another service in '
        f"vpcLatticeConfiguration.service (a new one is created with {domain}; move callers, "
        f"then delete {service['name']})"
    )


def record_of(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The record set of the custom domain in the bundle's zone (any type), if there is one."""
    dns = plan["lattice"]["dns"]
    name = dns["name"].lower().rstrip(".") + "."
    listed = aws.client("route53").list_resource_record_sets(
        HostedZoneId=dns["hostedZoneId"], StartRecordName=name, MaxItems="10"
    )
    same = [r for r in listed["ResourceRecordSets"] if r["Name"].lower() == name]
    return dict(same[0]) if same else None  # a CNAME is alone at its name


def points_to(record: dict[str, Any] | None, target: str) -> bool:
    values = [r["Value"].lower().rstrip(".") for r in (record or {}).get("ResourceRecords") or []]
    if not record or record["Type"] != "CNAME":
        return False
    return values == [target.lower().rstrip(".")]


def check_dns(plan: dict[str, Any], service: dict[str, Any] | None) -> None:
    dns = plan["lattice"]["dns"]
    if not dns:
        return
    try:
        zone = aws.client("route53").get_hosted_zone(Id=dns["hostedZoneId"])["HostedZone"]
    except ClientError as exc:
        raise BundleInvalid(
            f"{WHERE}.dns.hostedZoneId: {exc.response['Error']['Message']}; give a hosted zone "
            "of this account (aws route53 list-hosted-zones)"
        ) from exc
    apex, name = zone["Name"].lower().rstrip("."), dns["name"].lower()
    if not name.endswith("." + apex):  # a CNAME cannot be at the apex (it holds SOA, NS)
        raise BundleInvalid(
            f"{WHERE}.dns.hostedZoneId: zone {dns['hostedZoneId']} is {apex}, which cannot hold "
            f"a CNAME for {name}; give the zone {name} is a name in (its parent domain's)"
        )
    record = record_of(plan)
    target = ((service or {}).get("dnsEntry") or {}).get("domainName") or ""
    if record is None or (target and points_to(record, target)):
        return
    values = ", ".join(r["Value"] for r in record.get("ResourceRecords") or []) or "an alias"
    raise BundleInvalid(
        f"{WHERE}.dns: zone {dns['hostedZoneId']} already has a {record['Type']} record for "
        f"{name} ({values}), not a CNAME to "
        f"{target or 'the service this run creates'}; it is never overwritten. Delete it "
        "(aws route53 change-resource-record-sets), or remove dns and point the name yourself"
    )


def check(plan: dict[str, Any]) -> None:
    """Every check of this module (``load_bundle`` and ``validate --account``)."""
    ref = plan["lattice"]["service"]
    if not (ref.get("customDomainName") or ref.get("certificateArn")):
        return
    check_certificate(plan)
    service = existing_service(plan)
    check_service(plan, service)
    check_dns(plan, service)


def record_change(action: str, name: str, target: str, ttl: int = TTL) -> dict[str, Any]:
    """A ChangeBatch of one CNAME change (what the run makes and a rollback removes)."""
    return {
        "Changes": [
            {
                "Action": action,
                "ResourceRecordSet": {
                    "Name": name,
                    "Type": "CNAME",
                    "TTL": ttl,
                    "ResourceRecords": [{"Value": target}],
                },
            }
        ]
    }
