"""Put the extended backends in moto's place, the way moto finds its own.

moto looks a service's backends up as ``moto.<service>.<service>_backends`` and derives its URL
table from the backend class's module (``…models`` → ``…urls``); pointing both names at our
BackendDicts is all it takes, in-process (``mock_aws``) and in moto's server alike.
"""

from __future__ import annotations

import time
from typing import Any

import botocore.endpoint
import moto.awslambda
import moto.awslambda.models
import moto.cloudformation
import moto.cloudformation.models
import moto.cloudformation.responses
import moto.dynamodb
import moto.dynamodb.models
import moto.dynamodb.responses
import moto.ec2.models.elastic_network_interfaces as enis
import moto.ecr
import moto.ecr.models
import moto.ecr.responses
import moto.ecs
import moto.ecs.models
import moto.ram
import moto.ram.models
import moto.ram.responses
import moto.servicequotas
import moto.servicequotas.models
import moto.servicequotas.responses
import moto.vpclattice
import moto.vpclattice.models

from .awslambda.layers import install as install_layer_archives
from .awslambda.models import lambda_backends
from .clock import CLOCK
from .cloudformation.models import cloudformation_backends
from .dynamodb.models import dynamodb_backends
from .ec2.models import install as install_ec2
from .ecr.models import ecr_backends
from .ecs.models import ecs_backends
from .events.models import install as install_events
from .iam.responses import install as install_simulator
from .instrumented import install as install_instrumentation
from .ram.models import ram_backends
from .request_costs import install as install_request_costs
from .route53.models import install as install_route53
from .routers import install as install_routers
from .s3.notifications import install as install_s3_notifications
from .s3.versions import install as install_s3_versions
from .seams import join as join_seams
from .serializer import install as install_serializer
from .servicediscovery.models import install as install_cloud_map
from .servicequotas.models import servicequotas_backends
from .stepfunctions.clients import install as install_sfn_clients
from .stepfunctions.copies import install as install_sfn_copies
from .stepfunctions.integrations import install as install_sfn_integrations
from .stepfunctions.log import quiet_moto
from .stepfunctions.names import install as install_sfn_names
from .stepfunctions.parse_cache import install as install_sfn_parse_cache
from .stepfunctions.timing import install as install_sfn_timing
from .vpclattice.models import lattice_backends


class _VirtualBackoff:
    """``time`` for botocore's endpoint, whose retry backoff then sleeps on the virtual clock
    (:meth:`.clock.VirtualClock.pause`). Why: that backoff is what paces a throttled caller on
    AWS (standard mode: up to ``min(2**attempt, 20)`` s, jittered), and a token bucket refills
    on the virtual clock; in real time it would slow the tests, and skipped it would retry into
    a still-empty bucket and fail where AWS succeeds."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        CLOCK.pause(seconds)


def install() -> None:
    """Register the extended VPC Lattice, ECS, ECR, DynamoDB, EC2 subnets, S3 events (and its
    version listing by prefix), Cloud Map, EventBridge, Step Functions (integration, virtual
    time, shared clients, a parse per definition and per JSONPath, state data copied as JSON,
    unnamed executions), Lambda (and its layer
    archives), CloudFormation (the runner's stack), RAM (shares between accounts), Route 53's
    zone ids, IAM's simulator and Service Quotas parts, moto's and botocore's per-request work
    done once (:mod:`.request_costs`), and the hook that counts, faults and
    serializes every request (idempotent)."""
    quiet_moto()
    install_request_costs()
    install_routers()
    install_serializer()
    setattr(botocore.endpoint, "time", _VirtualBackoff())  # noqa: B010  (botocore imports time)
    install_events()
    install_ec2()
    install_s3_notifications()
    install_s3_versions()
    install_cloud_map()
    install_sfn_integrations()
    install_sfn_clients()
    install_sfn_parse_cache()
    install_sfn_copies()
    install_sfn_names()
    install_sfn_timing()
    install_instrumentation()
    install_simulator()
    install_layer_archives()
    install_route53()
    for module in (moto.dynamodb, moto.dynamodb.models, moto.dynamodb.responses):
        module.dynamodb_backends = dynamodb_backends  # type: ignore[attr-defined]
    for module in (moto.ecr, moto.ecr.models, moto.ecr.responses):
        module.ecr_backends = ecr_backends  # type: ignore[attr-defined]
    for module in (moto.awslambda, moto.awslambda.models):
        module.lambda_backends = lambda_backends  # type: ignore[attr-defined]
    for module in (moto.vpclattice, moto.vpclattice.models):
        module.vpclattice_backends = lattice_backends  # type: ignore[attr-defined]
    for module in (moto.cloudformation, moto.cloudformation.models, moto.cloudformation.responses):
        module.cloudformation_backends = cloudformation_backends  # type: ignore[attr-defined]
    for module in (moto.servicequotas, moto.servicequotas.models, moto.servicequotas.responses):
        module.servicequotas_backends = servicequotas_backends  # type: ignore[attr-defined]
    for module in (moto.ram, moto.ram.models, moto.ram.responses):
        module.ram_backends = ram_backends  # type: ignore[attr-defined]
    for module in (moto.ecs, moto.ecs.models):
        module.ecs_backends = ecs_backends  # type: ignore[attr-defined]
    # VPC Lattice sees the tasks behind its targets through the seam, never by importing ECS.
    join_seams(lambda account_id, region_name: ecs_backends[account_id][region_name])
    # moto 5.2's awsvpc task start reads eni.private_dns_name, set only in VPCs with DNS hostnames.
    if not hasattr(enis.NetworkInterface, "private_dns_name"):
        setattr(enis.NetworkInterface, "private_dns_name", None)  # noqa: B010
