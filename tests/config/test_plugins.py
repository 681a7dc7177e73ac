"""The plugins' template functions: tfstate (tfstate-lookup's address grammar), tfstatef,
func_prefix, secretsmanager_arn, cfn_output / cfn_export, and text/template's if/else/end."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deployer.bundle import plugins, render, tfstate
from deployer.bundle.lookups import AwsLookups
from deployer.core.errors import BundleInvalid
from lattice_deploy.emulator import EmbeddedAws

from .states import RAW

STATE = tfstate.State(RAW, "tfstate terraform.tfstate")


@pytest.mark.parametrize(
    ("address", "value"),
    [
        ('aws_subnet.private["a"].id', "subnet-12345678"),
        ('aws_subnet.private["c"].tags.Name', "c"),
        ("aws_ecr_repository.app[0].repository_url", "nginx"),
        ("module.app.aws_iam_role.task.arn", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
        ("data.aws_caller_identity.current.account_id", "123456789012"),
        ("output.security_group", "sg-12345678"),
        ("output.subnets[1]", "subnet-87654321"),
        ("output.subnets", '["subnet-12345678","subnet-87654321"]'),  # not a string: its JSON
        ('aws_subnet.private["a"].tags', '{"Name":"a"}'),
    ],
)
def test_an_address_is_looked_up_as_tfstate_lookup_does(address: str, value: str) -> None:
    assert STATE.lookup(address) == value


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("aws_subnet.public.id", "aws_subnet.public.id is not found in tfstate"),
        ('aws_subnet.private["b"].id', "is not found"),
        ('aws_subnet.private["a"].nothing', "is not found"),
        ('aws_subnet.private["a"] | .id', "is not a path this deployer reads"),
    ],
)
def test_what_is_not_in_the_state_is_named(address: str, said: str) -> None:
    with pytest.raises(BundleInvalid, match=r"tfstate terraform\.tfstate") as refused:
        STATE.lookup(address)
    assert said in str(refused.value)


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ({"version": 3}, "unsupported state version 3"),
        ({"version": 4, "backend": {"type": "s3"}}, "points at a s3 backend"),
        ([], "not a JSON object"),
    ],
)
def test_a_state_it_cannot_read_is_refused(state: Any, said: str) -> None:
    with pytest.raises(BundleInvalid, match=said):
        tfstate.State(json.dumps(state).encode(), "tfstate x")


class Given:
    """Lookups from fixed values (a state file of the bundle; no account)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def ssm(self, name: str) -> str:
        return f"ssm:{name}"

    def secret_arn(self, secret_id: str) -> str:
        return f"arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:{secret_id}-AbCdEf"

    def stack_output(self, stack: str, key: str) -> str:
        return f"{stack}/{key}"

    def stack_export(self, name: str) -> str:
        return f"export/{name}"

    def state_file(self, location: str) -> bytes | None:
        return self.files.get(location)


def rendered(config: dict[str, Any], template: str, env: dict[str, str] | None = None) -> str:
    functions = plugins.functions(config, Given({"terraform.tfstate": RAW}))
    return render.render(template, "template.txt", env or {}, str, functions)


TFSTATE = {"name": "tfstate", "config": {"path": "terraform.tfstate"}}


@pytest.mark.parametrize(
    ("plugin", "template", "value"),
    [
        (TFSTATE, "{{ tfstate `aws_subnet.private['a'].id` }}", "subnet-12345678"),
        (TFSTATE, "{{ tfstate \"aws_subnet.private['c'].id\" }}", "subnet-87654321"),
        (TFSTATE, "{{ tfstatef `aws_subnet.private['%s'].id` `c` }}", "subnet-87654321"),
        (
            {**TFSTATE, "func_prefix": "first_"},
            "{{ first_tfstate `output.security_group` }}",
            "sg-12345678",
        ),
        ({"name": "cloudformation"}, "{{ cfn_output `net` `SubnetA` }}", "net/SubnetA"),
        ({"name": "cloudformation"}, "{{ cfn_export `net-a` }}", "export/net-a"),
        ({"name": "ssm"}, "{{ secretsmanager_arn `db` }}", "secret:db-AbCdEf"),  # a default
    ],
)
def test_each_plugin_function_renders(plugin: dict[str, Any], template: str, value: str) -> None:
    assert value in rendered({"plugins": [plugin]}, template)


def test_a_plugin_function_without_its_plugin_is_refused_by_name() -> None:
    with pytest.raises(BundleInvalid) as refused:
        rendered({}, "{{ tfstate `output.security_group` }}")
    assert "template.txt:1: {{ tfstate ... }}" in str(refused.value)
    assert "plugins:" in str(refused.value)


