"""The ECS API's shapes, from the model botocore ships (in the Lambda runtime too).

Why one module: the definitions are ECS API inputs, so the model's input shapes are their schema
(:mod:`.validate`, :mod:`.limits`), and its output shapes say which fields describe output
carries that no input takes (:mod:`.definitions`).
"""

from __future__ import annotations

from functools import cache

from botocore.model import StructureShape
from botocore.session import get_session


@cache
def _ecs() -> object:
    return get_session().get_service_model("ecs")


@cache
def input_shape(operation: str) -> StructureShape:
    shape = _ecs().operation_model(operation).input_shape  # type: ignore[attr-defined]
    if not isinstance(shape, StructureShape):  # botocore's model: always a structure
        raise TypeError(f"ECS {operation}: unexpected input shape {shape!r}")
    return shape


@cache
def output_members(shape: str) -> frozenset[str]:
    """The members of ECS's output structure ``shape`` (``Service``, ``TaskDefinition``)."""
    return frozenset(_ecs().shape_for(shape).members)  # type: ignore[attr-defined]
