"""The functions ship their own SDK (the stack's SdkLayer, pinned boto3/botocore) and still refuse,
at cold start and by name, a botocore too old for any request member they send: each feature of
``aws.SDK_FEATURES`` is guarded, and checked here, on its own."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import botocore
import botocore.session
import pytest

from deployer.core import aws
from deployer.ecs import api as ecs
from lattice_deploy.runner import template as cfn

ROOT = Path(__file__).resolve().parents[1]


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def _before(version: tuple[int, int, int]) -> tuple[int, int, int]:
    """The release just before ``version`` (all first versions here have a patch above 0)."""
    assert version[2] > 0
    return (version[0], version[1], version[2] - 1)


@pytest.mark.parametrize("feature", sorted(aws.SDK_FEATURES))
def test_each_feature_is_refused_by_the_release_before_it(
    monkeypatch: pytest.MonkeyPatch, feature: str
) -> None:
    first = aws.SDK_FEATURES[feature][3]
    older = _before(first)
    monkeypatch.setattr(botocore, "__version__", _dotted(older))
    with pytest.raises(RuntimeError) as refused:
        importlib.reload(ecs)
    message = str(refused.value)
    assert f"botocore {_dotted(older)}" in message and "SdkLayer" in message
    assert f"{feature} (botocore >= {_dotted(first)})" in message
    for other, (*_, other_first) in aws.SDK_FEATURES.items():  # only those it lacks are named
        assert (f"{other} (" in message) is (other_first > older), other
    monkeypatch.undo()
    importlib.reload(ecs)  # the real one loads


def test_the_newest_first_version_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    newest = max(first for *_, first in aws.SDK_FEATURES.values())
    monkeypatch.setattr(botocore, "__version__", _dotted(newest))
    importlib.reload(ecs)
    monkeypatch.undo()
    importlib.reload(ecs)


def test_each_feature_names_a_member_of_the_model() -> None:
    """The table's (service, shape, member) is a real member, so its first version is of it."""
    session = botocore.session.get_session()
    for feature, (service, shape, member, _) in aws.SDK_FEATURES.items():
        assert member in session.get_service_model(service).shape_for(shape).members, feature


def _pins() -> dict[str, tuple[int, ...]]:
    text = (ROOT / "layers" / "sdk" / "requirements.txt").read_text()
    found = re.findall(r"^([\w-]+)==(\d+)\.(\d+)\.(\d+)\s*$", text, re.M)
    return {name: tuple(map(int, parts)) for name, *parts in found}


def test_the_layer_pins_an_sdk_that_has_every_feature() -> None:
    pins = _pins()
    assert set(pins) == {"boto3", "botocore"}
    assert pins["botocore"] >= max(first for *_, first in aws.SDK_FEATURES.values())
    assert pins["boto3"][:2] == pins["botocore"][:2]  # boto3 1.x.y wants botocore 1.x.*


def test_every_function_gets_the_sdk_layer_built_like_the_others() -> None:
    template = cfn.load(ROOT / "template.yaml")
    for fn in template.functions:  # each calls AWS (aws.client)
        assert {"Ref": "SdkLayer"} in fn.properties["Layers"], fn.logical_id
    sdk = template.resources["SdkLayer"]
    assert sdk["Type"] == "AWS::Serverless::LayerVersion"
    assert sdk["Metadata"] == template.resources["YamlLayer"]["Metadata"]
    assert sdk["Properties"]["ContentUri"] == "layers/sdk/"
    assert sdk["Properties"]["CompatibleRuntimes"] == ["python3.13"]
