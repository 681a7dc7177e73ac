"""Wrong routes and custom-domain blocks are refused before any change: offline by ``validate``
(exit 2, the field and the fix named), and against the account by ``validate --account``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from deployer.bundle import account_check
from deployer.core.errors import BundleInvalid
from lattice_deploy.cli.main import main
from workflow.conftest import EXAMPLE, Local
from workflow.tls import issued_certificate

ROUTE = {
    "name": "api",
    "priority": 10,
    "match": {"path": {"prefix": "/api"}},
    "to": [{"targetGroup": "self"}],
}
CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000"


def _bundle(tmp_path: Path, **fields: Any) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, target)
    path = target / "ecs-service-def.json"
    service = json.loads(path.read_text())
    service["vpcLatticeConfiguration"] = {"enabled": True, **fields}
    path.write_text(json.dumps(service))
    return target


def _route(**changes: Any) -> dict[str, Any]:
    return {**ROUTE, **changes}


OFFLINE = [
    ("duplicate priority", {"routes": [ROUTE, _route(name="web")]}, "10 is already route api's"),
    ("priority 0", {"routes": [_route(priority=0)]}, "priority: 0 is out of range"),
    ("priority 101", {"routes": [_route(priority=101)]}, "priority: 101 is out of range"),
    (
        "too many rules",
        {"routes": [_route(name=f"r{i:02d}", priority=i + 1) for i in range(11)]},
        "a listener holds 10 rules",
    ),
    ("bad method", {"routes": [_route(match={"method": "get"})]}, "write 'GET'"),
    (
        "path without exact or prefix",
        {"routes": [_route(match={"path": {"regex": "/a"}})]},
        "give exactly one of exact, prefix",
    ),
    (
        "weight 1000",
        {"routes": [_route(to=[{"targetGroup": "self", "weight": 1000}])]},
        "1000 is not a weight of 0 to 999",
    ),
    (
        "domain bad pattern",
        {"customDomainName": "orders_example"},
        "is not a domain name VPC Lattice takes",
    ),
    (
        "cert in another region",
        {
            "customDomainName": "orders.example.com",
            "certificateArn": CERT.replace("ap-northeast-1", "us-east-1"),
        },
        "the certificate is in region us-east-1",
    ),
    (
        "https domain without certificate",
        {"customDomainName": "a.example.com", "listener": {"protocol": "HTTPS"}},
        "needs your own certificate",
    ),
    (
        "tls without domain",
        {"listener": {"protocol": "TLS_PASSTHROUGH"}},
        "TLS_PASSTHROUGH listeners forward to TCP",
    ),
    (
        "dns without domain",
        {"dns": {"hostedZoneId": "Z0123456789"}},
        "a DNS record needs customDomainName",
    ),
    (
        "routes on tls",
        {
            "customDomainName": "a.example.com",
            "listener": {"protocol": "TLS_PASSTHROUGH"},
            "routes": [ROUTE],
        },
        "has no rules",
    ),
    (
        "header without match",
        {"routes": [_route(match={"headers": [{"name": "x-a"}]})]},
        "headers[0].match: expected an object",
    ),
    (
        "two groups without weights",
        {"routes": [_route(to=[{"targetGroup": "self"}, {"targetGroup": "dev-b-targetgroup"}])]},
        "weight: required",
    ),
]


@pytest.mark.parametrize(("name", "fields", "words"), OFFLINE, ids=[c[0] for c in OFFLINE])
def test_validate_refuses_offline(
    name: str,
    fields: dict[str, Any],
    words: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(_bundle(tmp_path, **fields)), "--json"]) == 2, name
    problems = "\n".join(json.loads(capsys.readouterr().out)["problems"])
    assert words in problems
    assert "vpcLatticeConfiguration" in problems


def test_a_route_to_self_with_a_progressive_strategy_is_refused(
    tmp_path: Path, capsys: Any
) -> None:
    bundle = _bundle(tmp_path, routes=[ROUTE])
    path = bundle / "ecs-service-def.json"
    service = json.loads(path.read_text())
    service["deploymentConfiguration"] = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0}
    path.write_text(json.dumps(service))
    assert main(["validate", str(bundle), "--json"]) == 2
    assert "moves traffic only on its production rule" in capsys.readouterr().out


def test_valid_routes_and_domain_pass_offline(tmp_path: Path) -> None:
    bundle = _bundle(
        tmp_path, customDomainName="orders.example.com", certificateArn=CERT, routes=[ROUTE]
    )
    assert main(["validate", str(bundle)]) == 0


def _files(bundle: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in bundle.iterdir() if p.is_file()}


def _refused(tmp_path: Path, **fields: Any) -> str:
    with pytest.raises(BundleInvalid) as caught:
        account_check.plan_of(_files(_bundle(tmp_path, **fields)), "d-1", "dev")
    return str(caught.value)


def test_the_account_refuses_a_certificate_not_issued(local: Local, tmp_path: Path) -> None:
    pending = local.aws.client("acm").request_certificate(DomainName="orders.example.com")
    text = _refused(
        tmp_path, customDomainName="orders.example.com", certificateArn=pending["CertificateArn"]
    )
    assert "is PENDING_VALIDATION, not ISSUED" in text


def test_the_account_refuses_a_certificate_not_covering_the_domain(
    local: Local, tmp_path: Path
) -> None:
    arn = issued_certificate(local.aws, "*.example.com")
    text = _refused(tmp_path, customDomainName="a.b.example.com", certificateArn=arn)
    assert "does not cover a.b.example.com" in text
    plan = account_check.plan_of(
        _files(_bundle(tmp_path / "ok", customDomainName="orders.example.com", certificateArn=arn)),
        "d-1",
        "dev",
    )
    assert plan["lattice"]["listener"] == {
        **plan["lattice"]["listener"],
        "protocol": "HTTPS",
        "port": 443,
    }


def test_the_account_refuses_an_unknown_group(local: Local, tmp_path: Path) -> None:
    route = _route(
        to=[
            {"targetGroup": "self", "weight": 1},
            {"targetGroup": "dev-nowhere-targetgroup", "weight": 1},
        ]
    )
    text = _refused(tmp_path, routes=[route])
    assert "target group dev-nowhere-targetgroup does not exist" in text


def test_the_account_refuses_an_unknown_zone(local: Local, tmp_path: Path) -> None:
    arn = issued_certificate(local.aws, "orders.example.com")
    text = _refused(
        tmp_path,
        customDomainName="orders.example.com",
        certificateArn=arn,
        dns={"hostedZoneId": "ZNOTHERE"},
    )
    assert "dns.hostedZoneId" in text


def test_the_account_refuses_to_overwrite_a_record_pointing_elsewhere(
    local: Local, tmp_path: Path
) -> None:
    from workflow.tls import hosted_zone

    arn = issued_certificate(local.aws, "orders.example.com")
    zone = hosted_zone(local.aws)
    local.aws.client("route53").change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "orders.example.com",
                        "Type": "CNAME",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "legacy.example.net"}],
                    },
                }
            ]
        },
    )
    text = _refused(
        tmp_path,
        customDomainName="orders.example.com",
        certificateArn=arn,
        dns={"hostedZoneId": zone},
    )
    assert "already has a CNAME record for orders.example.com (legacy.example.net)" in text
    assert "never overwritten" in text
