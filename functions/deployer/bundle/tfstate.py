"""ecspresso's ``tfstate`` plugin: ``{{ tfstate "aws_subnet.private['a'].id" }}`` and
``{{ tfstatef "aws_subnet.private['%s'].id" "a" }}`` read a Terraform state (version 4).

The address grammar is fujiwara/tfstate-lookup's (tfstate/lookup.go, ``scan`` and ``Lookup``):
each resource instance is known by ``[module.<m>.][data.]<type>.<name>[<index_key as JSON>]``
(``aws_subnet.private["a"]``, ``aws_instance.web[0]``), each output by ``output.<name>``; an
address is the longest of those it starts with, and the rest is a path into that instance's
attributes (``.id``, ``.tags.Name``, ``[0]``). In ``tfstate``, ``'`` stands for ``"`` (funcs.go:
``strings.ReplaceAll(addrs, "'", "\\"")``). A string value is given as is, any other as its JSON
(``Object.Bytes``). What is read here is that subset: the path is plain keys and indexes (no jq
filters), the state a file (no ``backend`` pointing at another one); anything else is refused
by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..core.errors import BundleInvalid
from . import limits

STATE_VERSION = 4
"""``StateVersion = 4`` (lookup.go): Terraform 0.12 and later write it."""
MAX_STATE_BYTES = 8 << 20
"""A state file's largest size here (a state is not a bundle file: states of whole accounts
run to megabytes); far below the memory of the function that reads it."""
STEP = re.compile(r'\.(?P<key>[A-Za-z_][\w-]*)|\[(?P<index>-?\d+)\]|\["(?P<quoted>[^"]*)"\]')
VERB = re.compile(r"%[sdv%]")


def _output(value: Any) -> Any:
    """An output's value (``outputValue``: ``{"value": …, "type": …}`` unwrapped)."""
    if isinstance(value, dict) and value.get("value") is not None and "type" in value:
        return value["value"]
    return value


class State:
    """One state, scanned once into ``address → attributes`` (``TFState.scan``)."""

    def __init__(self, raw: bytes, where: str) -> None:
        self.where = where
        try:
            state = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BundleInvalid(f"{where}: the state is not JSON ({exc}); give a tfstate") from None
        if not isinstance(state, dict):
            raise BundleInvalid(f"{where}: the state is not a JSON object; give a tfstate")
        if state.get("backend"):
            raise BundleInvalid(
                f"{where}: the state points at a {state['backend'].get('type')} backend; give the "
                "url of the state itself (s3://bucket/key)"
            )
        if state.get("version") != STATE_VERSION:
            raise BundleInvalid(
                f"{where}: unsupported state version {state.get('version')} (tfstate-lookup reads "
                f"version {STATE_VERSION}, Terraform 0.12 and later)"
            )
        self.scanned: dict[str, Any] = {
            f"output.{k}": _output(v) for k, v in (state.get("outputs") or {}).items()
        }
        for resource in state.get("resources") or []:
            self._scan(resource)

    def _scan(self, r: dict[str, Any]) -> None:
        if r.get("mode") not in ("data", "managed"):
            return
        module = f"{r['module']}." if r.get("module") else ""
        base = f"{module}{'data.' if r['mode'] == 'data' else ''}{r.get('type')}.{r.get('name')}"
        instances = r.get("instances") or []
        if r["mode"] == "data" and r.get("type") == "terraform_remote_state" and instances:
            attributes = instances[0].get("attributes") or {}
            self.scanned[base] = {k: _output(v) for k, v in attributes.items()}
            return
        for instance in instances:
            key = base
            if "index_key" in instance:
                key += f"[{json.dumps(instance['index_key'])}]"
            self.scanned[key] = instance.get("attributes", instance.get("attributes_flat"))

    def lookup(self, address: str) -> str:
        found = max((n for n in self.scanned if address.startswith(n)), key=len, default=None)
        if found is None:
            raise BundleInvalid(f"{self.where}: {address} is not found in tfstate")
        value, rest = self.scanned[found], address[len(found) :]
        position = 0
        while position < len(rest):
            step = STEP.match(rest, position)
            if step is None:
                raise BundleInvalid(
                    f"{self.where}: {address}: {rest[position:]!r} is not a path this deployer "
                    'reads (.name, ["key"] or [0] steps; no jq filters)'
                )
            position = step.end()
            if step["index"] is not None and isinstance(value, list):
                index = int(step["index"])
                value = value[index] if -len(value) <= index < len(value) else None
            elif step["index"] is None and isinstance(value, dict):
                value = value.get(step["key"] if step["key"] is not None else step["quoted"])
            else:
                value = None
            if value is None:
                raise BundleInvalid(f"{self.where}: {address} is not found in tfstate")
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def sprintf(form: str, args: list[str], where: str) -> str:
    """Go's ``fmt.Sprintf`` for what ``tfstatef`` addresses use: ``%s``, ``%d``, ``%v``, ``%%``."""
    given = iter(args)

    def verb(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        try:
            return next(given)
        except StopIteration:
            raise BundleInvalid(f"{where}: tfstatef {form!r}: too few arguments") from None

    text = VERB.sub(verb, form)
    if "%" in text.replace("%%", ""):
        raise BundleInvalid(f"{where}: tfstatef {form!r}: only %s, %d and %v are read here")
    return text


def functions(prefix: str, state: Callable[[], State | None], stand_in: str) -> dict[str, Any]:
    """``tfstate`` and ``tfstatef`` (renamed by ``func_prefix``), reading ``state()`` (None
    where the state cannot be read, offline: then a stand-in value)."""

    def tfstate(args: list[str], where: str) -> str:
        if len(args) != 1:
            raise BundleInvalid(f"{where}: {prefix}tfstate takes one address")
        if (loaded := state()) is None:
            return limits.stand_in(args[0], stand_in)
        return loaded.lookup(args[0].replace("'", '"'))

    def tfstatef(args: list[str], where: str) -> str:
        if not args:
            raise BundleInvalid(f"{where}: {prefix}tfstatef takes a format and its arguments")
        return tfstate([sprintf(args[0], args[1:], where)], where)

    return {f"{prefix}tfstate": tfstate, f"{prefix}tfstatef": tfstatef}
