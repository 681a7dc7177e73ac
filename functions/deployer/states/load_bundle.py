"""State ``load_bundle``: read the bundle from S3 (pinned object versions), plan the deployment,
and record what exists before anything changes (``plan.baseline``,
:mod:`deployer.rollback.baseline`).

One pass down the bundle's stages, each in its own module and handing the next a typed value:
:class:`~deployer.bundle.source.BundleSource` (the folder, its files read) →
:class:`~deployer.bundle.rendered.Rendered` (rendered as ecspresso renders) →
:func:`~deployer.bundle.account_check.plan_of` (validated, normalized, checked against the
account) → the baseline. The plan is the state machine's document from here on.

Reads only: S3 GetObject (the bundle; a tfstate plugin's state), what the templates read
(Parameter Store, Secrets Manager's DescribeSecret, CloudFormation's DescribeStacks and
ListExports: :mod:`deployer.bundle.lookups`), EC2 DescribeSubnets (to learn the VPC of the service's
subnets), the Lattice resources the bundle adopts by ARN (so a missing one fails the run before any
change), and the values a rollback restores (the ECS service, the target group's health check, the
listeners' default actions).
"""

from __future__ import annotations

import os
from typing import Any

from ..bundle import account_check, definitions, normalize, rendered, validate
from ..bundle.source import BundleSource
from ..core import events
from ..core.step import step
from ..ecs import service_connect
from ..lattice import known
from ..rollback import baseline


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    request = events.read(event, events.DeploymentRequest, "load_bundle")
    source = BundleSource.of(request.bundle.model_dump())
    template_env = (request.templateEnv or {}) if "templateEnv" in event else None
    bundle = rendered.of_source(source, source.variables(template_env))
    environment = request.environment or os.environ.get("ENVIRONMENT_NAME") or "dev"
    with known.reads_only():  # a name looked up once here is not listed again
        plan = account_check.plan_of(
            bundle.with_images(request.images), request.deploymentId, environment
        )
        source.check_folder(plan["serviceName"])
        task_text = bundle.files.get(normalize.file_names(bundle.config)[1], "")
        plan["bundleImages"] = sorted(definitions.image_keys(task_text))  # as named, unpinned
        notices = validate.notices_in(bundle.files, environment)
        plan["warnings"] = notices + plan.get("warnings", [])
        plan["baseline"] = baseline.read(plan)  # before anything changes: what a rollback restores
    plan["warnings"] += service_connect.turned_off(plan)
    return plan
