"""IAM condition operators, as the IAM User Guide ("IAM JSON policy elements: Condition
operators", "Condition element") documents them, for the ``Condition`` block of an auth policy.

- Operators in one block are ANDed, keys under one operator are ANDed, values of one key ORed.
- A key absent from the request: "the values do not match and the condition is false"; for a
  negated operator (``StringNotEquals``, ``StringNotLike``, ``ArnNotLike``...) "the condition is
  true"; ``...IfExists``: "If the key is not present, evaluate the condition element as true";
  ``Null`` tests presence itself; ``ForAllValues:`` is true for an absent key, ``ForAnyValue:``
  false.
- ``StringLike``/``ArnLike``: ``*`` any run of characters, ``?`` one; ARNs compared component by
  component (the six ``:``-separated parts), case-sensitively.

Tri-state: an operator or a policy variable (``${...}``) not simulated gives ``None`` (unknown),
never a guessed true or false: the verdict then says UNKNOWN instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .context import Context


@dataclass(frozen=True)
class Outcome:
    holds: bool | None  # None: cannot be decided here
    why: str = ""  # for a condition that does not hold (or is unknown): which, and the value


@lru_cache(maxsize=256)
def _pattern(glob: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def like(glob: str, value: str, ignore_case: bool = False) -> bool:
    return _pattern(glob, ignore_case).fullmatch(value) is not None


def _arn_like(pattern: str, value: str) -> bool:
    wanted, got = pattern.split(":", 5), value.split(":", 5)
    return len(wanted) == len(got) == 6 and all(
        like(w, g) for w, g in zip(wanted, got, strict=True)
    )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def test(wanted: str, got: str) -> bool:
        a, b = _number(got), _number(wanted)
        return a is not None and b is not None and compare(a, b)

    return test


MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "stringequals": lambda w, g: w == g,
    "stringequalsignorecase": lambda w, g: w.lower() == g.lower(),
    "stringlike": like,
    "arnequals": _arn_like,
    "arnlike": _arn_like,
    "bool": lambda w, g: w.lower() == g.lower(),
    "numericequals": _numeric(lambda a, b: a == b),
    "numericlessthan": _numeric(lambda a, b: a < b),
    "numericlessthanequals": _numeric(lambda a, b: a <= b),
    "numericgreaterthan": _numeric(lambda a, b: a > b),
    "numericgreaterthanequals": _numeric(lambda a, b: a >= b),
}
NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "numericnotequals": "numericequals",
}


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items]


def _one(operator: str, key: str, wanted: list[str], context: Context) -> Outcome:
    """One key under one operator (``operator`` as written, for the explanation)."""
    name = operator
    qualifier, _, base = operator.rpartition(":")
    base = base.lower()
    if_exists = base.endswith("ifexists")
    base = base.removesuffix("ifexists")
    got = context.value(key)
    shown = f"{name} {key} {wanted}: the request's is " + (
        "absent" if got is None else ", ".join(repr(g) for g in got)
    )
    if any("${" in w for w in wanted):
        return Outcome(None, f"{name} {key}: policy variables are not simulated")
    if base == "null":
        absent_wanted = wanted[0].lower() == "true"  # "Null": {key: "true"}: key absent
        return Outcome((got is None) == absent_wanted, shown)
    negate = base in NEGATED
    test = MATCHERS.get(NEGATED.get(base, base))
    if test is None:
        return Outcome(None, f"{name} {key}: the operator is not simulated")
    if got is None:
        holds = if_exists or negate or qualifier.lower() == "forallvalues"
        return Outcome(holds, shown)

    def matches(value: str) -> bool:
        found = any(test(w, value) for w in wanted)
        return not found if negate else found

    if qualifier.lower() == "forallvalues":
        holds = all(matches(v) for v in got)
    else:  # ForAnyValue, or a single-valued key (every Lattice key is)
        holds = any(matches(v) for v in got)
    return Outcome(holds, shown)


def evaluate(block: Any, context: Context) -> Outcome:
    """The whole ``Condition`` block: true only if every operator's every key holds. The first
    condition that fails is the one named; an unknown one is named if nothing fails."""
    if not block:
        return Outcome(True)
    if not isinstance(block, dict):
        return Outcome(None, "the Condition element is not an object")
    unknown: Outcome | None = None
    for operator, keys in block.items():
        if not isinstance(keys, dict):
            return Outcome(None, f"{operator}: not an object of keys")
        for key, raw in keys.items():
            found = _one(str(operator), str(key), _values(raw), context)
            if found.holds is False:
                return found
            if found.holds is None and unknown is None:
                unknown = found
    return unknown or Outcome(True)
