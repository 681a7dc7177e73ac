"""Will the target group's health check ever say HEALTHY? Checked before anything is created.

Why: the health gate waits for every target to be HEALTHY, and VPC Lattice only says so when
its checks run and reach something that answers them. VPC Lattice User Guide, "Health checks for
your VPC Lattice target groups": checks are on by default for protocol version HTTP1, off for
HTTP2, and do not support gRPC (an enabled check must use HTTP1 or HTTP2). A check that is off
leaves targets UNAVAILABLE forever; one aimed at a port no container maps, or in an HTTP version
the port does not speak, leaves them UNHEALTHY. Each is refused here with the fix.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import BundleInvalid

SPEAKS = {"http": "HTTP1", "http2": "HTTP2", "grpc": "HTTP2"}
"""The HTTP version a port mapping's ``appProtocol`` answers health checks in."""


def check(
    health: dict[str, Any],
    version: str,
    app_protocol: str,
    ports: set[int],
    container_port: int,
    where: str,
) -> None:
    """Refuse a health check that can never pass; ``where`` names the bundle's field."""
    speaks = SPEAKS.get(app_protocol, "HTTP1")
    fix = f'set "healthCheck": {{"enabled": true, "protocolVersion": "{speaks}"}}'
    enabled = health.get("enabled", version == "HTTP1")
    if not enabled:
        why = (
            "is turned off"
            if "enabled" in health
            else f"is off by default for protocol version {version} ({app_protocol} port)"
        )
        raise BundleInvalid(
            f"{where}.healthCheck: the target group's health check {why}, so no target can ever "
            f"be seen HEALTHY and the deploy could never pass its health gate; {fix}"
        )
    wanted = health.get("protocolVersion") or ("HTTP1" if version == "HTTP1" else None)
    if wanted != speaks:
        said = f"protocolVersion {wanted}" if wanted else "no protocolVersion"
        raise BundleInvalid(
            f"{where}.healthCheck: {said}, but the port ({app_protocol}) answers {speaks} "
            f"(VPC Lattice health checks do not support gRPC); {fix}"
        )
    port = health.get("port") or container_port
    if isinstance(port, int) and port not in ports:  # another type: validate's walk says so
        raise BundleInvalid(
            f"{where}.healthCheck.port: {port} is not a containerPort of the task definition "
            f"({', '.join(map(str, sorted(ports)))}); checks there would fail. Remove the port "
            f"(the target's own port, {container_port}, is used) or name a mapped one"
        )
