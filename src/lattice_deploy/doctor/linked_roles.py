"""Check 4, the service-linked roles ECS and VPC Lattice act through.

Each is present (IAM GetRole), or the deploy can make it: VPC Lattice creates its role at the
first create, with the caller's ``iam:CreateServiceLinkedRole`` (VPC Lattice User Guide, "Using
service-linked roles"); which function that is, and for which services, the template says (a
statement granting the action, its ``iam:AWSServiceName`` condition naming the service), and
the simulator says whether its role may. ECS makes its role with the first cluster; no function
of the stack may create it, so an account without it needs it made once.
"""

from __future__ import annotations

from . import Check
from .account import Account
from .permissions import Need, contexts, simulate, statements

LINKED = (
    ("AWSServiceRoleForECS", "ecs.amazonaws.com"),
    ("AWSServiceRoleForVpcLattice", "vpc-lattice.amazonaws.com"),
)
ACTION = "iam:CreateServiceLinkedRole"


def creators(account: Account, service: str) -> list[tuple[str, list[str], list[dict[str, str]]]]:
    """``(function, resources, context)`` for each function the template lets create the role."""
    found = []
    for logical in account.function_names():
        for statement in statements(account, logical):
            actions = statement.get("Action")
            if ACTION not in ([actions] if isinstance(actions, str) else actions or []):
                continue
            resource = statement.get("Resource") or "*"
            resources = [resource] if isinstance(resource, str) else list(resource)
            for context in contexts(statement.get("Condition") or {}):
                if all(
                    service in e["ContextKeyValues"]
                    for e in context
                    if e["ContextKeyName"] == "iam:AWSServiceName"
                ):
                    found.append((logical, resources, context))
    return found


def check(account: Account, result: Check) -> None:
    iam, present, made_later = account.client("iam"), [], []
    functions = account.function_names()
    for role, service in LINKED:
        try:
            iam.get_role(RoleName=role)
            present.append(role)
            continue
        except iam.exceptions.NoSuchEntityException:
            pass
        path = f"role/aws-service-role/{service}/{role}"
        arn = f"arn:{account.partition}:iam::{account.account_id}:{path}"
        allowed = []
        for logical, _, context in creators(account, service):
            if not (function := functions.get(logical)):
                continue
            role_arn = str(account.configuration(function)["Role"])
            need = Need(logical, [ACTION], [arn], context)
            if all(r["EvalDecision"] == "allowed" for r in simulate(account, role_arn, need)):
                allowed.append(logical)
        if allowed:
            made_later.append(f"{role} (absent: {allowed[0]} creates it on the first deploy)")
            continue
        result.fail(
            f"{role} does not exist, and no function of the stack may create it "
            f"({ACTION} for {service})",
            f"create it once: aws iam create-service-linked-role --aws-service-name {service}",
        )
    result.summary = "; ".join([*(f"{r} present" for r in present), *made_later])
