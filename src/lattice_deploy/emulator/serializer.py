"""moto's response serializer, with the keys it tries for a member worked out once per kind.

Why: moto serializes a reply by walking every member of the output shape and, for each, asking
six alias providers which attribute or key of the object could hold it, for every object: a
GetExecutionHistory of 100 events asks about 60 members of each. In a 60-service fan-out that
was 1.4 million ``get_possible_keys`` calls (yappi), 15 % of the CPU in serializing. The answer
depends only on the object's class (and its ``Meta``), the member's name and shape, and the
structure it is in, so it is kept per those; the objects in the memo are kept alive with it, so
an id in a key is never another object's.
"""

from __future__ import annotations

from typing import Any

from moto.core import serialize

_original: Any = serialize.XFormedAttributePicker.get_possible_keys
_KEYS: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[Any, ...]]] = {}


def _possible_keys(self: Any, context: Any) -> Any:
    if self.alias_providers is not serialize.DEFAULT_ALIAS_PROVIDERS:
        return _original(self, context)
    obj, shape = context.obj, context.shape
    parent, meta = getattr(shape, "parent", None), getattr(obj, "Meta", None)
    memo = (type(obj), context.key, id(shape), id(parent), id(meta))
    found = _KEYS.get(memo)
    if found is None:
        found = _KEYS[memo] = (tuple(_original(self, context)), (shape, parent, meta))
    return found[0]


def install() -> None:
    serialize.XFormedAttributePicker.get_possible_keys = _possible_keys  # type: ignore[method-assign]
