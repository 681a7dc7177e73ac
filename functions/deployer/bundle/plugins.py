"""ecspresso's config ``plugins:`` as template functions, set up as its plugin.go sets them up.

``ssm`` and ``secretsmanager`` are always on (``defaultPluginNames = []string{"ssm",
"secretsmanager"}``); ``tfstate`` (``config: {path: …}`` relative to the config's directory, or
``config: {url: …}``) and ``cloudformation`` add theirs when listed; ``func_prefix`` renames a
plugin's functions (``name := p.FuncPrefix + funcName``), and a name given twice is refused
("template function %s already exists. set func_prefix to %s plugin"). Any other plugin is
refused as ecspresso refuses it ("plugin %s is not available").

What they read comes from a :class:`Lookups`: the account (:class:`.lookups.AwsLookups`) or the
CLI's offline stand-ins. A state file is read once, on first use. Nothing outside the bundle is
read: a local state is a file of the bundle (:func:`bundle.safe_name`), uploaded with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urlparse

from ..core.errors import BundleInvalid
from . import limits, tfstate

Function = Callable[[list[str], str], str]
"""A template function: its arguments and where it is called (``file:line``) → its value."""
STAND_IN = "tfstate"
"""The prefix of a stand-in value (offline, a state in S3): ``tfstate:<address>``."""


class Lookups(Protocol):
    def ssm(self, name: str) -> str: ...
    def secret_arn(self, secret_id: str) -> str: ...
    def stack_output(self, stack: str, key: str) -> str: ...
    def stack_export(self, name: str) -> str: ...
    def state_file(self, location: str) -> bytes | None: ...


def _arity(name: str, count: int, call: Callable[..., str]) -> Function:
    def function(args: list[str], where: str) -> str:
        if len(args) != count:
            raise BundleInvalid(f"{where}: {name} takes {count} argument(s), not {len(args)}")
        return call(*args)

    return function


def state_location(plugin: dict[str, Any]) -> str:
    """Where a tfstate plugin's state is: an ``s3://`` URL, or a file of the bundle."""
    from .normalize import safe_name  # bundle imports the config reader, which is not this

    config = plugin.get("config")
    given: dict[str, Any] = config if isinstance(config, dict) else {}
    where = "plugins: tfstate: config"
    location = given.get("path", given.get("url"))
    if not isinstance(location, str) or not location:
        raise BundleInvalid(
            f"ecspresso.yml: {where}: give path (a state file of the bundle) or url "
            "(s3://bucket/key): tfstate plugin requires path or url for tfstate location"
        )
    scheme = urlparse(location).scheme if "path" not in given else ""
    if scheme == "s3":
        return location
    if scheme and len(scheme) > 1:  # not a Windows drive letter: safe_name refuses that
        raise BundleInvalid(
            f"ecspresso.yml: {where}.url: {location}: the {scheme}:// scheme is not read by "
            "lattice-deploy (s3:// and a state file of the bundle are); copy the state to S3"
        )
    return safe_name(location, f"{where}.{'path' if 'path' in given else 'url'}")


def local_states(config: dict[str, Any]) -> list[str]:
    """The bundle files the config's tfstate plugins read (the CLI uploads them too)."""
    return [
        location
        for plugin in _listed(config)
        if str(plugin.get("name", "")).lower() == "tfstate"
        and not (location := state_location(plugin)).startswith("s3://")
    ]


def _listed(config: dict[str, Any]) -> list[dict[str, Any]]:
    plugins = config.get("plugins") or []
    if not isinstance(plugins, list) or not all(isinstance(p, dict) for p in plugins):
        raise BundleInvalid(
            "ecspresso.yml: plugins: expected a list of {name:, config:, func_prefix:}"
        )
    return plugins


def _tfstate(plugin: dict[str, Any], lookups: Lookups, prefix: str) -> dict[str, Function]:
    location = state_location(plugin)
    loaded: list[tfstate.State | None] = []

    def state() -> tfstate.State | None:
        if not loaded:
            raw = lookups.state_file(location)
            if raw is None and not location.startswith("s3://"):
                raise BundleInvalid(
                    f"ecspresso.yml: plugins: tfstate: {location}: not found in the bundle; "
                    "put the state file in the bundle directory"
                )
            if raw is not None and len(raw) > tfstate.MAX_STATE_BYTES:
                raise BundleInvalid(f"{location}: more than {tfstate.MAX_STATE_BYTES >> 20} MiB")
            loaded.append(None if raw is None else tfstate.State(raw, f"tfstate {location}"))
        return loaded[0]

    return tfstate.functions(prefix, state, STAND_IN)


def functions(config: dict[str, Any], lookups: Lookups) -> dict[str, Function]:
    """The template functions the plugins give (``ssm`` aside: :mod:`.render` has it)."""
    made: dict[str, Function] = {
        "secretsmanager_arn": _arity("secretsmanager_arn", 1, lookups.secret_arn)
    }
    defaults = set(made) | {"ssm"}
    for plugin in _listed(config):
        name, prefix = str(plugin.get("name", "")), str(plugin.get("func_prefix") or "")
        kind = name.lower()
        if kind == "tfstate":
            added = _tfstate(plugin, lookups, prefix)
        elif kind == "cloudformation":
            added = {
                f"{prefix}cfn_output": _arity(f"{prefix}cfn_output", 2, lookups.stack_output),
                f"{prefix}cfn_export": _arity(f"{prefix}cfn_export", 1, lookups.stack_export),
            }
        elif kind == "secretsmanager":
            added = {f"{prefix}secretsmanager_arn": made["secretsmanager_arn"]}
        elif kind == "ssm":
            added = {f"{prefix}ssm": _arity(f"{prefix}ssm", 1, lookups.ssm)} if prefix else {}
        else:
            raise BundleInvalid(
                f"ecspresso.yml: plugins: {name}: plugin {name} is not available (ecspresso's "
                "are tfstate, cloudformation, ssm and secretsmanager); remove it"
            )
        for function in added:
            default = kind in ("ssm", "secretsmanager") and function in defaults
            if function in made and not default:
                raise BundleInvalid(
                    f"ecspresso.yml: plugins: {name}: template function {function} already "
                    f"exists; set func_prefix to {name} plugin"
                )
        made.update(added)
    return made


class StandIns:
    """Where no account is read (``validate`` offline, finding a bundle's variables): each value
    a stand-in naming its source (``<secretsmanager_arn:<id> offline>``, as ``ssm``'s is, which
    no check takes for a value's shape: :func:`limits.offline`), never a guess; a state file of
    the bundle is read for real, from ``files``."""

    def __init__(self, ssm: Callable[[str], str], files: Mapping[str, str]) -> None:
        self._ssm, self.files = ssm, files

    def ssm(self, name: str) -> str:
        return self._ssm(name)

    def secret_arn(self, secret_id: str) -> str:
        return limits.stand_in(secret_id, "secretsmanager_arn")

    def stack_output(self, stack: str, key: str) -> str:
        return limits.stand_in(f"{stack}.{key}", "cfn_output")

    def stack_export(self, name: str) -> str:
        return limits.stand_in(name, "cfn_export")

    def state_file(self, location: str) -> bytes | None:
        if location.startswith("s3://"):
            return None
        text = self.files.get(location)
        return None if text is None else text.encode()
