"""Which listener takes the request, which rule matches, which groups get which share, and
which targets can serve. VPC Lattice User Guide, "Listener rules for your VPC Lattice service":

- "Rules are evaluated in priority order, from the lowest value to the highest value. The
  default rule is evaluated last"; "If the conditions for none of a listener's rules are met,
  then the action for the default rule is performed". First match wins.
- Method match: "case sensitive. The method name must be an exact match".
- Header match: "Header name and match evaluation are case-insensitive. You can change this by
  turning on case sensitivity" (``caseSensitive`` governs the value; a name is always matched
  without case, as HTTP names are); exact, prefix or contains.
- Path match: exact or prefix; ``caseSensitive`` defaults to false (AWS CloudFormation / CDK
  ``AWS::VpcLattice::Rule PathMatch``: "Defaults to false"; the API reference gives no default).
- Weights: "Requests that match a listener rule with weighted target groups are distributed to
  these target groups based on their weights" (share = weight / sum); one group without a
  weight has 100 (API reference, WeightedTargetGroup).

Targets (User Guide, "Health checks for your VPC Lattice target groups"): "Each VPC Lattice
service routes requests only to the healthy targets". Unlike an Application Load Balancer, whose
guide documents failing open when every target is unhealthy, VPC Lattice documents no fail-open,
so none is assumed: a group without a HEALTHY target serves nothing. UNAVAILABLE ("Health checks
are unavailable for the target group": checks disabled, Lambda) counts as serving, since nothing
takes such a target out of service; DRAINING ("No new connections are sent") and INITIAL (it
"must pass one health check to be considered healthy") do not.
"""

from __future__ import annotations

from typing import Any

from .context import Request

SERVING = ("HEALTHY", "UNAVAILABLE")
DEFAULT_PORTS = (443, 80)


def choose_listener(listeners: list[dict[str, Any]], port: int | None) -> dict[str, Any]:
    """The listener on ``port``; without one, the only listener, else HTTPS 443, else HTTP 80.
    Raises LookupError (no listener on that port) or ValueError (ambiguous: name --port)."""
    shown = ", ".join(f"{ln['protocol']}:{ln['port']}" for ln in listeners) or "none"
    if port is not None:
        for listener in listeners:
            if listener["port"] == port:
                return listener
        raise LookupError(f"the service has no listener on port {port} (listeners: {shown})")
    if len(listeners) == 1:
        return listeners[0]
    for wanted in DEFAULT_PORTS:
        for listener in listeners:
            if listener["port"] == wanted:
                return listener
    if not listeners:
        raise LookupError("the service has no listener")
    raise ValueError(f"the service has several listeners ({shown}): name one with --port")


def _text_match(kind: str, wanted: str, got: str, case_sensitive: bool) -> bool:
    if not case_sensitive:
        wanted, got = wanted.lower(), got.lower()
    if kind == "exact":
        return got == wanted
    if kind == "prefix":
        return got.startswith(wanted)
    return kind == "contains" and wanted in got


def mismatch(match: dict[str, Any], request: Request) -> str | None:
    """Why a rule's ``match`` does not take the request (None: it does)."""
    http = match.get("httpMatch") or {}
    method = http.get("method")
    if method and method != request.method:
        return f"method {method} (the request's is {request.method})"
    path = http.get("pathMatch")
    if path:
        kind, wanted = next(iter(path["match"].items()))
        sensitive = bool(path.get("caseSensitive", False))
        if not _text_match(kind, wanted, request.path, sensitive):
            case = "" if sensitive else ", any case"
            return f"path {kind} {wanted!r}{case} (the request's is {request.path!r})"
    for header in http.get("headerMatches") or []:
        name = header["name"].lower()
        kind, wanted = next(iter(header["match"].items()))
        got = request.headers.get(name)
        if got is None:
            return f"header {header['name']} {kind} {wanted!r} (the request has no {name})"
        if not _text_match(kind, wanted, got, bool(header.get("caseSensitive", False))):
            return f"header {header['name']} {kind} {wanted!r} (the request's is {got!r})"
    return None


def match_rule(
    rules: list[dict[str, Any]], default_action: dict[str, Any], request: Request
) -> tuple[dict[str, Any], list[str]]:
    """The rule that takes the request (the default rule if none does: ``{"name": "default",
    "isDefault": True, "action": default_action}``) and, for each rule before it, why not."""
    skipped: list[str] = []
    for rule in sorted((r for r in rules if not r.get("isDefault")), key=lambda r: r["priority"]):
        why = mismatch(rule.get("match") or {}, request)
        if why is None:
            return rule, skipped
        skipped.append(f"rule {rule['name']} (priority {rule['priority']}): {why}")
    return {"name": "default", "isDefault": True, "action": default_action}, skipped


def shares(action: dict[str, Any]) -> list[dict[str, Any]]:
    """The forward action's groups: ``[{"targetGroup", "weight", "share"}]`` (share 0-1)."""
    groups = (action.get("forward") or {}).get("targetGroups") or []
    weights = [int(g.get("weight", 100)) for g in groups]
    total = sum(weights)
    return [
        {
            "targetGroup": g["targetGroupIdentifier"],
            "weight": w,
            "share": (w / total) if total else 0.0,
        }
        for g, w in zip(groups, weights, strict=True)
    ]


def serving(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in targets if t.get("status") in SERVING]
