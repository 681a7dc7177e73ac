"""A Fargate task's private IPv4 address: the next free one of its subnet (AWS keeps each
subnet's first three host addresses), set on the task's attachment and its ENI.

Each subnet's addresses are indexed by the task last given each (``_ip_holders``), so a start
asks only its candidates' holders whether they have STOPPED, not every task of the account: a
fleet of 1,000 services starts 2,000 tasks at a push, beside the 2,000 it stops.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from moto.ec2.models import ec2_backends
from moto.ecs.exceptions import InvalidParameterException

from .tasks import FargateTask

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend


def allocate(backend: EmulatedEcsBackend, subnet_id: str) -> str:
    if subnet_id not in backend._hosts:  # a /18 has 16,381: made once, not per task
        subnet = ec2_backends[backend.account_id][backend.region_name].get_subnet(subnet_id)
        network = ipaddress.ip_network(subnet.cidr_block)
        backend._hosts[subnet_id] = [str(h) for h in network.hosts()][3:]  # AWS keeps .1-.3
    hosts, holders = backend._hosts[subnet_id], _holders(backend)
    start = backend._next_ip.get(subnet_id, 0)
    for step in range(len(hosts)):
        candidate = hosts[(start + step) % len(hosts)]
        holder = holders.get(candidate)
        if holder is None or holder.last_status == "STOPPED":
            backend._next_ip[subnet_id] = (start + step + 1) % len(hosts)
            return candidate
    raise InvalidParameterException(f"Subnet {subnet_id} has no free IPv4 address")


def _holders(backend: EmulatedEcsBackend) -> dict[str, FargateTask]:
    """Each address's latest task (made from the tasks once, for an account saved without it)."""
    holders: dict[str, FargateTask] | None = backend.__dict__.get("_ip_holders")
    if holders is None:
        holders = backend.__dict__["_ip_holders"] = {}
        for tasks in backend.tasks.values():
            for task in tasks.values():
                if isinstance(task, FargateTask) and task.last_status != "STOPPED":
                    holders[task.ip] = task
    return holders


def assign(backend: EmulatedEcsBackend, task: FargateTask, ip: str) -> None:
    _holders(backend)[ip] = task
    details: list[dict[str, str]] = task.attachments[0]["details"]  # type: ignore[assignment]
    eni_id = next(d["value"] for d in details if d["name"] == "networkInterfaceId")
    eni = ec2_backends[backend.account_id][backend.region_name].get_network_interface(eni_id)
    eni.private_ip_address = ip
    eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": ip}]
    for detail in details:
        if detail["name"] == "privateIPv4Address":
            detail["value"] = ip
