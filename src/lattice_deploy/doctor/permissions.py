"""Check 3, the function roles: may each do what the template grants it?

What a function must do is what its ``Policies`` in this lattice-deploy's template.yaml grant
(the least-privilege map: tests/workflow/ holds each function's calls to it). Each ``Allow``
statement is simulated against the function's role as deployed (GetFunctionConfiguration's
``Role``) with IAM's policy simulator (SimulatePrincipalPolicy): its actions, on its resources as
the stack resolves them, with its conditions' values as the request context (so a
``iam:PassedToService`` condition is met as the function's request meets it). The simulator
evaluates the role's identity policies and its permissions boundary, so a boundary that denies
an action shows up here; service control policies and resource policies are not simulated.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from . import Check
from .account import Account

CONTEXT = {
    "StringEquals": "string",
    "StringLike": "string",
    "ArnEquals": "string",
    "ArnLike": "string",
    "Bool": "boolean",
}
"""Condition operators whose values are the values a request has (the rest name no value)."""


@dataclass
class Need:
    function: str
    actions: list[str]
    resources: list[str]
    context: list[dict[str, Any]]


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def contexts(condition: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """One request context per combination of the condition's values (a statement that names
    two services is simulated once for each)."""
    keys = [
        (key, _listed(values), CONTEXT[operator])
        for operator, entries in (condition or {}).items()
        if operator in CONTEXT
        for key, values in entries.items()
    ]
    return [
        [
            {"ContextKeyName": key, "ContextKeyValues": [value], "ContextKeyType": kind}
            for (key, _, kind), value in zip(keys, chosen, strict=True)
        ]
        for chosen in itertools.product(*(values for _, values, _ in keys))
    ]


def statements(account: Account, logical_id: str) -> list[dict[str, Any]]:
    """The function's ``Allow`` statements in the template, resolved against the stack."""
    fn = next(f for f in account.template.functions if f.logical_id == logical_id)
    found = []
    for policy in fn.properties.get("Policies") or []:
        if isinstance(policy, dict):
            found += [s for s in policy.get("Statement") or [] if s.get("Effect") == "Allow"]
    return [account.resolve(s) for s in found]


def needs(account: Account, logical_id: str) -> list[Need]:
    made = []
    for statement in statements(account, logical_id):
        actions = [a for a in _listed(statement.get("Action")) if "*" not in a]
        if not actions:  # a wildcard names no one action the simulator could evaluate
            continue
        resources = _listed(statement.get("Resource")) or ["*"]
        for context in contexts(statement.get("Condition") or {}):
            made.append(Need(logical_id, actions, resources, context))
    return made


def simulate(account: Account, role_arn: str, need: Need) -> list[dict[str, Any]]:
    pages = account.client("iam").get_paginator("simulate_principal_policy")
    found: list[dict[str, Any]] = []
    for page in pages.paginate(
        PolicySourceArn=role_arn,
        ActionNames=need.actions,
        ResourceArns=need.resources,
        ContextEntries=need.context,
    ):
        found += page["EvaluationResults"]
    return found


def role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _why(account: Account, logical: str, role_arn: str, result: dict[str, Any]) -> tuple[str, str]:
    """Why the simulator denied it, and the fix."""
    role = role_name(role_arn)
    deploy = f"sam deploy --stack-name {account.stack_name}"
    boundary = result.get("PermissionsBoundaryDecisionDetail") or {}
    if boundary.get("AllowedByPermissionsBoundary") is False:
        given = account.role(role).get("PermissionsBoundary") or {}
        arn = given.get("PermissionsBoundaryArn", "?")
        return (
            f"its permissions boundary {arn} does not allow it",
            f"allow it in the boundary (aws iam create-policy-version --policy-arn {arn} "
            f"--set-as-default --policy-document file://boundary.json), or remove the "
            f"boundary: aws iam delete-role-permissions-boundary --role-name {role}",
        )
    matched = [s.get("SourcePolicyId") for s in result.get("MatchedStatements") or []]
    if result["EvalDecision"] == "explicitDeny":
        return (
            f"a Deny in {', '.join(map(str, matched)) or 'a policy'} of role {role} refuses it",
            f"remove that Deny (aws iam get-role-policy --role-name {role} --policy-name "
            f"{matched[0] if matched else 'NAME'}; aws iam list-attached-role-policies "
            f"--role-name {role})",
        )
    return (
        f"no policy of role {role} allows it",
        f"deploy this version's template, whose {logical} Policies grant it: {deploy}",
    )


def check(account: Account, result: Check) -> None:
    simulated = roles = 0
    denied: dict[tuple[str, str, str], list[str]] = {}
    for logical, function in account.function_names().items():
        if function is None:
            continue
        role_arn = str(account.configuration(function)["Role"])
        roles += 1
        for need in needs(account, logical):
            for found in simulate(account, role_arn, need):
                simulated += 1
                if found["EvalDecision"] == "allowed":
                    continue
                why, fix = _why(account, logical, role_arn, found)
                action = f"{found['EvalActionName']} on {found['EvalResourceName']}"
                listed = denied.setdefault((logical, why, fix), [])
                if action not in listed:
                    listed.append(action)
    for (logical, why, fix), actions in denied.items():
        result.fail(f"{logical} may not {'; '.join(actions)}: {why}", fix)
    refused = sum(len(a) for a in denied.values())
    result.summary = f"{roles} function roles, {simulated} action/resource pairs simulated: " + (
        f"{refused} denied" if refused else "all allowed"
    )
