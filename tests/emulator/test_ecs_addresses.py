"""A Fargate task's address is the next one of its subnet no task still holds (ecs/addresses.py):
AWS keeps each subnet's first three host addresses, a STOPPED task's address is free again, a
full subnet refuses, and an account saved without the index rebuilds it from its tasks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from moto.ecs.exceptions import InvalidParameterException

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.demo_account import VPC_ID
from lattice_deploy.emulator.ecs import addresses
from lattice_deploy.emulator.ecs.models import ecs_backends

from . import helpers

pytestmark = pytest.mark.timeout(60)


@dataclass
class Holder:  # what allocate asks of a task: its status
    ip: str
    last_status: str = "RUNNING"


def _subnet(aws: EmbeddedAws, cidr: str = "10.0.200.0/28") -> tuple[Any, str]:
    """The account's ECS backend and a /28: 14 hosts, 11 usable (.4 to .14)."""
    ec2 = aws.client("ec2")
    subnet = ec2.create_subnet(VpcId=VPC_ID, CidrBlock=cidr, AvailabilityZone=f"{aws.region}a")
    return ecs_backends[aws.account_id][aws.region], subnet["Subnet"]["SubnetId"]


def _hold(backend: Any, ip: str, status: str = "RUNNING") -> Holder:
    holder = Holder(ip, status)
    addresses._holders(backend)[ip] = holder  # type: ignore[assignment]
    return holder


def test_the_first_three_hosts_are_kept_and_each_start_takes_the_next(aws: EmbeddedAws) -> None:
    backend, subnet = _subnet(aws)
    first = addresses.allocate(backend, subnet)
    _hold(backend, first)
    assert first == "10.0.200.4"
    assert addresses.allocate(backend, subnet) == "10.0.200.5"


def test_a_held_address_is_skipped_and_a_stopped_one_is_free(aws: EmbeddedAws) -> None:
    backend, subnet = _subnet(aws)
    held = [_hold(backend, addresses.allocate(backend, subnet)) for _ in range(11)]
    with pytest.raises(InvalidParameterException, match="no free IPv4 address"):
        addresses.allocate(backend, subnet)
    held[5].last_status = "STOPPED"  # its task stopped: its address goes to the next start
    assert addresses.allocate(backend, subnet) == held[5].ip == "10.0.200.9"


def test_an_account_saved_without_the_index_rebuilds_it(aws: EmbeddedAws) -> None:
    ecs, lattice = aws.client("ecs"), aws.client("vpc-lattice")
    ecs.create_cluster(clusterName="my-cluster")
    tg = helpers.served_target_group(lattice)
    helpers.lattice_service(ecs, tg["arn"], helpers.task_definition(ecs), desired=2)
    ips = helpers.task_ips(ecs)
    assert len(ips) == 2
    backend = ecs_backends[aws.account_id][aws.region]
    del backend.__dict__["_ip_holders"]  # as an account saved before the index was
    subnet = helpers.SUBNETS[0]
    backend._next_ip[subnet] = 0  # from the subnet's first address on
    got = addresses.allocate(backend, subnet)
    assert got not in ips and got.startswith("10.0.1.")
