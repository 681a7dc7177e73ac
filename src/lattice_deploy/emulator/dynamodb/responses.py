"""DynamoDB wire format: moto's, counted and open to injected faults like the other services."""

from __future__ import annotations

from moto.dynamodb.responses import DynamoHandler

from ..instrumented import InstrumentedResponse


class EmulatedDynamoDBResponse(InstrumentedResponse, DynamoHandler):
    """Why: the deployment lock lives in DynamoDB, so a run that cannot take its turn (denied,
    throttled) must be reproducible, and its calls counted with the rest."""
