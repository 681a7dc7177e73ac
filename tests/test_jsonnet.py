"""Jsonnet definitions, evaluated as ecspresso evaluates them (go-jsonnet, native functions)."""

from __future__ import annotations

import json

import pytest

from deployer.bundle import render
from deployer.core.errors import BundleInvalid

ENV = {"TAG": "1.27", "COUNT": "3"}
PARAMETERS = {"/catalog/subnet": "subnet-a"}


def evaluated(text: str, env: dict[str, str] = ENV) -> object:
    return json.loads(render.render(text, "ecs-task-def.jsonnet", env, PARAMETERS.__getitem__))


def test_native_functions_read_the_environment_and_parameter_store() -> None:
    text = """
      local env = std.native('env');
      local must_env = std.native('must_env');
      local ssm = std.native('ssm');
      {
        image: 'nginx:' + must_env('TAG'),
        count: std.parseInt(env('COUNT', '1')),
        fallback: env('MISSING', 'dflt'),
        subnet: ssm('/catalog/subnet'),
      }
    """
    assert evaluated(text) == {
        "image": "nginx:1.27",
        "count": 3,
        "fallback": "dflt",
        "subnet": "subnet-a",
    }


def test_the_json_it_yields_is_rendered_next_as_ecspresso_does() -> None:
    assert evaluated("{ image: 'nginx:{{ must_env `TAG` }}' }") == {"image": "nginx:1.27"}


def test_an_unset_must_env_is_named_with_its_file() -> None:
    with pytest.raises(BundleInvalid) as refused:
        evaluated("local must_env = std.native('must_env'); { image: must_env('IMAGE_TAG') }")
    assert str(refused.value).startswith("ecs-task-def.jsonnet: must_env `IMAGE_TAG`")
    assert "IMAGE_TAG is not set" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{ a: 1 ", "ecs-task-def.jsonnet: Jsonnet: ecs-task-def.jsonnet:1:8"),
        ("{ a: std.parseInt('x') }", "ecs-task-def.jsonnet: Jsonnet: RUNTIME ERROR"),
        ("{ a: error 'no region' }", "no region"),
    ],
)
def test_jsonnet_errors_name_the_file_and_place(text: str, said: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        evaluated(text)
    assert said in str(refused.value)


def test_imports_are_refused_with_the_way_out() -> None:
    with pytest.raises(BundleInvalid) as refused:
        evaluated("local lib = import 'common.libsonnet'; lib")
    assert "import 'common.libsonnet'" in str(refused.value)
    assert "ecspresso render" in str(refused.value)


def test_the_variables_jsonnet_reads_are_found() -> None:
    text = "local env = std.native('env'); { a: env('COUNT', '1'), b: env('OTHER', '') }"
    assert render.names({"ecs-task-def.jsonnet": text}, ENV) == {"COUNT", "OTHER"}
