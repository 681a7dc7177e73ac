"""Routes and the service's own domain, deployed: an HTTPS listener on 443 with the bundle's
certificate, one rule per route (match, priority, weights), the default action to the service's
group; routes changed between runs; a failed run puts rules and the DNS record back."""

from __future__ import annotations

from typing import Any

from .conftest import EXAMPLE, Local
from .test_adopt_and_errors import lattice_config
from .tls import hosted_zone, issued_certificate, record

DOMAIN = "orders.example.com"
API = {
    "name": "api",
    "priority": 10,
    "match": {"path": {"prefix": "/api"}},
    "to": [{"targetGroup": "self"}],
}
ADMIN = {
    "name": "admin",
    "priority": 20,
    "match": {
        "method": "GET",
        "path": {"exact": "/admin"},
        "headers": [{"name": "x-canary", "match": {"exact": "1"}, "caseSensitive": False}],
    },
    "to": {"fixedResponse": 404},
}


def _rules(
    local: Local, service: str = "dev-myservice-service"
) -> tuple[dict[str, Any], dict[str, Any]]:
    api = local.aws.client("vpc-lattice")
    svc = next(s for s in api.list_services()["items"] if s["name"] == service)
    (listener,) = api.list_listeners(serviceIdentifier=svc["id"])["items"]
    on = {"serviceIdentifier": svc["id"], "listenerIdentifier": listener["id"]}
    rules = {
        r["name"]: api.get_rule(**on, ruleIdentifier=r["id"]) for r in api.list_rules(**on)["items"]
    }
    return {
        **api.get_listener(**on),
        "service": api.get_service(serviceIdentifier=svc["id"]),
    }, rules


def _domain(local: Local, **extra: Any) -> dict[str, Any]:
    return {
        "customDomainName": DOMAIN,
        "certificateArn": issued_certificate(local.aws, DOMAIN),
        **extra,
    }


def test_a_custom_domain_a_certificate_and_two_path_routes_deploy(
    local: Local, bundle: Any
) -> None:
    domain = _domain(local, dns={"hostedZoneId": hosted_zone(local.aws)})
    directory = bundle(service=lattice_config(**domain, routes=[API, ADMIN]))
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    listener, rules = _rules(local)
    assert (listener["protocol"], listener["port"]) == ("HTTPS", 443)
    service = listener["service"]
    assert (service["customDomainName"], service["certificateArn"]) == (
        DOMAIN,
        domain["certificateArn"],
    )
    group = local.aws.client("vpc-lattice").list_target_groups()["items"][0]
    default = listener["defaultAction"]["forward"]["targetGroups"]
    assert [g["targetGroupIdentifier"].rsplit("/", 1)[-1] for g in default] == [group["id"]]
    assert set(rules) == {"api", "admin"}
    assert rules["api"]["priority"] == 10
    assert rules["api"]["match"] == {"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}}}}
    forward = rules["api"]["action"]["forward"]["targetGroups"]
    assert [(g["targetGroupIdentifier"], g["weight"]) for g in forward] == [(group["arn"], 100)]
    assert rules["admin"]["priority"] == 20
    assert rules["admin"]["match"]["httpMatch"]["method"] == "GET"
    assert rules["admin"]["match"]["httpMatch"]["headerMatches"][0]["name"] == "x-canary"
    assert rules["admin"]["action"] == {"fixedResponse": {"statusCode": 404}}
    cname = record(local.aws, domain["dns"]["hostedZoneId"], DOMAIN)
    assert cname and cname["Type"] == "CNAME"
    assert cname["ResourceRecords"][0]["Value"] == service["dnsEntry"]["domainName"] != DOMAIN


def test_routes_changed_between_runs_update_and_delete_rules(local: Local, bundle: Any) -> None:
    domain = _domain(local)
    first = local.deploy(bundle(service=lattice_config(**domain, routes=[API, ADMIN])))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    moved = {**API, "priority": 20, "match": {"path": {"prefix": "/v2"}}}
    swapped = {**ADMIN, "priority": 10}
    second = local.deploy(
        bundle(name="again", service=lattice_config(**domain, routes=[moved, swapped]))
    )
    assert second["status"] == "SUCCEEDED", second.get("failure")
    _, rules = _rules(local)
    assert (rules["api"]["priority"], rules["admin"]["priority"]) == (20, 10)
    assert rules["api"]["match"]["httpMatch"]["pathMatch"]["match"] == {"prefix": "/v2"}
    third = local.deploy(bundle(name="third", service=lattice_config(**domain, routes=[moved])))
    assert third["status"] == "SUCCEEDED", third.get("failure")
    assert set(_rules(local)[1]) == {"api"}
    fourth = local.deploy(bundle(name="fourth", service=lattice_config(**domain, routes=[])))
    assert fourth["status"] == "SUCCEEDED", fourth.get("failure")
    assert _rules(local)[1] == {}


def test_a_failed_run_puts_the_rules_and_the_record_back(local: Local, bundle: Any) -> None:
    domain = _domain(local)
    first = local.deploy(bundle(service=lattice_config(**domain, routes=[API, ADMIN])))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    _, before = _rules(local)
    zone = hosted_zone(local.aws)
    changed = {**API, "priority": 30, "match": {"path": {"prefix": "/v3"}}}
    added = {**ADMIN, "name": "extra", "priority": 40}
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(
        bundle(
            name="again",
            service=lattice_config(**domain, dns={"hostedZoneId": zone}, routes=[changed, added]),
            task=lambda t: t["containerDefinitions"][0].update(image="nginx:1.28"),
        )
    )
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    _, after = _rules(local)
    assert set(after) == {"api", "admin"}
    for name in ("api", "admin"):
        assert (after[name]["priority"], after[name]["match"], after[name]["action"]) == (
            before[name]["priority"],
            before[name]["match"],
            before[name]["action"],
        )
    assert record(local.aws, zone, DOMAIN) is None


def test_a_route_to_another_services_group_adopts_it_and_a_rollback_keeps_it(
    local: Local, bundle: Any
) -> None:
    api = local.aws.client("vpc-lattice")
    other = api.create_target_group(
        name="dev-other-targetgroup",
        type="IP",
        config={"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"},
    )
    split = {
        **API,
        "to": [
            {"targetGroup": "self", "weight": 90},
            {"targetGroup": "dev-other-targetgroup", "weight": 10},
        ],
    }
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(bundle(service=lattice_config(routes=[split])))
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True), failed.get("failure")
    assert [g["name"] for g in api.list_target_groups()["items"]] == ["dev-other-targetgroup"]
    local.aws.clear_faults()
    summary = local.deploy(bundle(name="again", service=lattice_config(routes=[split])))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    listener, rules = _rules(local)
    weights = {
        g["targetGroupIdentifier"]: g["weight"]
        for g in rules["api"]["action"]["forward"]["targetGroups"]
    }
    assert weights[other["arn"]] == 10 and sorted(weights.values()) == [10, 90]
    assert listener["protocol"] == "HTTP"