@pytest.mark.parametrize(
    ("plugins_", "said"),
    [
        ([{"name": "vault"}], "plugin vault is not available"),
        ([TFSTATE, TFSTATE], "template function tfstate already exists; set func_prefix"),
        ([{"name": "tfstate", "config": {}}], "give path (a state file of the bundle) or url"),
        ([{"name": "tfstate", "config": {"path": "../terraform.tfstate"}}], "leaves the bundle"),
        ([{"name": "tfstate", "config": {"url": "/etc/tfstate"}}], "is an absolute path"),
        ([{"name": "tfstate", "config": {"url": "gs://b/k"}}], "the gs:// scheme is not read"),
        ("tfstate", "expected a list of {name:, config:, func_prefix:}"),
    ],
)
def test_a_plugin_it_cannot_set_up_is_refused_by_name(plugins_: Any, said: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        plugins.functions({"plugins": plugins_}, Given({}))
    assert said in str(refused.value)


def test_a_local_state_missing_from_the_bundle_is_named_at_its_first_use() -> None:
    functions = plugins.functions({"plugins": [TFSTATE]}, Given({}))
    with pytest.raises(BundleInvalid, match=r"terraform\.tfstate: not found in the bundle"):
        render.render("{{ tfstate `output.x` }}", "f.json", {}, str, functions)


@pytest.mark.parametrize(
    ("template", "env", "value"),
    [
        ("{{ if env `FLAG` }}on{{ else }}off{{ end }}", {"FLAG": "1"}, "on"),
        ("{{ if env `FLAG` }}on{{ else }}off{{ end }}", {}, "off"),
        ("{{ if eq (env `STAGE`) `prod` }}big{{ end }}", {"STAGE": "prod"}, "big"),
        ("{{ if eq (env `STAGE`) `prod` }}big{{ end }}", {"STAGE": "dev"}, ""),
        (
            "{{ if eq (env `S`) `a` }}A{{ else if eq (env `S`) `b` }}B{{ else }}C{{ end }}",
            {"S": "b"},
            "B",
        ),
        ("{{ if not (env `X`) }}none{{ end }}", {}, "none"),
        ("{{ if ne (env `X`) `y` }}{{ if env `Z` }}z{{ end }}n{{ end }}", {"Z": "1"}, "zn"),
        ("{{ if env `X` }}{{ must_env `UNSET` }}{{ end }}ok", {}, "ok"),  # a branch not taken
    ],
)
def test_if_else_end_keeps_the_branch_taken(template: str, env: dict[str, str], value: str) -> None:
    assert rendered({}, template, env) == value


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("{{ if env `X` }}a", "an {{ if }} without its {{ end }}"),
        ("a{{ end }}", "{{ end }} without its {{ if }}"),
        ("{{ range env `X` }}a{{ end }}", "text/template's range is not rendered"),
    ],
)
def test_a_control_it_cannot_read_is_refused_by_name(template: str, said: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        rendered({}, template)
    assert said in str(refused.value)


def test_the_account_gives_secrets_stacks_and_a_state_in_s3(aws: EmbeddedAws) -> None:
    secret = aws.client("secretsmanager").create_secret(Name="db/pass", SecretString="x")["ARN"]
    stack = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"SubnetA": {"Value": "subnet-123", "Export": {"Name": "net-subnet-a"}}},
    }
    aws.client("cloudformation").create_stack(StackName="net", TemplateBody=json.dumps(stack))
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="states", CreateBucketConfiguration={"LocationConstraint": aws.region})
    s3.put_object(Bucket="states", Key="app.tfstate", Body=RAW)
    account = AwsLookups(lambda _: None, aws.region)
    assert account.secret_arn("db/pass") == secret
    assert account.stack_output("net", "SubnetA") == "subnet-123"
    assert account.stack_export("net-subnet-a") == "subnet-123"
    assert account.state_file("s3://states/app.tfstate") == RAW
    for call, said in (
        (lambda: account.secret_arn("nope"), "secretsmanager_arn `nope`: ResourceNotFound"),
        (lambda: account.stack_output("net", "Nope"), "stack net has no output Nope"),
        (lambda: account.stack_output("gone", "A"), "cfn_output `gone` `A`: ValidationError"),
        (lambda: account.stack_export("nope"), "no CloudFormation stack of this region exports"),
        (lambda: account.state_file("s3://states/none.tfstate"), "tfstate s3://states/none"),
    ):
        with pytest.raises(BundleInvalid) as refused:
            call()
        assert said in str(refused.value)
