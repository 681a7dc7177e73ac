"""The auth policy evaluator against the rules the IAM and VPC Lattice guides give: default deny,
explicit Deny wins, principals, actions, resources, condition operators and absent keys."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.simulate import policy
from lattice_deploy.simulate.context import Request, context_of, principal_of

SERVICE = "arn:aws:vpc-lattice:ap-northeast-1:123456789012:service/svc-0123456789abcdef0"
NETWORK = "arn:aws:vpc-lattice:ap-northeast-1:123456789012:servicenetwork/sn-0123456789abcdef0"
INVOKE = "vpc-lattice-svcs:Invoke"
NETWORK_LIKE = "arn:aws:vpc-lattice:*:123456789012:servicenetwork/*"


def allow(condition: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": "*", "Action": INVOKE, "Resource": "*"}
    return statement | ({"Condition": condition} if condition else {}) | more


def decide(*statements: dict[str, Any], **request: Any) -> policy.Decision:
    asked = Request(**{"from_vpc": "vpc-a", **request})
    context = context_of(
        asked, service_arn=SERVICE, network_arn=NETWORK, vpc_owner="123456789012", port=443
    )
    return policy.evaluate({"Version": "2012-10-17", "Statement": list(statements)}, context)


SOURCE_VPC_A = {"StringEquals": {"vpc-lattice-svcs:SourceVpc": "vpc-a"}}


def test_a_statement_allowing_one_vpc_allows_it_and_names_itself() -> None:
    found = decide(allow(SOURCE_VPC_A, Sid="OnlyA"))
    assert (found.effect, found.statement) == ("ALLOW", {"index": 1, "sid": "OnlyA"})


def test_another_vpc_is_denied_by_default_naming_the_condition_that_failed() -> None:
    found = decide(allow(SOURCE_VPC_A, Sid="OnlyA"), from_vpc="vpc-b")
    assert found.effect == "DENY" and found.why == "no statement allows it"
    assert found.statement is None
    (unmatched,) = found.unmatched
    assert unmatched.startswith("statement 1 (Sid OnlyA): StringEquals vpc-lattice-svcs:SourceVpc")
    assert "'vpc-b'" in unmatched


def test_an_explicit_deny_wins_over_an_allow_and_is_named() -> None:
    deny = allow(
        {"StringEquals": {"vpc-lattice-svcs:RequestMethod": "DELETE"}}, Effect="Deny", Sid="NoDel"
    )
    found = decide(allow(Sid="All"), deny, method="DELETE")
    assert (found.effect, found.statement) == ("DENY", {"index": 2, "sid": "NoDel"})
    assert "explicit Deny" in found.why
    assert decide(allow(Sid="All"), deny, method="GET").effect == "ALLOW"


def test_no_statement_at_all_is_the_default_deny() -> None:
    assert decide().effect == "DENY"


@pytest.mark.parametrize(
    ("principal_block", "caller", "allowed"),
    [
        ("*", None, True),  # everyone, anonymous callers too
        ({"AWS": "*"}, None, True),
        ({"AWS": "123456789012"}, None, False),  # an account names no anonymous caller
        ({"AWS": "123456789012"}, "arn:aws:iam::123456789012:role/app", True),
        ({"AWS": "arn:aws:iam::123456789012:root"}, "arn:aws:iam::123456789012:user/u", True),
        ({"AWS": "arn:aws:iam::123456789012:root"}, "arn:aws:iam::210987654321:user/u", False),
        (
            {"AWS": "arn:aws:iam::123456789012:role/app"},
            "arn:aws:sts::123456789012:assumed-role/app/session-1",  # a session of the role
            True,
        ),
        ({"AWS": "arn:aws:iam::123456789012:role/app"}, "arn:aws:iam::123456789012:role/x", False),
        ({"Service": "lambda.amazonaws.com"}, "arn:aws:iam::123456789012:role/app", False),
    ],
)
def test_principals(principal_block: Any, caller: str | None, allowed: bool) -> None:
    found = decide(allow(Principal=principal_block), principal=principal_of(caller))
    assert (found.effect == "ALLOW") is allowed


def test_not_principal_allows_all_but_those_it_names() -> None:
    statement = {"Effect": "Allow", "NotPrincipal": {"AWS": "210987654321"}, "Action": INVOKE}
    statement["Resource"] = "*"
    assert decide(statement, principal=principal_of("123456789012")).effect == "ALLOW"
    assert decide(statement, principal=principal_of("210987654321")).effect == "DENY"


def test_authenticated_only_policy_denies_anonymous_callers() -> None:
    """The User Guide's example: allow any authenticated principal."""
    only = allow({"StringNotEqualsIgnoreCase": {"aws:PrincipalType": "anonymous"}})
    assert decide(only).effect == "DENY"
    assert decide(only, principal=principal_of("arn:aws:iam::123456789012:user/u")).effect == (
        "ALLOW"
    )


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        (allow(Action="vpc-lattice-svcs:*"), True),
        (allow(Action="VPC-LATTICE-SVCS:invoke"), True),  # actions ignore case
        (allow(Action="vpc-lattice-svcs:Connect"), False),
        (allow(Action=None) | {"NotAction": "vpc-lattice-svcs:Connect"}, True),
        (allow(Resource=f"{SERVICE}/*"), True),
        (allow(Resource=f"{SERVICE}/api/*"), True),
        (allow(Resource=f"{SERVICE}/admin/*"), False),
        (allow(Resource=f"{SERVICE.upper()}/*"), False),  # ARNs keep their case
        (allow(Resource=None) | {"NotResource": f"{SERVICE}/admin/*"}, True),
    ],
)
def test_actions_and_the_request_resource(statement: dict[str, Any], allowed: bool) -> None:
    statement = {k: v for k, v in statement.items() if v is not None}
    assert (decide(statement, path="/api/items").effect == "ALLOW") is allowed


