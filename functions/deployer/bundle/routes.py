"""The friendly block's ``routes``: listener rules by method, path and headers, checked offline
and translated into VPC Lattice's own ``RuleMatch`` and action.

A route is ``{name, priority, match: {method, path: {exact|prefix}, headers: [...]}, to}`` where
``to`` is ``[{targetGroup, weight}]`` (``"self"`` or omitted: this service's group; a name or
ARN: another service's group, adopted, never changed) or ``{"fixedResponse": 404}``. What no
route matches goes to the listener's default action, this service's group.

The rules, from VPC Lattice's documents (each cited where it is checked): CreateRule's model
(RuleName, HttpMatch, HeaderMatchList 1-5, PathMatchExact/Prefix, TargetGroupWeight 0-999,
WeightedTargetGroupList 1-10, HttpStatusCode 100-599); the User Guide, "Listener rules": "For
Priority, enter a priority between 1 and 100", "Method match is case sensitive", "Wildcard
characters are not supported for header names", "If you specify multiple target groups for a
forward action, you must specify a weight for each target group"; "Quotas for Amazon VPC
Lattice": rules per listener, 10; "TLS listeners": "The only rule allowed for a TLS listener is
the default rule".

With a progressive strategy the production rule (priority 100) and the test rule (90) are on
the same listener: routes keep off those priorities and count against the same quota; a route
may not forward to this service's own group then, since ECS moves the weights of the production
rule only and a route to the blue group would serve no task once ECS moves traffic to green.
"""

from __future__ import annotations

import re
from typing import Any

from ..ecs import progressive
from . import limits

