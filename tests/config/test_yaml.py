"""ecspresso.yml read with PyYAML: what a full YAML parser takes, and what is still refused."""

from __future__ import annotations

import pytest

from deployer.bundle import ecspresso_yaml
from deployer.core.errors import BundleInvalid


def test_a_zero_indented_list_flow_collections_and_block_scalars_are_read() -> None:
    config = ecspresso_yaml.parse(
        "region: ap-northeast-1\n"
        "plugins:\n"
        "- name: tfstate\n"  # zero-indented, as ecspresso's README writes it
        "  config:\n"
        "    url: s3://states/app.tfstate\n"
        "- {name: cloudformation}\n"
        "tags: [a, 'b c']\n"
        "note: |\n"
        "  two\n"
        "  lines\n"
    )
    assert config["plugins"] == [
        {"name": "tfstate", "config": {"url": "s3://states/app.tfstate"}},
        {"name": "cloudformation"},
    ]
    assert config["tags"] == ["a", "b c"] and config["note"] == "two\nlines\n"


def test_booleans_are_yaml_1_2s_as_go_yaml_reads_them() -> None:
    assert ecspresso_yaml.parse("service: no\ncluster: on\nx: true\n") == {
        "service": "no",
        "cluster": "on",
        "x": True,
    }


def test_an_empty_config_is_an_empty_mapping() -> None:
    assert ecspresso_yaml.parse("# nothing\n") == {}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: &x [1]\nb: *x\n", "ecspresso.yml:2:4: alias *x is not read here"),
        ("cluster: a\ncluster: b\n", "ecspresso.yml:2:1: duplicate key 'cluster'"),
        ("region: x\noops\n", "ecspresso.yml:2:1: expected 'key: value'"),
        ("a:\n\tb: 1\n", "tabs are not allowed"),
        ("a: [1\n", "(it began at 1:4)"),
        ("- a\n", "expected a mapping of keys"),
    ],
)
def test_what_is_refused_says_file_line_and_column(text: str, said: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        ecspresso_yaml.parse(text)
    assert said in str(refused.value)


def test_an_alias_bomb_is_refused_at_its_first_alias_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(BundleInvalid) as refused:
        ecspresso_yaml.parse(bomb)
    assert "ecspresso.yml:2:" in str(refused.value) and "alias *a" in str(refused.value)


@pytest.mark.parametrize(
    ("files", "found"),
    [
        ({"ecspresso.yaml": "cluster: a\n"}, {"cluster": "a"}),
        ({"ecspresso.json": '{"cluster": "b"}'}, {"cluster": "b"}),
        ({"ecspresso.jsonnet": '{"cluster": "c"}'}, {"cluster": "c"}),  # once evaluated
        ({}, {}),
    ],
)
def test_each_config_name_is_read(files: dict[str, str], found: dict[str, str]) -> None:
    assert ecspresso_yaml.config_of(files) == found


def test_two_configs_in_one_bundle_are_refused() -> None:
    with pytest.raises(BundleInvalid) as refused:
        ecspresso_yaml.config_of({"ecspresso.yml": "", "ecspresso.json": "{}"})
    assert "ecspresso.yml and ecspresso.json: the bundle holds 2 configs" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("prod.yml", "ecspresso.yml"),
        ("a.b.yaml", "ecspresso.yaml"),
        ("x.jsonnet", "ecspresso.jsonnet"),
    ],
)
def test_a_config_under_another_name_travels_under_its_formats_default(
    name: str, default: str
) -> None:
    assert ecspresso_yaml.name_for(name) == default


def test_a_config_of_another_extension_is_refused_as_ecspresso_refuses_it() -> None:
    with pytest.raises(BundleInvalid, match=r"unsupported config file extension '\.toml'"):
        ecspresso_yaml.name_for("prod.toml")
