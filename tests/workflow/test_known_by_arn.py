"""A redeploy finds its target group and Lattice service by the ARNs its ECS service is wired to
(:mod:`deployer.lattice.known`), so its Lattice requests do not grow with the account's groups
and services; a first deploy, or a bundle naming another group, still finds by listing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from deployer.lattice.find_or_create import FULL_PAGES

from .conftest import EXAMPLE, Local

VPC = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
LISTINGS = ("vpc-lattice:ListTargetGroups", "vpc-lattice:ListServices")


def _fill(local: Local, count: int) -> None:
    """Other services' groups and services: 2½ pages of each (100 a page)."""
    api = local.aws.client("vpc-lattice")
    for number in range(count):
        api.create_target_group(name=f"other-{number:03d}-tg", type="IP", config=VPC)
        api.create_service(name=f"other-{number:03d}-svc")


def _listings(local: Local, summary: dict[str, Any]) -> dict[str, int]:
    calls = local.aws.calls(execution=summary["deploymentId"])["calls"]
    return {op: calls.get(op, 0) for op in LISTINGS}


def _memory(size: str) -> Callable[[dict[str, Any]], None]:
    return lambda task: task.update(memory=size)


def test_a_redeploy_reads_its_group_and_service_by_arn_not_by_listing(
    local: Local, bundle: Callable[..., Path]
) -> None:
    _fill(local, 250)
    first = local.deploy(EXAMPLE)
    assert first["status"] == "SUCCEEDED"
    assert all(n >= 3 for n in _listings(local, first).values())  # nothing to find by ARN yet
    again = local.deploy(bundle(task=_memory("1024")))
    assert again["status"] == "SUCCEEDED"
    assert _listings(local, again) == dict.fromkeys(LISTINGS, 0)
    made = {r["type"]: r for r in again["resources"]}
    before = {r["type"]: r for r in first["resources"]}
    for kind in ("targetGroup", "latticeService"):  # the same ones, reused
        assert made[kind]["action"] == "unchanged" and made[kind]["arn"] == before[kind]["arn"]


def test_a_bundle_naming_another_group_finds_it_by_listing(
    local: Local, bundle: Callable[..., Path]
) -> None:
    """ECS is wired to the old group; the bundle names a new one: not the wired one's name, so
    the listing decides, and the new group is made (and ECS rewired to it)."""
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    renamed = bundle(
        service=lambda s: s["vpcLatticeConfiguration"].update(targetGroup="dev-myservice-tg-v2")
    )
    summary = local.deploy(renamed)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    assert _listings(local, summary)["vpc-lattice:ListTargetGroups"] >= 1
    group = {r["type"]: r for r in summary["resources"]}["targetGroup"]
    assert group["action"] == "created" and group["name"] == "dev-myservice-tg-v2"


def test_a_first_deploy_lists_each_kind_once_while_loading_and_once_to_create(
    local: Local,
) -> None:
    """``load_bundle`` asks the same names in its checks and its baseline: one listing each
    (:func:`deployer.lattice.known.reads_only`); ``ensure_lattice`` lists again before it
    creates (find-before-create, in the state that acts)."""
    _fill(local, 250)
    api = local.aws.client("vpc-lattice")
    pages = {
        op: len(list(api.get_paginator(f"list_{kind}").paginate(PaginationConfig=FULL_PAGES)))
        for op, kind in zip(LISTINGS, ("target_groups", "services"), strict=True)
    }
    assert set(pages.values()) == {3}  # 251 a kind, 100 a page: pages asked full
    first = local.deploy(EXAMPLE)
    assert first["status"] == "SUCCEEDED"
    # groups: the quota's listing (every group), then ensure's; services: the checks', ensure's
    assert _listings(local, first) == {op: 2 * n for op, n in pages.items()}
