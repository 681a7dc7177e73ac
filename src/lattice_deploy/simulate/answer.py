"""What VPC Lattice would do with one request: reachable, then authorized, then routed.

1. Reachable: "your service or client must be in a VPC that is connected to the service network
   either through an association or through a VPC endpoint" (VPC Lattice User Guide, "Service
   networks"), a network the service is associated with; none: UNREACHABLE. "You can connect a
   VPC to only one service network through an association" (same page). VPC endpoints of type
   service network are EC2 resources, not read here: a VPC reaching the service only through one
   is answered UNREACHABLE (said in the README).
2. Authorized (User Guide, "Auth policies", "How authorization works"): when the network's auth
   type is AWS_IAM its policy must allow, when the service's is its policy must allow too (both
   when both are); auth type NONE applies no policy; AWS_IAM without a policy denies everything
   ("If you don't add an auth policy, then all traffic will get an access denied error").
3. Routed: :mod:`.router` on the listener the request reaches.

Verdicts: ALLOW, DENY, UNREACHABLE, UNKNOWN (a read refused or a policy element not simulated).
``served`` is true when the verdict is ALLOW and every group with a share has a target that can
serve (a group with a share but no such target fails that share of requests).
"""

from __future__ import annotations

from typing import Any

from . import policy, reader, router
from .context import Request, context_of

IAM = "AWS_IAM"


class Ambiguous(ValueError):
    """The request cannot be placed without more from the user (which VPC, which port)."""


def _reach(client: Any, service: dict[str, Any], request: Request) -> dict[str, Any]:
    """``{"network": association | None, "vpcOwner", "why"}``."""
    of_service = reader.networks_of_service(client, service["id"])
    names = ", ".join(a.get("serviceNetworkName") or a["serviceNetworkId"] for a in of_service)
    if request.from_vpc is None:
        if len(of_service) > 1:
            raise Ambiguous(
                f"the service is in several service networks ({names}): name the VPC the "
                "request comes from with --from-vpc"
            )
        if not of_service:
            return {"network": None, "why": "the service is associated with no service network"}
        return {
            "network": of_service[0],
            "vpcOwner": None,
            "why": f"through service network {names} (no --from-vpc: the VPC is not checked)",
        }
    of_vpc = {a["serviceNetworkId"]: a for a in reader.networks_of_vpc(client, request.from_vpc)}
    common = [a for a in of_service if a["serviceNetworkId"] in of_vpc]
    if not common:
        vpc_names = ", ".join(a.get("serviceNetworkName") or k for k, a in of_vpc.items())
        return {
            "network": None,
            "why": f"{request.from_vpc} is not associated with a service network the service is "
            f"in (the service's: {names or 'none'}; the VPC's: {vpc_names or 'none'})",
        }
    network = common[0]
    # SourceVpcOwnerAccount: the association's createdBy, the VPC owner's account (only the VPC's
    # owner associates it; the API reference names no other field for the VPC's owner).
    owner = of_vpc[network["serviceNetworkId"]].get("createdBy")
    name = network.get("serviceNetworkName") or network["serviceNetworkId"]
    return {
        "network": network,
        "vpcOwner": owner,
        "why": f"{request.from_vpc} is associated with service network {name}, the service too",
    }


def _layer(
    client: Any, kind: str, resource: dict[str, Any], request: Request, keys: dict[str, Any]
) -> dict[str, Any]:
    """One auth layer (the network's or the service's): its decision and why."""
    head = {"layer": kind, "name": resource.get("name"), "arn": resource.get("arn")}
    if "unreadable" in resource:
        return head | {
            "decision": policy.UNKNOWN,
            "why": f"cannot read it: {resource['unreadable']}",
        }
    auth = resource.get("authType") or "NONE"
    head["authType"] = auth
    if auth != IAM:
        return head | {"decision": policy.ALLOW, "why": "auth type NONE: no auth policy applies"}
    found = reader.auth_policy(client, str(resource["arn"]))
    if "unreadable" in found:
        why = f"cannot read its auth policy: {found['unreadable']}"
        return head | {"decision": policy.UNKNOWN, "why": why}
    if "policy" not in found:
        why = "auth type AWS_IAM without an auth policy: every request is denied"
        return head | {"decision": policy.DENY, "why": why}
    context = context_of(request, **keys)
    return head | policy.evaluate(found["policy"], context).to_dict()


def _route(
    client: Any, service: dict[str, Any], listener: dict[str, Any], request: Request
) -> dict[str, Any]:
    tcp = listener["protocol"] == "TLS_PASSTHROUGH"  # no rules: the default action only
    full = reader.listener(client, service["id"], listener["id"])
    rules = [] if tcp else reader.rules(client, service["id"], listener["id"])
    rule, skipped = router.match_rule(rules, full["defaultAction"], request)
    picked = {k: rule[k] for k in ("name", "priority", "isDefault", "arn") if k in rule}
    route: dict[str, Any] = {"rule": picked, "skipped": skipped}
    action = rule.get("action") or {}
    if "fixedResponse" in action:
        code = action["fixedResponse"].get("statusCode")
        return route | {"fixedResponse": code, "served": False}
    groups = []
    for share in router.shares(action):
        group = reader.target_group(client, share["targetGroup"])
        can = router.serving(group.get("targets") or [])
        groups.append(share | group | {"serving": [f"{t['id']}:{t['port']}" for t in can]})
    shared = [g for g in groups if g["share"] > 0]
    served = bool(shared) and all(g["serving"] for g in shared)
    return route | {"forward": groups, "served": served}


