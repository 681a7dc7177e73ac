"""A Fargate task's private IPv4 address: the next free one of its subnet (AWS keeps each
subnet's first three host addresses), set on the task's attachment and its ENI."""

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
    hosts = backend._hosts[subnet_id]
    used = {
        t.ip
        for ts in backend.tasks.values()
        for t in ts.values()
        if isinstance(t, FargateTask) and t.last_status != "STOPPED"
    }
    start = backend._next_ip.get(subnet_id, 0)
    for step in range(len(hosts)):
        candidate = hosts[(start + step) % len(hosts)]
        if candidate not in used:
            backend._next_ip[subnet_id] = (start + step + 1) % len(hosts)
            return candidate
    raise InvalidParameterException(f"Subnet {subnet_id} has no free IPv4 address")


def assign(backend: EmulatedEcsBackend, task: FargateTask, ip: str) -> None:
    details: list[dict[str, str]] = task.attachments[0]["details"]  # type: ignore[assignment]
    eni_id = next(d["value"] for d in details if d["name"] == "networkInterfaceId")
    eni = ec2_backends[backend.account_id][backend.region_name].get_network_interface(eni_id)
    eni.private_ip_address = ip
    eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": ip}]
    for detail in details:
        if detail["name"] == "privateIPv4Address":
            detail["value"] = ip
