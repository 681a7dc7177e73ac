"""IAM's policy simulator over moto's IAM state: which actions a role or user may take.

Why: moto 5.2 has no ``SimulatePrincipalPolicy``, and a check of an account ("may each function's
role do what its policy in the template grants?") asks IAM exactly that (IAM API reference,
SimulatePrincipalPolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/
API_SimulatePrincipalPolicy.html). The evaluation follows the IAM User Guide's "Policy evaluation
logic" for one account, **approximated**:

- the policies are the principal's identity policies (inline and attached managed; a user's
  groups' too) and its permissions boundary; resource policies, session policies, SCPs and RCPs
  are not evaluated (``OrganizationsDecisionDetail`` always allows);
- an explicit ``Deny`` in any of them decides ``explicitDeny``; otherwise an ``Allow`` in the
  identity policies decides ``allowed`` only if the boundary (when there is one) allows too
  (their intersection), else ``implicitDeny``;
- ``Action``/``NotAction`` match by ``fnmatch`` without regard to case, ``Resource``/
  ``NotResource`` by ``fnmatch`` with it (``*`` and ``?``); policy variables (``${aws:…}``) are
  not substituted;
- conditions: ``String(Not)Equals(IgnoreCase)``, ``String(Not)Like``, ``Arn(Not)Equals``,
  ``Arn(Not)Like``, ``Bool`` and ``Null``, with ``…IfExists`` and the ``ForAnyValue:``/
  ``ForAllValues:`` qualifiers, against the request's ``ContextEntries``; a key the request does
  not give fails a positive operator and passes a negated one, and is named in
  ``MissingContextValues``; any other operator (numeric, date, IP, binary) never matches.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from moto.iam.models import IAMBackend


@dataclass
class Statement:
    effect: str
    statement: dict[str, Any]
    source_id: str
    source_type: str
    """The policy's kind, as the IAM API Reference's ``Statement`` names it (SourcePolicyType:
    "user | group | role | aws-managed | user-managed | resource | none"): an inline policy is
    its holder's kind, a managed one ``aws-managed`` or ``user-managed``. A permissions boundary
    is a managed policy too; the reply tells it apart by ``PermissionsBoundaryDecisionDetail``."""


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def statements(document: str | dict[str, Any], source_id: str, source_type: str) -> list[Statement]:
    parsed = json.loads(unquote(document)) if isinstance(document, str) else document
    found = parsed.get("Statement") or []
    return [
        Statement(str(s.get("Effect")), s, source_id, source_type)
        for s in ([found] if isinstance(found, dict) else found)
    ]


def _managed(iam: IAMBackend, arn: str) -> list[Statement]:
    policy = iam.get_policy(arn)
    version = next(v for v in policy.versions if v.version_id == policy.default_version_id)
    kind = "aws-managed" if arn.split(":")[4] == "aws" else "user-managed"
    return statements(version.document, policy.name, kind)


def principal_policies(iam: IAMBackend, arn: str) -> tuple[list[Statement], list[Statement] | None]:
    """The principal's identity statements and its boundary's (None: no boundary). Raises
    moto's NoSuchEntity for a principal that does not exist."""
    kind = arn.split(":", 5)[5].split("/", 1)[0]
    if kind == "role":
        principal: Any = iam.get_role_by_arn(arn)
        groups: list[Any] = []
    else:
        principal = iam.get_user(arn.rsplit("/", 1)[1])
        groups = list(iam.get_groups_for_user(principal.name))
    identity: list[Statement] = []
    for holder, holder_kind in ((principal, kind), *((g, "group") for g in groups)):
        for name, document in holder.policies.items():
            identity += statements(document, name, holder_kind)
        for policy_arn in holder.managed_policies:
            identity += _managed(iam, policy_arn)
    boundary_arn = getattr(principal, "permissions_boundary_arn", None)
    boundary = _managed(iam, boundary_arn) if boundary_arn else None
    return identity, boundary


