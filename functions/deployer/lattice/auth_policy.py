"""A VPC Lattice auth block (``{"type": "NONE" | "AWS_IAM", "policy": {...}}``), checked offline:
every problem said as ``file: field path: what is wrong; fix``, before any change.

Why here, below ``bundle``: the run (``ensure_auth``), the rollback and ``status`` read the same
policy, and compare and summarise it with the helpers at the end of this module.

What AWS documents, and what is checked (Amazon VPC Lattice User Guide, "Control access to VPC
Lattice services using auth policies", unless said otherwise):

- "Add an auth policy to the service. If you do not add an auth policy, all traffic will get an
  access denied error": ``AWS_IAM`` without ``policy`` is refused (it would cut every caller off);
  a ``policy`` with ``NONE`` is refused too (it would never be evaluated: "If the auth type is
  NONE, then any auth policy that you provide remains inactive", API Reference, GetAuthPolicy).
- "VPC Lattice auth policies are specified using the same syntax as IAM policies": Version,
  Statement, Effect, Principal ("You must specify a principal in a resource-based policy"),
  Action ("VPC Lattice supports actions that use the vpc-lattice-svcs prefix": Invoke and
  Connect, Service Authorization Reference), Resource ("<serviceARN>/<path>", ``*``, ``*/path``),
  Condition with IAM's operators.
- "Condition keys are case sensitive": the table's keys (Port, RequestMethod, RequestHeader/…,
  RequestQueryString/…, ServiceNetworkArn, ServiceArn, SourceVpc, SourceVpcOwnerAccount; and
  RequestPath, which the Service Authorization Reference lists for Invoke), plus AWS's global
  keys (IAM User Guide, "AWS global condition context keys").
- Quotas for Amazon VPC Lattice: "Auth policy size: 10 Kilobytes", not adjustable (the API
  reference once gave PutAuthPolicy's policy "Maximum length of 10000"): the smaller, 10,000
  bytes of the policy as sent (compact JSON), so a policy passing here passes either reading.
- PutAuthPolicy: "The policy string in JSON must not contain newlines": it is sent compact.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
from typing import Any

from ..core.errors import BundleInvalid
from ..core.json_text import parse_json
from .auth_grammar import (
    ACCOUNT,
    ACTIONS,
    BLOCK_KEYS,
    GLOBAL_PREFIXED,
    IAM_ARN,
    KNOWN_KEYS,
    LATTICE_ARN,
    LATTICE_PREFIXED,
    MAX_POLICY_BYTES,
    OPERATORS,
    STATEMENT_KEYS,
    TYPES,
    VERSIONS,
)


def _nearest(value: str, known: Any) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if not close:  # case differs only (keys are case sensitive): still the one meant
        close = [k for k in known if k.lower() == value.lower()][:1]
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"


def _unknown(given: dict[str, Any], known: Any, noun: str, where: str, found: list[str]) -> None:
    """Each key of ``given`` that is not ``known``, with the nearest known one."""
    found += [f"{where}.{k}: unknown {noun}; {_nearest(k, known)}" for k in given if k not in known]


def parsed(value: Any) -> Any:
    """The policy as an object: given as one, or as JSON text (None when the text is not JSON)."""
    if isinstance(value, str):
        try:
            return parse_json(value, "policy")
        except BundleInvalid:
            return None
    return value


def compact(policy: Any) -> str:
    """The policy as PutAuthPolicy takes it: JSON with no newline (PutAuthPolicy: "The policy
    string in JSON must not contain newlines or blank lines")."""
    return json.dumps(policy, separators=(",", ":"), ensure_ascii=False)


def same(current: Any, desired: Any) -> bool:
    """Equal as JSON values (AWS may hand the text back spaced or ordered otherwise)."""
    return bool(parsed(current) == parsed(desired))


def problems(block: Any, where: str, found: list[str]) -> None:
    """Append every problem of the auth block at ``where`` (``file: <block>.auth``)."""
    if block is None:
        return
    if not isinstance(block, dict):
        found.append(f'{where}: expected an object, e.g. {{"type": "AWS_IAM", "policy": {{…}}}}')
        return
    _unknown(block, BLOCK_KEYS, "field", where, found)
    kind = block.get("type", "NONE")
    if kind not in TYPES:
        found.append(
            f"{where}.type: {json.dumps(kind)} is not an auth type VPC Lattice has; "
            f"give NONE or AWS_IAM ({_nearest(str(kind), TYPES)})"
        )
        return
    policy = block.get("policy")
    if kind == "AWS_IAM" and policy is None:
        found.append(
            f"{where}.policy: missing; with AWS_IAM and no auth policy VPC Lattice denies every "
            'request (User Guide, auth policies: "If you do not add an auth policy, all traffic '
            'will get an access denied error"); add a policy, e.g. one allowing '
            '"vpc-lattice-svcs:Invoke" from your VPC (Condition StringEquals '
            '"vpc-lattice-svcs:SourceVpc")'
        )
    elif kind == "NONE" and policy is not None:
        found.append(
            f"{where}.policy: given with type NONE, where an auth policy is never evaluated "
            "(it stays Inactive); set type AWS_IAM to enforce it, or remove the policy"
        )
    elif policy is not None:
        _policy(policy, f"{where}.policy", found)


def _policy(value: Any, where: str, found: list[str]) -> None:
    policy = parsed(value)
    if policy is None:
        found.append(f"{where}: not JSON; give the policy as an object (or as valid JSON text)")
        return
    if not isinstance(policy, dict):
        found.append(f"{where}: expected a policy object with Version and Statement")
        return
    size = len(compact(policy).encode())
    if size > MAX_POLICY_BYTES:
        found.append(
            f"{where}: {size} bytes as sent, over VPC Lattice's auth policy size quota "
            f"({MAX_POLICY_BYTES:,} bytes; not adjustable); merge statements or use fewer values"
        )
    for key in policy:
        if key not in ("Version", "Statement", "Id"):
            hint = _nearest(key, ("Version", "Statement"))
            found.append(f"{where}.{key}: unknown element; {hint}")
    if policy.get("Version") not in VERSIONS:
        found.append(
            f"{where}.Version: {json.dumps(policy.get('Version'))} is not a policy language "
            'version; write "Version": "2012-10-17" (without it IAM reads 2008-10-17, where '
            "policy variables are plain text)"
        )
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        found.append(f"{where}.Statement: expected a list of statements (at least one)")
        return
    for index, statement in enumerate(statements):
        _statement(statement, f"{where}.Statement[{index}]", found)


def _statement(statement: Any, where: str, found: list[str]) -> None:
    if not isinstance(statement, dict):
        found.append(f"{where}: expected a statement object (Effect, Principal, Action, Resource)")
        return
    _unknown(statement, STATEMENT_KEYS, "element", where, found)
    if statement.get("Effect") not in ("Allow", "Deny"):
        effect = json.dumps(statement.get("Effect"))
        found.append(
            f"{where}.Effect: {effect} is not Allow or Deny "
            f"({_nearest(str(statement.get('Effect')), ('Allow', 'Deny'))})"
        )
    for pair, check in (
        (("Principal", "NotPrincipal"), _principal),
        (("Action", "NotAction"), _action),
        (("Resource", "NotResource"), _resource),
    ):
        given = [k for k in pair if k in statement]
        if len(given) != 1:
            found.append(
                f"{where}: give exactly one of {' or '.join(pair)} "
                + (
                    "(an auth policy is a resource-based policy: it names who may call)"
                    if pair[0] == "Principal"
                    else f'(e.g. "{pair[0]}": "*")'
                )
            )
        for key in given:
            check(statement[key], f"{where}.{key}", found)
    if "Condition" in statement:
        _condition(statement["Condition"], f"{where}.Condition", found)


def _strings(value: Any, where: str, found: list[str]) -> list[str]:
    """``value`` as a list of strings (IAM takes one or a list); a problem said otherwise."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) for i in items):
        found.append(f"{where}: expected a string or a list of strings")
        return []
    return items


def _action(value: Any, where: str, found: list[str]) -> None:
    for action in _strings(value, where, found):
        if action in ("*", "vpc-lattice-svcs:*") or action in ACTIONS:
            continue
        if action.startswith("vpc-lattice-svcs:") and any(
            fnmatch.fnmatchcase(a, action) for a in ACTIONS
        ):
            continue
        found.append(
            f"{where}: {json.dumps(action)} is not an action of VPC Lattice Services; "
            f"{_nearest(action, (*ACTIONS, 'vpc-lattice-svcs:*'))} (auth policies take "
            "vpc-lattice-svcs:Invoke, vpc-lattice-svcs:Connect, vpc-lattice-svcs:* or *)"
        )


def _resource(value: Any, where: str, found: list[str]) -> None:
    for resource in _strings(value, where, found):
        if resource == "*" or resource.startswith("*/") or LATTICE_ARN.fullmatch(resource):
            continue
        found.append(
            f'{where}: {json.dumps(resource)} is not a resource of an auth policy; give "*", '
            '"*/<path>" or a service ARN (arn:aws:vpc-lattice:<region>:<account>:service/'
            "<service-id>[/<path>])"
        )


def _principal(value: Any, where: str, found: list[str]) -> None:
    if value == "*":
        return
    if not isinstance(value, dict) or not value:
        found.append(f'{where}: expected "*" or an object such as {{"AWS": "<account or ARN>"}}')
        return
    for kind, names in value.items():
        if kind not in ("AWS", "Service", "Federated"):
            found.append(f"{where}.{kind}: unknown principal type; {_nearest(kind, ('AWS',))}")
            continue
        for name in _strings(names, f"{where}.{kind}", found):
            ok = (
                name == "*"
                or (kind == "AWS" and (ACCOUNT.fullmatch(name) or IAM_ARN.fullmatch(name)))
                or (kind == "Service" and name.endswith(".amazonaws.com"))
                or (kind == "Federated" and bool(name))
            )
            if not ok:
                found.append(
                    f"{where}.{kind}: {json.dumps(name)} is not a principal IAM takes; give an "
                    "account id (123456789012), an IAM ARN (arn:aws:iam::123456789012:role/"
                    'name) or "*"'
                )


def _condition(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        found.append(f'{where}: expected {{"<operator>": {{"<key>": <value>}}}}')
        return
    for operator, keys in value.items():
        base = re.sub(r"^For(All|Any)Values?:", "", operator)
        base = base[: -len("IfExists")] if base.endswith("IfExists") and base != "Null" else base
        if base not in OPERATORS:
            found.append(
                f"{where}.{operator}: unknown condition operator; {_nearest(base, OPERATORS)}"
            )
            continue
        if not isinstance(keys, dict) or not keys:
            found.append(f'{where}.{operator}: expected {{"<condition key>": <value>}}')
            continue
        for key, wanted in keys.items():
            _condition_key(key, wanted, f"{where}.{operator}.{key}", found)


def _condition_key(key: str, wanted: Any, where: str, found: list[str]) -> None:
    prefixed = LATTICE_PREFIXED + GLOBAL_PREFIXED
    if key not in KNOWN_KEYS and not any(key.startswith(p) and len(key) > len(p) for p in prefixed):
        hint = _nearest(key, KNOWN_KEYS + tuple(f"{p}<name>" for p in prefixed))
        found.append(
            f"{where}: not a condition key VPC Lattice documents (keys are case sensitive); {hint}"
        )
    values = wanted if isinstance(wanted, list) else [wanted]
    if not values or not all(
        isinstance(v, str | int | float | bool) and v is not None for v in values
    ):
        found.append(f"{where}: expected a value or a list of values (strings, numbers, booleans)")


# ---- reading a policy back: who may call -----------------------------------------------------
_SHORT = {"vpc-lattice-svcs:Invoke": "Invoke", "vpc-lattice-svcs:Connect": "Connect"}


def summary(auth_type: str | None, policy: Any) -> str:
    """One line: the auth type and, for AWS_IAM, who each statement lets call (or stops), e.g.
    ``AWS_IAM: Allow Invoke from vpc-123 (SourceVpc)``."""
    if auth_type != "AWS_IAM":
        return f"{auth_type or 'NONE'}: anyone who can reach the service network may call"
    document = parsed(policy)
    if not isinstance(document, dict):
        return "AWS_IAM: no auth policy: every request is denied"
    statements = document.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements or []
    parts = [_said(s) for s in statements if isinstance(s, dict)]
    return "AWS_IAM: " + ("; ".join(parts) if parts else "no statement: every request is denied")


def _said(statement: dict[str, Any]) -> str:
    actions = statement.get("Action", statement.get("NotAction", "*"))
    actions = actions if isinstance(actions, list) else [actions]
    what = ", ".join(
        _SHORT.get(a, "any action" if a in ("*", "vpc-lattice-svcs:*") else a) for a in actions
    )
    who: list[str] = []
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        for names in principal.values():
            who += names if isinstance(names, list) else [names]
    conditions = statement.get("Condition")
    for operator, keys in conditions.items() if isinstance(conditions, dict) else []:
        for key, value in keys.items() if isinstance(keys, dict) else []:
            values = value if isinstance(value, list) else [value]
            short = key.split(":", 1)[-1]
            negated = "Not" in operator
            who.append(f"{'not ' if negated else ''}{'|'.join(map(str, values))} ({short})")
    source = " from " + ", ".join(who) if who else " from any principal"
    return f"{statement.get('Effect', '?')} {what}{source}"
