"""The corpus's bundles that use ecspresso's template functions and plugins, with what each
reads in the account (made by the entry's ``setup``)."""

from __future__ import annotations

import json
from typing import Any

from .corpus import (
    CONF,
    EXECUTION_ROLE,
    GROUPS,
    REFUSED,
    SUBNETS,
    SVC,
    Case,
    bundle,
    config,
    init_service,
    init_task,
)

VPC = "vpc-12345678"
STATE_BUCKET, STATE_KEY = "my-tfstate", "app/terraform.tfstate"
TFSTATE = {
    "version": 4,
    "terraform_version": "1.9.8",
    "serial": 12,
    "lineage": "5b1d6a2e-2c1f-4f0e-9d7a-0a1b2c3d4e5f",
    "outputs": {"cluster_name": {"value": "my-cluster", "type": "string"}},
    "resources": [
        {
            "mode": "managed",
            "type": "aws_subnet",
            "name": "private",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {"index_key": "a", "attributes": {"id": SUBNETS[0], "vpc_id": VPC}},
                {"index_key": "c", "attributes": {"id": SUBNETS[1], "vpc_id": VPC}},
            ],
        },
        {
            "mode": "managed",
            "type": "aws_security_group",
            "name": "app",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"attributes": {"id": GROUPS[0], "tags": {"Name": "app"}}}],
        },
        {
            "module": "module.iam",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "execution",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"attributes": {"arn": EXECUTION_ROLE, "name": "ecsTaskExecutionRole"}}],
        },
    ],
}
JSONNET_CONFIG = """{
  region: 'ap-northeast-1',
  cluster: 'my-cluster',
  service: 'myservice',
  service_definition: 'ecs-service-def.jsonnet',
  task_definition: 'ecs-task-def.jsonnet',
  timeout: '10m0s',
}
"""
TFSTATE_PLUGIN = f"plugins:\n- name: tfstate\n  config:\n    url: s3://{STATE_BUCKET}/{STATE_KEY}\n"


def state_in_s3(session: Any) -> None:
    s3 = session.client("s3")
    s3.create_bucket(
        Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    s3.put_object(Bucket=STATE_BUCKET, Key=STATE_KEY, Body=json.dumps(TFSTATE).encode())


def a_secret(session: Any) -> None:
    session.client("secretsmanager").create_secret(Name="myapp/db-password", SecretString="s3cr3t")


def a_parameter(session: Any) -> None:
    session.client("ssm").put_parameter(Name="/myapp/image", Value="nginx:1.27", Type="String")


def a_stack(session: Any) -> None:
    template = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {
            "SubnetA": {"Value": SUBNETS[0]},
            "SubnetC": {"Value": SUBNETS[1]},
            "AppSecurityGroup": {"Value": GROUPS[0], "Export": {"Name": "network-app-sg"}},
        },
    }
    session.client("cloudformation").create_stack(
        StackName="network", TemplateBody=json.dumps(template)
    )


def subnets_from(*actions: str) -> dict[str, Any]:
    return {"networkConfiguration__awsvpcConfiguration__subnets": list(actions)}


