"""The request a user asks about, and the request context an auth policy is evaluated against.

Keys: VPC Lattice User Guide, "Auth policies", "Condition keys" (``vpc-lattice-svcs:Port``,
``RequestMethod``, ``RequestHeader/header-name``, ``RequestPath``, ``RequestQueryString/key-name``,
``ServiceArn``, ``ServiceNetworkArn``, ``SourceVpc``, ``SourceVpcOwnerAccount``) and the global
principal keys (IAM User Guide, "AWS global condition context keys": ``aws:PrincipalArn``,
``aws:PrincipalAccount``, ``aws:PrincipalType``). A key the simulator cannot know
(``aws:PrincipalOrgID``, ``aws:PrincipalTag/...``, ``aws:SourceIp``...) is absent from the
context and reported as assumed absent when a condition reads it, so the answer says what it
rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
SVCS = "vpc-lattice-svcs"
ARN = re.compile(r"arn:(?P<partition>[^:]+):(?P<service>iam|sts)::(?P<account>\d{12}):(?P<rest>.+)")


@dataclass(frozen=True)
class Principal:
    """Who calls. ``arn`` None: anonymous (a request not signed with SigV4; VPC Lattice User
    Guide, "Auth policies": anonymous principals can call when a policy allows ``*``)."""

    arn: str | None = None
    account: str | None = None
    kind: str = "Anonymous"  # aws:PrincipalType: Account, User, AssumedRole, Anonymous
    role_arn: str | None = None  # an assumed-role session's role (aws:PrincipalArn is the role)

    @property
    def principal_arn(self) -> str | None:
        return self.role_arn or self.arn

    def names(self) -> set[str]:
        """What a ``Principal: {"AWS": ...}`` entry may name to match this caller: the ARN, the
        role of a session, or the account (its id or ``:root``: the whole account; IAM User Guide,
        "AWS JSON policy elements: Principal")."""
        if self.arn is None:
            return set()
        account = {self.account, f"arn:aws:iam::{self.account}:root"} if self.account else set()
        return {n for n in (self.arn, self.role_arn) if n} | {a for a in account if a}


def principal_of(text: str | None) -> Principal:
    """``--principal``: an IAM user, role, assumed-role session or account (12 digits or
    ``arn:aws:iam::ACCOUNT:root``); absent or ``anonymous``: unauthenticated."""
    if not text or text.lower() == ANONYMOUS:
        return Principal()
    if re.fullmatch(r"\d{12}", text):
        return Principal(f"arn:aws:iam::{text}:root", text, "Account")
    found = ARN.fullmatch(text)
    if not found:
        raise ValueError(
            f"--principal {text!r}: give an IAM ARN (arn:aws:iam::123456789012:role/NAME, "
            "…:user/NAME, arn:aws:sts::123456789012:assumed-role/NAME/SESSION), an account id, "
            "or 'anonymous'"
        )
    account, rest = found["account"], found["rest"]
    if rest == "root":
        return Principal(text, account, "Account")
    if found["service"] == "sts" and rest.startswith("assumed-role/"):
        role = rest.split("/")[1]
        return Principal(text, account, "AssumedRole", f"arn:aws:iam::{account}:role/{role}")
    if rest.startswith("role/"):
        return Principal(text, account, "AssumedRole", text)
    return Principal(text, account, "User")


@dataclass
class Request:
    method: str = "GET"
    path: str = "/"
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased
    principal: Principal = field(default_factory=Principal)
    from_vpc: str | None = None
    port: int | None = None


@dataclass
class Context:
    """What one auth policy is evaluated against: action, resource, keys (lower-cased names,
    except a query string key's own part) and what a condition read but the simulator lacks."""

    principal: Principal
    action: str
    resource: str
    keys: dict[str, list[str]]
    assumed_absent: set[str] = field(default_factory=set)

    def value(self, key: str) -> list[str] | None:
        found = self.keys.get(normal_key(key))
        if found is None and not _knowable(key):
            self.assumed_absent.add(key)
        return found


def normal_key(key: str) -> str:
    """Condition key names are case-insensitive (IAM User Guide, "Condition element"); a
    header's name is too (Lattice header matches ignore a name's case); a query string key is
    kept as written (AWS does not say it ignores its case)."""
    prefix, _, rest = key.partition("/")
    if prefix.lower() == f"{SVCS}:requestquerystring":
        return f"{prefix.lower()}/{rest}"
    return key.lower()


_KNOWN = {"aws:principalarn", "aws:principalaccount", "aws:principaltype"} | {
    f"{SVCS}:{k}"
    for k in (
        "port",
        "requestmethod",
        "requestpath",
        "servicearn",
        "servicenetworkarn",
        "sourcevpc",
        "sourcevpcowneraccount",
    )
}


def _knowable(key: str) -> bool:
    """A key this simulator would set if the request had it (its absence is the request's)."""
    low = key.lower()
    return low in _KNOWN or low.startswith(
        (f"{SVCS}:requestheader/", f"{SVCS}:requestquerystring/")
    )


def context_of(
    request: Request,
    *,
    service_arn: str,
    network_arn: str | None,
    vpc_owner: str | None,
    port: int | None,
    tcp: bool = False,
) -> Context:
    """The request context. Resource: "arn:aws:vpc-lattice:region:account:service/svc-id/path"
    for Invoke, the service's ARN for Connect (Service Authorization Reference, "Amazon VPC
    Lattice Services": resource types Service ``…:service/${ServiceId}/${RequestPath}`` and TCP
    Service); the path's leading ``/`` is the separator."""
    p = request.principal
    keys: dict[str, list[str]] = {"aws:principaltype": [p.kind]}
    if p.principal_arn:
        keys["aws:principalarn"] = [p.principal_arn]
    if p.account:
        keys["aws:principalaccount"] = [p.account]
    lattice = {
        "servicearn": service_arn,
        "servicenetworkarn": network_arn,
        "sourcevpc": request.from_vpc,
        "sourcevpcowneraccount": vpc_owner,
        "port": str(port) if port is not None else None,
    }
    if not tcp:
        lattice |= {"requestmethod": request.method, "requestpath": request.path}
    keys |= {f"{SVCS}:{k}": [v] for k, v in lattice.items() if v is not None}
    if not tcp:
        keys |= {f"{SVCS}:requestheader/{k.lower()}": [v] for k, v in request.headers.items()}
        keys |= {f"{SVCS}:requestquerystring/{k}": [v] for k, v in request.query.items()}
    action = f"{SVCS}:{'Connect' if tcp else 'Invoke'}"
    resource = service_arn if tcp else f"{service_arn}{request.path}"
    return Context(p, action, resource, keys)
