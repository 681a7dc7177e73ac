"""The names of the VPC Lattice resources a deploy creates, derived from the ECS service's name.

Why derived, not refused: an ECS service name takes "Up to 255 letters (uppercase and
lowercase), numbers, underscores, and hyphens", while VPC Lattice takes far less (API reference,
CreateService / CreateTargetGroup / CreateListener / CreateServiceNetwork ``name``: "The valid
characters are a-z, 0-9, and hyphens (-). You can't use a hyphen as the first or last character,
or immediately after another hyphen"; 3-40 characters for a service, 3-128 for a target group,
3-63 for a listener and a service network). Renaming a running ECS service is not a fix, so the
name ``<env>-<service>-<kind>`` is made to fit: lower case, every other character a hyphen,
hyphens collapsed; too long, it is cut and ends in 6 hex digits of a hash of the whole name, so
two services that share a long prefix never get one name. A name the bundle gives
(``vpcLatticeConfiguration.service`` / ``targetGroup``) wins and is checked as given.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

LIMITS = {"service": 40, "targetgroup": 128, "listener": 63, "servicenetwork": 63}
PATTERN = {
    "service": "(?!svc-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+",
    "targetgroup": "(?!tg-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+",
    "listener": "(?!listener-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+",
    "servicenetwork": "(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+",
}
"""botocore's VPC Lattice model: ServiceName, TargetGroupName, ListenerName and
ServiceNetworkName patterns (each also 3 characters at least)."""
HASH = 6


def valid(name: str, kind: str) -> bool:
    return 3 <= len(name) <= LIMITS[kind] and re.fullmatch(PATTERN[kind], name) is not None


def derive(parts: list[str], kind: str, suffix: str = "") -> str:
    """``<parts>-<suffix or kind>`` as VPC Lattice takes it for ``kind`` (see the module)."""
    whole = "-".join([*parts, suffix or kind])
    if valid(whole, kind):
        return whole
    name = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]", "-", whole.lower())).strip("-")
    limit = LIMITS[kind]
    if len(name) > limit:
        digest = hashlib.sha256(whole.encode()).hexdigest()[:HASH]
        name = f"{name[: limit - HASH - 1].rstrip('-')}-{digest}"
    return name


def names(env: str, service: str) -> dict[str, str]:
    """The created resources' names: ``{serviceNetwork, service, targetGroup, listener}``."""
    return {
        "serviceNetwork": derive([env], "servicenetwork"),
        "service": derive([env, service], "service"),
        "targetGroup": derive([env, service], "targetgroup"),
        "listener": derive([env, service], "listener"),
    }


def alternate_group(env: str, service: str) -> str:
    """The green target group of a progressive strategy (``<env>-<service>-targetgroup-alt``)."""
    return derive([env, service], "targetgroup", "targetgroup-alt")


def notices(service_file: str, service: str, env: str, lattice: dict[str, Any]) -> list[str]:
    """Says each Lattice name made to fit VPC Lattice's rules (not ``<env>-<service>-<kind>``
    as written), where the bundle gave none (:mod:`.names`)."""
    made = [
        f"{label} {ref['name']!r}"
        for label, ref, kind in (
            ("service", lattice["service"], "service"),
            ("target group", lattice["targetGroup"], "targetgroup"),
            ("listener", lattice["listener"], "listener"),
        )
        if not ref.get("named") and "name" in ref and ref["name"] != f"{env}-{service}-{kind}"
    ]
    if not made:
        return []
    return [
        f"{service_file}: serviceName {service!r} is not a name VPC Lattice takes (3-40 of a-z, "
        f"0-9, single hyphens); its Lattice names are derived: {', '.join(made)} (set "
        f"vpcLatticeConfiguration.service / targetGroup to choose them)"
    ]