def plugin_cases() -> list[Case]:
    return [
        # --- template functions and plugins
        Case(
            "tfstate-s3",
            "tfstate plugin, state in S3, backtick addresses",
            bundle(
                init_service(
                    **subnets_from(
                        "{{ tfstate `aws_subnet.private['a'].id` }}",
                        "{{ tfstate `aws_subnet.private['c'].id` }}",
                    ),
                    networkConfiguration__awsvpcConfiguration__securityGroups=[
                        "{{ tfstate `aws_security_group.app.id` }}"
                    ],
                ),
                init_task(executionRoleArn="{{ tfstate `module.iam.aws_iam_role.execution.arn` }}"),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstatef",
            "tfstatef with a format argument",
            bundle(
                init_service(
                    **subnets_from("{{ tfstatef `aws_subnet.private['%s'].id` `a` }}", SUBNETS[1])
                ),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-local",
            "tfstate with a state file inside the bundle",
            bundle(
                init_service(**subnets_from("{{ tfstate `aws_subnet.private['a'].id` }}")),
                conf=config() + "plugins:\n- name: tfstate\n  config:\n"
                "    path: terraform.tfstate\n",
                extra={"terraform.tfstate": json.dumps(TFSTATE)},
            ),
        ),
        Case(
            "tfstate-func-prefix",
            "two states, func_prefix",
            bundle(
                init_service(**subnets_from("{{ net_tfstate `aws_subnet.private['a'].id` }}")),
                conf=config() + TFSTATE_PLUGIN + "  func_prefix: net_\n",
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-output",
            "tfstate output.NAME in a container's environment",
            bundle(
                task=init_task(
                    containerDefinitions__0__environment=[
                        {"name": "CLUSTER", "value": "{{ tfstate `output.cluster_name` }}"}
                    ]
                ),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-in-config",
            "tfstate in ecspresso.yml itself: ecspresso renders its config with env only",
            bundle(conf=config(cluster="'{{ tfstate `output.cluster_name` }}'") + TFSTATE_PLUGIN),
            expect=REFUSED,
            words=[CONF, "tfstate"],
        ),
        Case(
            "tfstate-no-plugin",
            "tfstate used with no tfstate plugin configured",
            bundle(init_service(**subnets_from("{{ tfstate `aws_subnet.private['a'].id` }}"))),
            expect=REFUSED,
            words=[SVC, "tfstate", "plugins"],
        ),
        Case(
            "tfstate-outside-bundle",
            "a local state path leaving the bundle",
            bundle(
                conf=config() + "plugins:\n- name: tfstate\n  config:\n"
                "    path: ../terraform.tfstate\n"
            ),
            expect=REFUSED,
            words=[CONF, "tfstate", "terraform.tfstate"],
        ),
        Case(
            "secretsmanager-arn",
            "secretsmanager_arn in a task's secrets",
            bundle(
                task=init_task(
                    containerDefinitions__0__secrets=[
                        {
                            "name": "DB_PASSWORD",
                            "valueFrom": "{{ secretsmanager_arn `myapp/db-password` }}",
                        }
                    ]
                ),
                conf=config() + "plugins:\n- name: secretsmanager\n",
            ),
            setup=a_secret,
        ),
        Case(
            "cfn-output-export",
            "cfn_output and cfn_export (cloudformation plugin)",
            bundle(
                init_service(
                    **subnets_from(
                        "{{ cfn_output `network` `SubnetA` }}",
                        "{{ cfn_output `network` `SubnetC` }}",
                    ),
                    networkConfiguration__awsvpcConfiguration__securityGroups=[
                        "{{ cfn_export `network-app-sg` }}"
                    ],
                ),
                conf=config() + "plugins:\n- name: cloudformation\n",
            ),
            setup=a_stack,
        ),
        Case(
            "ssm-image",
            "ssm plugin for the image",
            bundle(
                task=init_task(containerDefinitions__0__image="{{ ssm `/myapp/image` }}"),
                conf=config() + "plugins:\n  - name: ssm\n",
            ),
            setup=a_parameter,
        ),
        Case(
            "env-default",
            "env with a default and must_env",
            bundle(
                task=init_task(
                    containerDefinitions__0__image="nginx:{{ env `TAG` `1.27` }}",
                    family="{{ must_env `FAMILY` }}",
                )
            ),
            env={"FAMILY": "myservice"},
        ),
        Case(
            "if-block",
            "{{ if }} … {{ end }} around a value",
            bundle(
                task=init_task(
                    containerDefinitions__0__image="nginx:{{ if env `TAG` }}{{ env `TAG` }}"
                    "{{ else }}1.27{{ end }}"
                )
            ),
        ),
        Case(
            "unknown-plugin",
            "a plugin lattice-deploy does not have",
            bundle(conf=config() + "plugins:\n- name: vault\n"),
            expect=REFUSED,
            words=[CONF, "vault"],
        ),
    ]