def test_tls_passthrough_with_a_custom_domain_and_a_tcp_group_deploys(
    local: Local, bundle: Any
) -> None:
    health = {"enabled": True, "protocol": "HTTP", "protocolVersion": "HTTP1", "path": "/"}
    directory = bundle(
        service=lattice_config(
            customDomainName=DOMAIN, listener={"protocol": "TLS_PASSTHROUGH"}, healthCheck=health
        )
    )
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    listener, rules = _rules(local)
    assert (listener["protocol"], listener["port"], rules) == ("TLS_PASSTHROUGH", 443, {})
    (group,) = local.aws.client("vpc-lattice").list_target_groups()["items"]
    assert group["protocol"] == "TCP"


def test_plan_shows_the_rules_and_the_record_to_create_change_and_delete(
    local: Local, bundle: Any, capsys: Any
) -> None:
    import json

    from lattice_deploy.cli.main import main

    domain = _domain(local)
    assert (
        local.deploy(bundle(service=lattice_config(**domain, routes=[API, ADMIN])))["status"]
        == "SUCCEEDED"
    )
    zone = hosted_zone(local.aws)
    moved = {**API, "priority": 30}
    fresh = {**ADMIN, "name": "fresh", "priority": 40}
    directory = bundle(
        name="next",
        service=lattice_config(**domain, dns={"hostedZoneId": zone}, routes=[moved, fresh]),
    )
    local.aws.reset_calls()
    assert main(["plan", str(directory), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["changes"]
    rules = {i["name"]: i["action"] for i in items if i["resource"] == "rule"}
    assert rules == {"api": "change", "admin": "delete", "fresh": "create"}
    api_item = next(i for i in items if i["name"] == "api")
    assert any(d["path"] == "priority" for d in api_item["diff"])
    assert [i["action"] for i in items if i["resource"] == "dnsRecord"] == ["create"]
    assert local.aws.calls()["mutating"] == 0


def every_path(local: Local, bundle: Any) -> None:
    """Routes and a domain through each of their calls (test_least_privilege's path): made, a
    certificate and rules changed with a record made, then a failed run put back."""
    first_cert, domain = issued_certificate(local.aws, DOMAIN), {"customDomainName": DOMAIN}
    config = (
        (EXAMPLE / "ecspresso.yml").read_text().replace("service: myservice", "service: routed")
    )

    def routed(name: str, image: str = "", **fields: Any) -> Any:
        def edit(service: dict[str, Any]) -> None:
            lattice_config(**fields)(service)
            service["serviceName"] = "routed"

        def task(definition: dict[str, Any]) -> None:
            definition["containerDefinitions"][0]["image"] = image or "nginx:latest"

        return bundle(name=name, service=edit, task=task, config=config)

    made = local.deploy(routed("r1", **domain, certificateArn=first_cert, routes=[API, ADMIN]))
    assert made["status"] == "SUCCEEDED", made.get("failure")
    second_cert = issued_certificate(local.aws, DOMAIN)
    moved, extra = {**API, "priority": 30}, {**ADMIN, "name": "extra", "priority": 40}
    changed = local.deploy(
        routed(
            "r2",
            **domain,
            certificateArn=second_cert,
            dns={"hostedZoneId": hosted_zone(local.aws)},
            routes=[moved, extra],
        )
    )
    assert changed["status"] == "SUCCEEDED", changed.get("failure")
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(
        routed(
            "r3",
            "nginx:1.29",
            **domain,
            certificateArn=first_cert,
            dns={"hostedZoneId": hosted_zone(local.aws)},
            routes=[API, ADMIN],
        )
    )
    local.aws.clear_faults()
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True), failed.get("failure")
    listener, rules = _rules(local, "dev-routed-service")
    assert set(rules) == {"api", "extra"}
    assert listener["service"]["certificateArn"] == second_cert


def test_a_changed_certificate_is_put_on_the_service_and_put_back_by_a_rollback(
    local: Local, bundle: Any
) -> None:
    every_path(local, bundle)
