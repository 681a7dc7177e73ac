"""Each plugin through the local runner on the embedded AWS: a state file in its S3 and one in
the bundle (tfstate, tfstatef, func_prefix), a secret in its Secrets Manager
(secretsmanager_arn), a stack's output and export in its CloudFormation (cfn_output,
cfn_export); and the same bundle through offline ``validate`` (stand-ins, the local state read
for real). The ``local`` fixture fails the test if a call needed an action template.yaml does not
grant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.runner import execution
from workflow import policies
from workflow.conftest import EXAMPLE, Local

from .states import RAW

CONFIG = """region: ap-northeast-1
cluster: my-cluster
service: myservice
plugins:
- name: tfstate
  config:
    path: terraform.tfstate
- name: tfstate
  func_prefix: remote_
  config:
    url: s3://team-states/app.tfstate
- name: cloudformation
"""
PLUGIN_ACTIONS = {
    "secretsmanager:DescribeSecret",
    "cloudformation:DescribeStacks",
    "cloudformation:ListExports",
}


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def plugin_bundle(tmp_path: Path) -> Path:
    """The example bundle (service ``myservice``), its values from each plugin."""
    target = tmp_path / "myservice"
    shutil.copytree(EXAMPLE, target)
    (target / "ecspresso.yml").write_text(CONFIG)
    (target / "terraform.tfstate").write_bytes(RAW)

    def service(s: dict[str, Any]) -> None:
        s["networkConfiguration"]["awsvpcConfiguration"].update(
            subnets=[
                "{{ tfstate `aws_subnet.private['a'].id` }}",
                "{{ remote_tfstatef `aws_subnet.private['%s'].id` `c` }}",
            ],
            securityGroups=["{{ cfn_export `net-security-group` }}"],
        )

    def task(t: dict[str, Any]) -> None:
        t["executionRoleArn"] = "{{ tfstate `module.app.aws_iam_role.task.arn` }}"
        t["containerDefinitions"][0]["secrets"] = [
            {"name": "DB_PASSWORD", "valueFrom": "{{ secretsmanager_arn `db/password` }}"}
        ]
        t["containerDefinitions"][0]["environment"] = [
            {"name": "STAGE", "value": "{{ cfn_output `network` `Stage` }}"}
        ]

    _edit(target / "ecs-service-def.json", service)
    _edit(target / "ecs-task-def.json", task)
    return target


def plugin_account(local: Local) -> str:
    """What the plugin bundle reads, made in the embedded account; the secret's ARN."""
    s3 = local.aws.client("s3")
    s3.create_bucket(
        Bucket="team-states", CreateBucketConfiguration={"LocationConstraint": local.aws.region}
    )
    s3.put_object(Bucket="team-states", Key="app.tfstate", Body=RAW)
    stack = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "Stage": {"Value": "production"},
            "SecurityGroup": {
                "Value": "sg-12345678",
                "Export": {"Name": "net-security-group"},
            },
        },
    }
    local.aws.client("cloudformation").create_stack(
        StackName="network", TemplateBody=json.dumps(stack)
    )
    made = local.aws.client("secretsmanager").create_secret(Name="db/password", SecretString="x")
    return str(made["ARN"])


def test_each_plugin_renders_in_the_run(local: Local, tmp_path: Path) -> None:
    secret = plugin_account(local)
    directory = plugin_bundle(tmp_path)
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED", local.lines
    ecs = local.aws.client("ecs")
    service = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    assert network["subnets"] == ["subnet-12345678", "subnet-87654321"]
    assert network["securityGroups"] == ["sg-12345678"]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    container = task["containerDefinitions"][0]
    assert task["executionRoleArn"] == "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
    assert container["secrets"] == [{"name": "DB_PASSWORD", "valueFrom": secret}]
    assert {"name": "STAGE", "value": "production"} in container["environment"]
    load_bundle = policies.called(local.stack.functions)["LoadBundleFunction"]
    assert load_bundle >= PLUGIN_ACTIONS  # granted in template.yaml, and needed


def test_offline_validate_renders_stand_ins_and_reads_the_local_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = plugin_bundle(tmp_path)
    assert main(["validate", str(directory)]) == 0, capsys.readouterr().out
    files = execution.rendered(execution.read_bundle(directory))
    service = json.loads(files["ecs-service-def.json"])["networkConfiguration"]
    assert service["awsvpcConfiguration"]["subnets"] == [
        "subnet-12345678",  # the bundle's own state, read for real
        "<tfstate:aws_subnet.private['c'].id offline>",  # a state in S3: a stand-in, offline
    ]
    task = json.loads(files["ecs-task-def.json"])["containerDefinitions"][0]
    assert task["secrets"][0]["valueFrom"] == "<secretsmanager_arn:db/password offline>"


def test_a_local_state_outside_the_bundle_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = plugin_bundle(tmp_path)
    (tmp_path / "outside.tfstate").write_bytes(RAW)
    (directory / "terraform.tfstate").unlink()
    (directory / "terraform.tfstate").symlink_to(tmp_path / "outside.tfstate")
    assert main(["validate", str(directory)]) == 2
    assert "outside the bundle directory" in capsys.readouterr().out
