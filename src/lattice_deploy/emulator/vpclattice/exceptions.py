"""VPC Lattice errors with the fields the botocore model requires (status codes from the model)."""

from __future__ import annotations

import json

from moto.core.exceptions import JsonRESTError


class LatticeError(JsonRESTError):
    code = 400

    def __init__(self, error_type: str, message: str, **fields: str) -> None:
        super().__init__(error_type, message)
        self.description = json.dumps({"__type": error_type, "message": message, **fields})

    def get_headers(self, *args: object, **kwargs: object) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json"), ("x-amzn-ErrorType", self.error_type)]


class ResourceNotFoundException(LatticeError):
    code = 404

    def __init__(self, resource_type: str, resource_id: str) -> None:
        label = resource_type.replace("_", " ")
        super().__init__(
            "ResourceNotFoundException",
            f"The specified VPC Lattice {label} was not found: {resource_id}",
            resourceId=resource_id,
            resourceType=resource_type.upper(),
        )


class ConflictException(LatticeError):
    code = 409

    def __init__(self, resource_type: str, resource_id: str, message: str) -> None:
        super().__init__(
            "ConflictException",
            message,
            resourceId=resource_id,
            resourceType=resource_type.upper(),
        )


class ValidationException(LatticeError):
    code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        fields = {"reason": "fieldValidationFailed" if field else "other"}
        super().__init__("ValidationException", message, **fields)
        if field:
            body = json.loads(self.description)
            body["fieldList"] = [{"name": field, "message": message}]
            self.description = json.dumps(body)


class ServiceQuotaExceededException(LatticeError):
    code = 402

    def __init__(self, resource_type: str, quota_code: str, message: str) -> None:
        super().__init__(
            "ServiceQuotaExceededException",
            message,
            resourceType=resource_type.upper(),
            serviceCode="vpc-lattice",
            quotaCode=quota_code,
        )
