"""moto's ASL parse tree, made once per definition; the program evaluated is built anew from it
for every execution.

Why: moto lexes and parses the whole definition (ANTLR, in Python) for every execution it
starts: 56 ms for the deploy machine, run 1,000 times in a fleet's fan-out. The tree is only
read afterwards; the program built from it (:class:`Preprocessor`) is not shared, because its
components keep per-execution state (a Retry's attempt counts), so each execution gets its own.
A definition with syntax errors is parsed again each time (and refused each time). Building the
program reads each node's text (``getText``, which joins its children's, recursively: 2,900 calls a
deploy execution, 3.6 % of 100 first deploys' CPU, yappi); a node of a parsed tree never changes,
so its text is kept on it, once the parse is over.

Its JSONPaths likewise: moto parses a path (``InputPath``, ``$.x`` in ``Parameters``,
``ResultPath``) with jsonpath-ng each time a state evaluates it, and jsonpath-ng builds a new PLY
parser per parse (4.5 % of a 60-service bench's CPU, py-spy). A parsed path is only read
(``find``, ``update_or_create`` change the data, not the path), so one per path string serves all.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from antlr4 import CommonTokenStream, InputStream  # type: ignore[import-untyped]
from antlr4.RuleContext import RuleContext  # type: ignore[import-untyped]
from jsonpath_ng.ext.parser import parse as parse_extended
from jsonpath_ng.parser import parse as parse_path
from moto.stepfunctions.parser.asl.antlr.runtime.ASLLexer import ASLLexer
from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.parse import asl_parser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
from moto.stepfunctions.parser.asl.utils import json_path

_PARSING = threading.local()  # ``on``: this thread's tree is still being built
_original_text: Any = RuleContext.getText


def _text(self: Any) -> str:
    if getattr(_PARSING, "on", False):
        return str(_original_text(self))
    kept: str | None = self.__dict__.get("_kept_text")
    if kept is None:
        kept = self.__dict__["_kept_text"] = str(_original_text(self))
    return kept


@lru_cache(maxsize=64)
def _tree(definition: str) -> Any:
    errors = asl_parser.SyntaxErrorListener()  # type: ignore[no-untyped-call]
    parser = ASLParser(CommonTokenStream(ASLLexer(InputStream(definition))))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    _PARSING.on = True
    try:
        tree = parser.state_machine()  # type: ignore[no-untyped-call]
    finally:
        _PARSING.on = False
    if errors.errors:
        raise asl_parser.ASLParserException(errors=errors.errors)
    return tree


def parse(definition: str) -> tuple[Any, Any]:
    tree = _tree(definition)
    return Preprocessor().visit(tree), tree


@lru_cache(maxsize=4096)
def _json_path(path: str) -> Any:
    return parse_extended(path)


@lru_cache(maxsize=1024)
def _result_path(path: str) -> Any:
    return parse_path(path)


def install() -> None:
    RuleContext.getText = _text
    asl_parser.AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]
    setattr(json_path, "parse", _json_path)  # noqa: B010
    setattr(result_path, "parse", _result_path)  # noqa: B010
