"""The interpreter's state data: JSONPaths parsed once each (parse_cache), and copied as JSON
(copies): a copy shares nothing a later state could change."""

from __future__ import annotations

import pytest
from moto.stepfunctions.parser.asl.utils import json_path

from lattice_deploy.emulator.stepfunctions import copies, parse_cache

from .helpers import counted

pytestmark = pytest.mark.timeout(30)


def test_a_path_is_parsed_once_however_often_it_is_read() -> None:
    parse_cache.install()
    data = {"plan": {"service": "orders", "ports": [80, 443]}}
    before = parse_cache._json_path.cache_info()
    for _ in range(5):
        assert json_path.extract_json("$.plan.service", data) == "orders"
    after = parse_cache._json_path.cache_info()
    assert after.misses - before.misses <= 1
    assert after.hits - before.hits >= 4


def test_a_parsed_node_s_text_is_read_once_and_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parse_cache.install()
    definition = '{"StartAt": "a", "States": {"a": {"Type": "Pass", "Result": "x y", "End": true}}}'
    tree = parse_cache._tree(definition + " ")  # a definition of its own: a tree of its own
    original = parse_cache._original_text
    calls = counted(monkeypatch, parse_cache, "_original_text")
    first = tree.getText()
    assert calls  # read once, through the kept-text reader
    assert first == original(tree) and '"Result":"x y"' in first
    calls.clear()
    assert tree.getText() == first and calls == []  # kept: nothing under it read again
    parse_cache.parse(definition + " ")  # a program built from the tree, as each execution's


def test_a_copy_shares_nothing_mutable() -> None:
    shared = {"tags": ["a"]}
    original = {"left": shared, "right": shared, "n": 1, "ok": True, "none": None, "f": 1.5}
    copied = copies.json_copy(original)
    assert copied == original
    copied["left"]["tags"].append("b")
    assert original["left"]["tags"] == ["a"]  # the original is untouched
    assert copied["right"]["tags"] == ["a"]  # and the two copies are apart, as JSON text is


def test_what_is_not_json_is_still_deep_copied() -> None:
    class Holder:
        def __init__(self) -> None:
            self.items = [1]

    held = Holder()
    copied = copies.json_copy([held])
    assert copied[0] is not held and copied[0].items == [1] and copied[0].items is not held.items


def test_the_interpreter_copies_its_state_data_as_json() -> None:
    copies.install()
    assert [m.__name__ for m in copies.USERS if m.copy.deepcopy is not copies.json_copy] == []