PRIORITIES = (1, 100)
RULES_PER_LISTENER = 10
"""The default quota (adjustable; a raised one is not read offline)."""
RULE_NAME = re.compile(r"(?!rule-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,63}")
PATH = re.compile(r"/[a-zA-Z0-9@:%_+.~#?&/=-]{0,199}")
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP token (RFC 9110, 5.6.2): what a method and a header name are made of."""
STANDARD_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
HEADER_KINDS = ("exact", "prefix", "contains")
PATH_KINDS = ("exact", "prefix")
SELF = "self"
_GROUP_ARN = r"arn:aws[\w-]*:vpc-lattice:(?P<region>[a-z0-9-]+):\d{12}:targetgroup/tg-[0-9a-z]{17}"
_GROUP_NAME = re.compile(r"(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,128}")
RESERVED = (progressive.PRODUCTION_RULE, progressive.TEST_RULE)


def _keys(value: dict[str, Any], known: tuple[str, ...], where: str, found: list[str]) -> None:
    for key in value:
        if key not in known:
            found.append(f"{where}.{key}: unknown field; {limits.nearest(key, known)}")


def _union(
    value: Any, kinds: tuple[str, ...], example: str, where: str, found: list[str], case: bool
) -> None:
    """``{exact|prefix|…: text}`` with exactly one kind (the model's union), 1-200 characters."""
    if not isinstance(value, dict):
        found.append(f"{where}: expected an object with one of {', '.join(kinds)}")
        return
    _keys(value, (*kinds, "caseSensitive") if case else kinds, where, found)
    given = [k for k in kinds if k in value]
    if len(given) != 1:
        found.append(
            f"{where}: give exactly one of {', '.join(kinds)} (got {', '.join(given) or 'none'}); "
            f"e.g. {example}"
        )
        return
    text = value[given[0]]
    if not isinstance(text, str) or not 1 <= len(text) <= 200:
        found.append(f"{where}.{given[0]}: expected a text of 1 to 200 characters")
    if "caseSensitive" in value and not isinstance(value["caseSensitive"], bool):
        found.append(f"{where}.caseSensitive: expected true or false")


def _match(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        found.append(f"{where}: expected an object of method, path and headers")
        return
    _keys(value, ("method", "path", "headers"), where, found)
    if not any(k in value for k in ("method", "path", "headers")):
        found.append(
            f"{where}: matches nothing in particular, which is the listener's default action; "
            "give a method, a path or headers"
        )
    method = value.get("method")
    if "method" in value and not (isinstance(method, str) and TOKEN.fullmatch(method)):
        found.append(f"{where}.method: {limits.show(method)} is not an HTTP method; e.g. GET")
    elif isinstance(method, str) and len(method) > 16:
        found.append(f"{where}.method: {method!r} is longer than the 16 characters Lattice takes")
    elif (
        isinstance(method, str) and method.upper() in STANDARD_METHODS and method != method.upper()
    ):
        found.append(
            f"{where}.method: {method!r} would never match: VPC Lattice's method match is case "
            f'sensitive (User Guide, "Listener rules"); write {method.upper()!r}'
        )
    if "path" in value:
        _union(value["path"], PATH_KINDS, '{"prefix": "/api"}', f"{where}.path", found, True)
        path = value["path"] if isinstance(value["path"], dict) else {}
        for kind in PATH_KINDS:
            text = path.get(kind)
            if isinstance(text, str) and not PATH.fullmatch(text):
                found.append(
                    f"{where}.path.{kind}: {text!r} is not a path VPC Lattice matches: it starts "
                    "with / and holds only letters, digits and @:%_+.~#?&/=- (no wildcards)"
                )
    if "headers" in value:
        _headers(value["headers"], f"{where}.headers", found)


def _headers(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, list) or not 1 <= len(value) <= 5:
        found.append(f"{where}: expected a list of 1 to 5 header matches (HeaderMatchList)")
        return
    for index, header in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(header, dict):
            found.append(f"{at}: expected an object {{name, match, caseSensitive}}")
            continue
        _keys(header, ("name", "match", "caseSensitive"), at, found)
        name = header.get("name")
        if not (isinstance(name, str) and 1 <= len(name) <= 100 and TOKEN.fullmatch(name)):
            found.append(
                f"{at}.name: {limits.show(name)} is not a header name (1 to 100 characters of "
                "an HTTP token; wildcards are not supported)"
            )
        _union(header.get("match"), HEADER_KINDS, '{"exact": "1"}', f"{at}.match", found, False)
        if "caseSensitive" in header and not isinstance(header["caseSensitive"], bool):
            found.append(f"{at}.caseSensitive: expected true or false")


def _to(value: Any, where: str, region: str, found: list[str]) -> list[str]:
    """The groups named (``self`` for this service's), after checking ``to``."""
    if isinstance(value, dict):
        _keys(value, ("fixedResponse",), where, found)
        code = value.get("fixedResponse")
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            found.append(f"{where}.fixedResponse: expected an HTTP status code, 100 to 599")
        return []
    if not isinstance(value, list) or not 1 <= len(value) <= 10:
        found.append(
            f'{where}: expected 1 to 10 target groups, e.g. [{{"targetGroup": "self"}}], '
            'or {"fixedResponse": 404}'
        )
        return []
    named: list[str] = []
    for index, target in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(target, dict):
            found.append(f"{at}: expected an object {{targetGroup, weight}}")
            continue
        _keys(target, ("targetGroup", "weight"), at, found)
        group = target.get("targetGroup", SELF)
        if not isinstance(group, str):
            found.append(f"{at}.targetGroup: expected a name, an ARN or self")
        elif group.startswith("arn:"):
            match = re.fullmatch(_GROUP_ARN, group)
            if not match:
                found.append(f"{at}.targetGroup: {group!r} is not a VPC Lattice target group ARN")
            elif region and match["region"] != region:
                found.append(
                    f"{at}.targetGroup: the ARN is in region {match['region']}, the bundle "
                    f"deploys to {region}; name a group of the deployment's region"
                )
        elif group != SELF and not (limits.offline(group) or _GROUP_NAME.fullmatch(group)):
            found.append(
                f"{at}.targetGroup: {group!r} is not a target group name (3-128 of a-z, 0-9, "
                "single hyphens), an ARN, or self"
            )
        if isinstance(group, str):
            if group in named:
                found.append(f"{at}.targetGroup: {group!r} is named twice; keep one, weighted")
            named.append(group)
        weight = target.get("weight")
        if "weight" in target and (
            isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 999
        ):
            found.append(f"{at}.weight: {limits.show(weight)} is not a weight of 0 to 999")
        elif "weight" not in target and len(value) > 1:
            found.append(
                f"{at}.weight: required when a route forwards to more than one group (User "
                'Guide, "Listener rules": a weight for each target group); give 0 to 999'
            )
    return named


def problems(
    service: dict[str, Any], spec: dict[str, Any], service_file: str, region: str
) -> list[str]:
    """Every problem of ``routes``, each naming the field and the fix."""
    found: list[str] = []
    routes = spec.get("routes")
    if routes is None:
        return found
    where = f"{service_file}: vpcLatticeConfiguration.routes"
    if not isinstance(routes, list):
        return [f"{where}: expected a list of routes"]
    strategy = progressive.strategy_of(service)
    taken = {}
    if strategy in progressive.STRATEGIES:
        taken[progressive.PRODUCTION_PRIORITY] = f"the {strategy} strategy's production rule"
        if spec.get("testRule"):
            taken[progressive.TEST_PRIORITY] = f"the {strategy} strategy's test rule"
    protocol = (spec.get("listener") or {}).get("protocol")
    if routes and protocol == "TLS_PASSTHROUGH":
        found.append(
            f'{where}: a TLS_PASSTHROUGH listener has no rules ("The only rule allowed for a TLS '
            'listener is the default rule", User Guide, "TLS listeners"); use an HTTPS listener '
            "or remove routes"
        )
    room = RULES_PER_LISTENER - len(taken)
    if len(routes) > room:
        found.append(
            f"{where}: {len(routes)} routes, and a listener holds {RULES_PER_LISTENER} rules "
            f'(User Guide, "Quotas for Amazon VPC Lattice", rules per listener)'
            + (f", {len(taken)} of them the strategy's" if taken else "")
            + f"; keep {room} or fewer (or ask for a higher quota and split the service)"
        )
    names: set[str] = set()
    priorities: dict[int, str] = {}
    for index, route in enumerate(routes):
        at = f"{where}[{index}]"
        if not isinstance(route, dict):
            found.append(f"{at}: expected an object {{name, priority, match, to}}")
            continue
        _keys(route, ("name", "priority", "match", "to"), at, found)
        name = route.get("name")
        if not (isinstance(name, str) and RULE_NAME.fullmatch(name)) or name in RESERVED:
            found.append(
                f"{at}.name: {limits.show(name)} is not a rule name VPC Lattice takes (3-63 of "
                "a-z, 0-9, single hyphens, not starting with rule-)"
                + (", and it is the strategy's own" if name in RESERVED else "")
                + "; name the route"
            )
        elif name in names:
            found.append(f"{at}.name: {name!r} is used by another route; rule names are unique")
        names.add(str(name))
        priority = route.get("priority")
        if isinstance(priority, bool) or not isinstance(priority, int):
            found.append(f"{at}.priority: required, a whole number from 1 to 100")
        elif not PRIORITIES[0] <= priority <= PRIORITIES[1]:
            found.append(
                f"{at}.priority: {priority} is out of range; VPC Lattice takes 1 to 100 (User "
                'Guide, "Listener rules"; the lowest is evaluated first)'
            )
        elif priority in priorities or priority in taken:
            other = priorities.get(priority) or taken[priority]
            found.append(
                f"{at}.priority: {priority} is already {other}'s; each rule of a listener has "
                "its own priority: choose another"
            )
        else:
            priorities[priority] = f"route {name}"
        if "match" not in route:
            found.append(f"{at}.match: required; give a method, a path or headers")
        else:
            _match(route["match"], f"{at}.match", found)
        if "to" not in route:
            found.append(f'{at}.to: required, e.g. [{{"targetGroup": "self"}}]')
            continue
        groups = _to(route["to"], f"{at}.to", region, found)
        if taken and SELF in groups:
            found.append(
                f"{at}.to: forwards to this service's own group, and the {strategy} strategy "
                "moves traffic only on its production rule: once ECS moves it to the green "
                "group, this route would reach no task. Forward it to another service's group, "
                "or remove the route (the production rule serves every request no route takes)"
            )
    return found


def rule_match(match: dict[str, Any]) -> dict[str, Any]:
    """A route's ``match`` as VPC Lattice's ``RuleMatch``."""
    http: dict[str, Any] = {}
    if "method" in match:
        http["method"] = match["method"]
    if "path" in match:
        path = match["path"]
        kind = next(k for k in PATH_KINDS if k in path)
        http["pathMatch"] = {
            "match": {kind: path[kind]},
            **({"caseSensitive": path["caseSensitive"]} if "caseSensitive" in path else {}),
        }
    if "headers" in match:
        http["headerMatches"] = [dict(h) for h in match["headers"]]
    return {"httpMatch": http}


def normalized(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    """``plan.lattice.routes``: each route as a rule to make (its groups resolved in the run);
    None when the bundle has no ``routes`` key: nothing about rules is read or done then (a
    bundle that drops its routes writes ``"routes": []``, and their rules are deleted)."""
    if spec.get("routes") is None:
        return None
    rules = []
    for route in spec.get("routes") or []:
        to = route["to"]
        rules.append(
            {
                "name": route["name"],
                "priority": route["priority"],
                "match": rule_match(route["match"]),
                "to": (
                    {"fixedResponse": to["fixedResponse"]}
                    if isinstance(to, dict)
                    else [
                        {
                            "targetGroup": t.get("targetGroup", SELF),
                            "weight": t.get("weight", 100),
                        }
                        for t in to
                    ]
                ),
            }
        )
    return rules
