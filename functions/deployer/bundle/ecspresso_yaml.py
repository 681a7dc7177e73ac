"""Read an ecspresso config in YAML (``ecspresso.yml`` / ``ecspresso.yaml``) with PyYAML.

Why PyYAML (in the stack's YAML layer, ``layers/yaml/``): ecspresso parses its config with a full
YAML parser (goccy/go-yaml), so zero-indented lists, flow collections and block scalars are
everyday config; a hand-written subset refused them. What is kept from the subset reader: the
file is bounded (:data:`bundle.MAX_FILE_BYTES`, checked by whoever reads it), a duplicate key
is refused (ecspresso's strict decoding keeps the last one silently: a typo hides there), every
error says ``file:line:column``; and aliases (``*name``) are refused, so that a few lines of
anchors can never expand into millions of nodes (the "billion laughs" YAML bomb).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..core.errors import BundleInvalid
from ..core.json_text import parse_json

try:  # the stack's YAML layer; imported here only, so other functions run without it
    import yaml
except ImportError:  # pragma: no cover - only a Lambda deployed without the layer lacks it
    yaml = None  # type: ignore[assignment]

BOOL = "tag:yaml.org,2002:bool"
PLAINLY = {
    "could not find expected ':'": "expected 'key: value'",
    "'\\t'": "tabs are not allowed for indentation; indent with spaces",
}
"""PyYAML's wording of the commonest slips, and what to write instead."""


def _loader() -> Any:
    """A SafeLoader that refuses aliases and duplicate keys, with YAML 1.2's booleans only
    (``true``/``false``: go-yaml reads ``yes``/``no``/``on``/``off`` as strings, PyYAML's YAML 1.1
    default would turn ``service: no`` into False)."""

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(
                    problem=f"alias *{event.anchor} is not read here (aliases can expand a small "
                    "file into a huge one); write the value out",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    continue  # unhashable: SafeLoader itself refuses it, with its mark
                if key in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"duplicate key {key!r}; keep one of them",
                        problem_mark=key_node.start_mark,
                    )
                seen.add(key)
            return dict(super().construct_mapping(node, deep=deep))

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


NAMES = ("ecspresso.yml", "ecspresso.yaml", "ecspresso.json", "ecspresso.jsonnet")
"""ecspresso's config names, in the order it looks for them: ``for _, ext := range
[]string{ymlExt, yamlExt, jsonExt, jsonnetExt} { if _, err := os.Stat("ecspresso" + ext) ...``
(cli.go, resolveConfigFilePath); the first that exists is read."""
SUFFIXES = {name.removeprefix("ecspresso"): name for name in NAMES}
"""A config under another name (``--config FILE``) is read by its extension, as ecspresso's
``Load`` switches on ``filepath.Ext(path)`` (config.go); it travels under the default name of
its format."""


def name_for(filename: str) -> str:
    """The default name of the config format of ``filename`` (``prod.yaml`` → ``ecspresso.yaml``);
    another extension is refused, as ecspresso refuses it ("unsupported config file
    extension", config.go)."""
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    if suffix not in SUFFIXES:
        raise BundleInvalid(
            f"{filename}: unsupported config file extension {suffix or '(none)'!r}; an ecspresso "
            f"config is .yml, .yaml, .json or .jsonnet"
        )
    return SUFFIXES[suffix]


def name_in(files: Mapping[str, Any]) -> str | None:
    """The config among ``files`` (None when there is none). Two are refused: which one an
    upload meant cannot be known (a stale ``ecspresso.yml`` beside a new ``ecspresso.json``)."""
    found = [name for name in NAMES if name in files]
    if len(found) > 1:
        raise BundleInvalid(
            f"{' and '.join(found)}: the bundle holds {len(found)} configs; keep one (delete the "
            "others from the bundle folder)"
        )
    return found[0] if found else None


def config_of(files: Mapping[str, str]) -> dict[str, Any]:
    """The bundle's config, parsed ({} when it has none): YAML, or JSON (a ``.jsonnet`` config
    once evaluated: :func:`render.render` evaluates it, as ecspresso's ``Load`` does first)."""
    name = name_in(files)
    if name is None:
        return {}
    if name.endswith((".json", ".jsonnet")):
        return parse_json(files[name], name)
    return parse(files[name], name)


def parse(text: str, filename: str = "ecspresso.yml") -> dict[str, Any]:
    """The config as a mapping ({} for an empty file); any error is ``file:line:col: why``."""
    if yaml is None:
        raise BundleInvalid(
            f"{filename}: reading YAML needs PyYAML (on AWS the stack's YamlLayer), which this "
            "runtime lacks; deploy the stack with its layers"
        )
    try:
        value = yaml.load(text, Loader=_loader())  # nosec B506: a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        # a scanner's context is where the bad token began (a key without its ':'); its
        # problem mark is where that was noticed, often the next line
        scanned = isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark
        mark = exc.context_mark if scanned else exc.problem_mark or exc.context_mark
        where = f"{filename}:{mark.line + 1}:{mark.column + 1}" if mark else filename
        why = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if (
            (begun := exc.context_mark)
            and mark
            and (begun.line, begun.column)
            != (
                mark.line,
                mark.column,
            )
        ):
            why = f"{why} (it began at {begun.line + 1}:{begun.column + 1})"
        for said, plain in PLAINLY.items():
            why = f"{plain} ({why})" if said in why else why
        remedy = "" if ";" in why else "; fix the YAML there"
        raise BundleInvalid(f"{where}: {why}{remedy}") from None
    except yaml.YAMLError as exc:
        raise BundleInvalid(f"{filename}: not YAML ({exc}); fix the file") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BundleInvalid(
            f"{filename}: expected a mapping of keys (region:, cluster:, service:, …) at the top "
            f"level, got a {type(value).__name__}"
        )
    return value


TIMEOUT_BOUNDS = (1, 36_000)
"""Seconds a run may wait for health. Not 0: every deploy would time out at its first poll. At
most 10 hours, chosen: a Standard Step Functions execution holds at most 25,000 history events
(Step Functions service quotas), a health poll costs about 9 of them (Wait, Task, Choice) and the
stack polls every 15 s by default (``PollSeconds``), so about 11 hours of polling fill it and
the execution would fail outright, without its rollback."""


def duration_seconds(value: Any, where: str) -> int:
    """A Go duration as ecspresso writes ``timeout`` (``10m``, ``1h30m``, ``90s``) in seconds,
    within :data:`TIMEOUT_BOUNDS`."""
    text = str(value).strip()
    parts = re.findall(r"(\d{1,9})(h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BundleInvalid(
            f"{where}: timeout {text[:40]!r} is not a duration; write e.g. 10m, 1h30m or 90s"
        )
    seconds = sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
    low, high = TIMEOUT_BOUNDS
    if not low <= seconds <= high:
        raise BundleInvalid(
            f"{where}: timeout {text!r} is {seconds} s; give {low} s to {high // 3600}h "
            "(a run waits for health at most that long), e.g. 10m"
        )
    return seconds
