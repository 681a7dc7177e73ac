"""ecspresso's template functions, rendered as ecspresso renders them (kayac/go-config)."""

from __future__ import annotations

import pytest

from deployer.bundle import render
from deployer.core.errors import BundleInvalid

ENV = {"TAG": "1.27", "QUOTED": 'say "hi"'}
PARAMETERS = {"/myservice/image": "nginx:1.27", "/myservice/subnets": "subnet-a,subnet-b"}


def rendered(text: str) -> str:
    return render.render(text, "ecs-task-def.json", ENV, PARAMETERS.__getitem__)


@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("nginx:{{ must_env `TAG` }}", "nginx:1.27"),
        ('{{ env "MISSING" "fallback" }}', "fallback"),
        ("{{ env `MISSING` }}", ""),
        ("{{ must_env `QUOTED` | json_escape }}", 'say \\"hi\\"'),
        ("{{ json_escape (must_env `QUOTED`) }}", 'say \\"hi\\"'),
        ("{{ ssm `/myservice/image` }}", "nginx:1.27"),
        ("{{ ssm `/myservice/subnets` 1 }}", "subnet-b"),
        ("{{- must_env `TAG` -}}", "1.27"),
    ],
)
def test_each_function_renders_as_ecspresso_does(template: str, value: str) -> None:
    assert rendered(f'"{template}"') == f'"{value}"'  # each inside a JSON string


def test_an_unset_must_env_names_the_file_line_and_variable() -> None:
    with pytest.raises(BundleInvalid) as refused:
        rendered('{\n  "image": "nginx:{{ must_env `IMAGE_TAG` }}"\n}')
    assert str(refused.value).startswith("ecs-task-def.json:2: must_env `IMAGE_TAG`")
    assert "IMAGE_TAG is not set" in str(refused.value) and "env.json" in str(refused.value)


@pytest.mark.parametrize("template", ["{{ tfstate `aws_lb.arn` }}", "{{ .Values.x }}"])
def test_what_it_cannot_render_is_refused_by_name(template: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        rendered(template)
    assert "ecs-task-def.json:1" in str(refused.value)


def test_the_variables_a_bundle_reads_are_found() -> None:
    text = "{{ must_env `A` }} {{ env `B` `x` }} {{ ssm `/c` }}"
    assert render.names({"ecs-task-def.json": text}, {"A": "1"}) == {"A", "B"}


def test_a_branch_not_taken_leaves_the_json_strings_as_they_were() -> None:
    text = '{"a": "{{ if env `UNSET` }}x"{{ else }}y"{{ end }}, "b": "{{ must_env `QUOTED` }}"}'
    with pytest.raises(BundleInvalid) as refused:  # "b" is still inside a string: its quote
        rendered(text)
    assert "json_escape ({{ ... | json_escape }})" in str(refused.value)
    assert rendered('{"a": "{{ if eq (env `TAG`) `1.27` }}yes{{ end }}"}') == '{"a": "yes"}'


def test_a_config_renders_before_the_plugins_it_lists_and_they_render_the_rest() -> None:
    files = {
        "ecspresso.yml": "service: '{{ env `TAG` }}'\nplugins:\n- name: tfstate\n"
        "  config: {path: state.tfstate}\n",
        "state.tfstate": '{"version": 4, "outputs": {"sg": {"value": "sg-1", "type": "string"}}}',
        "ecs-task-def.json": '{"sg": "{{ tfstate `output.sg` }}"}',
    }
    done = render.render_files(files, ENV, PARAMETERS.__getitem__)
    assert done["ecspresso.yml"].startswith("service: '1.27'")
    assert done["ecs-task-def.json"] == '{"sg": "sg-1"}'
    assert "state.tfstate" not in done  # data the plugin reads, not rendered