def _verdict(reach: dict[str, Any], layers: list[dict[str, Any]], route: dict[str, Any]) -> str:
    if reach.get("network") is None or route.get("unreachable"):
        return "UNREACHABLE"
    decisions = [layer["decision"] for layer in layers]
    for effect in (policy.DENY, policy.UNKNOWN):
        if effect in decisions:
            return effect
    return policy.ALLOW


def _why(
    verdict: str, reach: dict[str, Any], layers: list[dict[str, Any]], route: dict[str, Any]
) -> str:
    if verdict == "UNREACHABLE":
        return str(route.get("unreachable") or reach["why"])
    for layer in layers:
        if layer["decision"] == verdict and verdict != policy.ALLOW:
            why = "; ".join([layer["why"], *(layer.get("unmatched") or [])])
            return f"{layer['layer']} {layer['name']}: {why}"
    if "fixedResponse" in route:
        return (
            f"rule {route['rule']['name']} answers with a fixed response {route['fixedResponse']}"
        )
    starved = [g for g in route.get("forward") or [] if g["share"] > 0 and not g["serving"]]
    if not route.get("forward") or not any(g["share"] > 0 for g in route["forward"]):
        return f"rule {route['rule']['name']} forwards to no group with a weight above 0"
    if starved:
        return "; ".join(
            f"{g['share']:.0%} of requests go to {g.get('name') or g['targetGroup']}, "
            + ("which cannot be read" if "unreadable" in g else "which has no healthy target")
            for g in starved
        )
    return f"rule {route['rule']['name']} forwards it to a healthy target"


def _notes(request: Request, layers: list[dict[str, Any]]) -> list[str]:
    notes = []
    if request.from_vpc is None:
        notes.append("no --from-vpc: vpc-lattice-svcs:SourceVpc is absent from the request")
    absent = sorted({k for layer in layers for k in layer.get("assumedAbsent") or []})
    if absent:
        notes.append(f"assumed absent (cannot be known here): {', '.join(absent)}")
    if request.principal.arn and any(layer.get("authType") == IAM for layer in layers):
        notes.append(
            "an authenticated caller signs with SigV4, and its own IAM policies must allow "
            "the action too (not read here)"
        )
    return notes


def simulate(client: Any, name: str, request: Request) -> dict[str, Any]:
    """The answer for one request to service ``name`` (raises reader.UnknownService,
    Ambiguous)."""
    service = reader.service(client, name)
    reach = _reach(client, service, request)
    listeners = reader.listeners(client, service["id"])
    route: dict[str, Any] = {}
    listener: dict[str, Any] | None = None
    try:
        listener = router.choose_listener(listeners, request.port)
    except LookupError as exc:
        route = {"unreachable": str(exc), "served": False}
    except ValueError as exc:
        raise Ambiguous(str(exc)) from exc
    network_assoc = reach.get("network")
    layers: list[dict[str, Any]] = []
    if network_assoc is not None and listener is not None:
        keys = {
            "service_arn": service["arn"],
            "network_arn": network_assoc.get("serviceNetworkArn"),
            "vpc_owner": reach.get("vpcOwner"),
            "port": listener["port"],
            "tcp": listener["protocol"] == "TLS_PASSTHROUGH",
        }
        # by ARN: a network shared from another account is found by its ARN only
        ident = network_assoc.get("serviceNetworkArn") or network_assoc["serviceNetworkId"]
        network = reader.service_network(client, ident)
        layers = [
            _layer(client, "service network", network, request, keys),
            _layer(client, "service", service, request, keys),
        ]
        route = _route(client, service, listener, request)
    verdict = _verdict(reach, layers, route)
    return {
        "service": {k: service.get(k) for k in ("name", "id", "arn", "authType")},
        "request": {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": request.headers,
            "principal": request.principal.arn or "anonymous",
            "fromVpc": request.from_vpc,
        },
        "verdict": verdict,
        "served": verdict == policy.ALLOW and bool(route.get("served")),
        "why": _why(verdict, reach, layers, route),
        "reach": {
            "serviceNetwork": network_assoc and network_assoc.get("serviceNetworkArn"),
            "why": reach["why"],
        },
        **(
            {"listener": {k: listener[k] for k in ("name", "protocol", "port", "arn")}}
            if listener
            else {}
        ),
        "auth": layers,
        "route": route,
        "notes": _notes(request, layers),
    }