def _action_matches(statement: dict[str, Any], action: str) -> bool:
    def any_of(patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns)

    if "NotAction" in statement:
        return not any_of(_listed(statement["NotAction"]))
    return any_of(_listed(statement.get("Action")))


def _resource_matches(statement: dict[str, Any], resource: str) -> bool:
    def any_of(patterns: list[str]) -> bool:
        return any(p == "*" or fnmatch.fnmatchcase(resource, p) for p in patterns)

    if "NotResource" in statement:
        return not any_of(_listed(statement["NotResource"]))
    return any_of(_listed(statement.get("Resource")))


def _equals(given: str, wanted: str) -> bool:
    return given == wanted


def _equals_ignoring_case(given: str, wanted: str) -> bool:
    return given.lower() == wanted.lower()


_BASE: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": _equals,
    "StringEqualsIgnoreCase": _equals_ignoring_case,
    "StringLike": fnmatch.fnmatchcase,
    "ArnEquals": _equals,
    "ArnLike": fnmatch.fnmatchcase,
    "Bool": _equals_ignoring_case,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _operator_holds(
    operator: str, wanted: list[str], given: list[str] | None, key: str, missing: set[str]
) -> bool:
    qualifier, _, operator = operator.rpartition(":")
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if operator == "Null":  # "true": the key must be absent
        return (given is None) == (wanted[0].lower() == "true")
    negated = operator in _NEGATED
    compare = _BASE.get(_NEGATED.get(operator, operator))
    if compare is None:
        return False  # an operator this simulation does not evaluate (see the module)
    if given is None:
        if not if_exists:
            missing.add(key)
        if qualifier == "ForAllValues":  # "It also returns true if there are no keys in the
            return True  # request" (IAM User Guide, "Multivalued context keys")
        return if_exists or negated

    def one(value: str) -> bool:
        return any(compare(value, w) for w in wanted)

    hit = (all if qualifier == "ForAllValues" else any)(one(v) for v in given)
    return not hit if negated else hit


def _conditions_hold(
    statement: dict[str, Any], context: dict[str, list[str]], missing: set[str]
) -> bool:
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, wanted in keys.items():
            given = context.get(key.lower())
            if not _operator_holds(operator, _listed(wanted), given, key, missing):
                return False
    return True


def _matching(
    found: Iterable[Statement],
    action: str,
    resource: str,
    context: dict[str, list[str]],
    missing: set[str],
) -> list[Statement]:
    return [
        s
        for s in found
        if _action_matches(s.statement, action)
        and _resource_matches(s.statement, resource)
        and _conditions_hold(s.statement, context, missing)
    ]


def _decide(matched: list[Statement]) -> str:
    if any(s.effect == "Deny" for s in matched):
        return "explicitDeny"
    return "allowed" if any(s.effect == "Allow" for s in matched) else "implicitDeny"


def evaluate(
    identity: list[Statement],
    boundary: list[Statement] | None,
    action: str,
    resource: str,
    context: dict[str, list[str]],
) -> dict[str, Any]:
    """One ``EvaluationResult`` (IAM API reference, EvaluationResult)."""
    missing: set[str] = set()
    matched = _matching(identity, action, resource, context, missing)
    decision = _decide(matched)
    result: dict[str, Any] = {"EvalActionName": action, "EvalResourceName": resource}
    if boundary is not None:
        bounded = _matching(boundary, action, resource, context, missing)
        by_boundary = _decide(bounded)
        result["PermissionsBoundaryDecisionDetail"] = {
            "AllowedByPermissionsBoundary": by_boundary == "allowed"
        }
        if by_boundary == "explicitDeny":
            decision, matched = "explicitDeny", matched + bounded
        elif decision == "allowed" and by_boundary != "allowed":
            decision = "implicitDeny"
    result.update(
        EvalDecision=decision,
        MatchedStatements=[
            {"SourcePolicyId": s.source_id, "SourcePolicyType": s.source_type} for s in matched
        ],
        MissingContextValues=sorted(missing),
        OrganizationsDecisionDetail={"AllowedByOrganizations": True},
    )
    return result
