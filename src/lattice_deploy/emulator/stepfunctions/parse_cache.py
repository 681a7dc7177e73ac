"""moto's ASL parse tree, made once per definition; the program evaluated is built anew from it
for every execution.

Why: moto lexes and parses the whole definition (ANTLR, in Python) for every execution it
starts: 56 ms for the deploy machine, run 1,000 times in a fleet's fan-out. The tree is only
read afterwards; the program built from it (:class:`Preprocessor`) is not shared, because its
components keep per-execution state (a Retry's attempt counts), so each execution gets its own.
A definition with syntax errors is parsed again each time (and refused each time).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from antlr4 import CommonTokenStream, InputStream  # type: ignore[import-untyped]
from moto.stepfunctions.parser.asl.antlr.runtime.ASLLexer import ASLLexer
from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser
from moto.stepfunctions.parser.asl.parse import asl_parser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor


@lru_cache(maxsize=64)
def _tree(definition: str) -> Any:
    errors = asl_parser.SyntaxErrorListener()  # type: ignore[no-untyped-call]
    parser = ASLParser(CommonTokenStream(ASLLexer(InputStream(definition))))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    tree = parser.state_machine()  # type: ignore[no-untyped-call]
    if errors.errors:
        raise asl_parser.ASLParserException(errors=errors.errors)
    return tree


def parse(definition: str) -> tuple[Any, Any]:
    tree = _tree(definition)
    return Preprocessor().visit(tree), tree


def install() -> None:
    asl_parser.AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]