@pytest.mark.parametrize(
    ("condition", "allowed"),
    [
        ({"StringLike": {"vpc-lattice-svcs:RequestPath": "/api/*"}}, True),
        ({"StringLike": {"vpc-lattice-svcs:RequestPath": "/ap?/items"}}, True),
        ({"StringLike": {"vpc-lattice-svcs:RequestPath": "/API/*"}}, False),  # case counts
        ({"StringNotLike": {"vpc-lattice-svcs:RequestPath": "/admin*"}}, True),
        ({"StringEqualsIgnoreCase": {"vpc-lattice-svcs:RequestMethod": "get"}}, True),
        ({"StringEquals": {"vpc-lattice-svcs:RequestMethod": "get"}}, False),  # case counts
        ({"StringEquals": {"vpc-lattice-svcs:RequestMethod": ["POST", "GET"]}}, True),  # OR
        (
            {
                "StringEquals": {
                    "vpc-lattice-svcs:SourceVpc": "vpc-a",
                    "vpc-lattice-svcs:Port": "80",
                }
            },
            False,
        ),  # AND
        ({"NumericEquals": {"vpc-lattice-svcs:Port": "443"}}, True),
        ({"NumericLessThan": {"vpc-lattice-svcs:Port": 443}}, False),
        (
            {"ArnLike": {"vpc-lattice-svcs:ServiceNetworkArn": NETWORK_LIKE}},
            True,
        ),
        ({"ArnEquals": {"vpc-lattice-svcs:ServiceArn": SERVICE}}, True),
        ({"ArnLike": {"vpc-lattice-svcs:ServiceArn": "arn:aws:vpc-lattice:*"}}, False),  # 6 parts
        ({"StringEquals": {"vpc-lattice-svcs:SourceVpcOwnerAccount": "210987654321"}}, False),
        ({"StringEquals": {"VPC-LATTICE-SVCS:sourcevpc": "vpc-a"}}, True),  # key names ignore case
    ],
)
def test_condition_operators(condition: dict[str, Any], allowed: bool) -> None:
    assert (decide(allow(condition), path="/api/items").effect == "ALLOW") is allowed


@pytest.mark.parametrize(
    ("condition", "allowed"),
    [
        ({"StringEquals": {"vpc-lattice-svcs:RequestHeader/x-team": "blue"}}, False),
        ({"StringNotEquals": {"vpc-lattice-svcs:RequestHeader/x-team": "blue"}}, True),
        ({"StringEqualsIfExists": {"vpc-lattice-svcs:RequestHeader/x-team": "blue"}}, True),
        ({"Null": {"vpc-lattice-svcs:RequestHeader/x-team": "true"}}, True),
        ({"Null": {"vpc-lattice-svcs:RequestHeader/x-team": "false"}}, False),
        ({"ForAllValues:StringEquals": {"vpc-lattice-svcs:RequestHeader/x-team": "blue"}}, True),
        ({"ForAnyValue:StringEquals": {"vpc-lattice-svcs:RequestHeader/x-team": "blue"}}, False),
    ],
)
def test_a_key_the_request_lacks(condition: dict[str, Any], allowed: bool) -> None:
    """IAM: absent key → false, true for negated operators, IfExists and ForAllValues; Null
    tests presence."""
    assert (decide(allow(condition)).effect == "ALLOW") is allowed


def test_header_keys_ignore_the_names_case_and_ifexists_tests_a_present_key() -> None:
    condition = {"StringEqualsIfExists": {"vpc-lattice-svcs:RequestHeader/X-Team": "blue"}}
    assert decide(allow(condition), headers={"x-team": "blue"}).effect == "ALLOW"
    assert decide(allow(condition), headers={"x-team": "red"}).effect == "DENY"
    exact = {"StringEquals": {"vpc-lattice-svcs:RequestHeader/X-Team": "blue"}}
    assert decide(allow(exact), headers={"X-TEAM": "blue"}).effect == "ALLOW"
    query = {"StringEquals": {"vpc-lattice-svcs:RequestQueryString/env": "prod"}}
    assert decide(allow(query), query={"env": "prod"}).effect == "ALLOW"
    assert decide(allow(query), query={"Env": "prod"}).effect == "DENY"


def test_an_unknowable_key_is_reported_as_assumed_absent() -> None:
    found = decide(allow({"StringEquals": {"aws:PrincipalOrgID": "o-123"}}))
    assert found.effect == "DENY"
    assert found.assumed_absent == ["aws:PrincipalOrgID"]


def test_what_is_not_simulated_is_unknown_not_guessed() -> None:
    deny = allow({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, Effect="Deny")
    found = decide(allow(), deny)
    assert found.effect == "UNKNOWN" and "not simulated" in found.why
    variable = {"StringEquals": {"vpc-lattice-svcs:SourceVpc": "${aws:PrincipalTag/vpc}"}}
    assert decide(allow(variable)).effect == "UNKNOWN"
    context = context_of(
        Request(), service_arn=SERVICE, network_arn=None, vpc_owner=None, port=None
    )
    assert policy.evaluate("{not json", context).effect == "UNKNOWN"


def test_tls_passthrough_is_connect_on_the_service_arn() -> None:
    context = context_of(
        Request(), service_arn=SERVICE, network_arn=NETWORK, vpc_owner=None, port=443, tcp=True
    )
    assert (context.action, context.resource) == ("vpc-lattice-svcs:Connect", SERVICE)
    assert "vpc-lattice-svcs:requestpath" not in context.keys


def test_a_principal_that_is_not_an_arn_is_refused_naming_the_option() -> None:
    with pytest.raises(ValueError, match="--principal"):
        principal_of("bob")
