"""VPC Lattice auth: PutAuthPolicy, GetAuthPolicy, DeleteAuthPolicy and UpdateServiceNetwork's
authType, as AWS documents them (moto's own keep a policy of a deleted resource, answer errors
without the fields the model requires, take the wall clock and accept any text).

- PutAuthPolicy: the resource must exist (ResourceNotFoundException, its error list); "The policy
  string in JSON must not contain newlines or blank lines" (ValidationException); a policy over
  "Auth policy size: 10 Kilobytes" (Quotas for Amazon VPC Lattice; the API reference once said
  "Maximum length of 10000", the smaller is taken) is refused; text that is not JSON too (AWS
  does not say how: ValidationException, chosen).
- GetAuthPolicy: "state": "The auth policy is only active when the auth type is set to AWS_IAM
  ... If the auth type is NONE, then any auth policy that you provide remains inactive" (API
  reference), read when asked, as the resource's authType is then; createdAt and lastUpdatedAt in
  virtual time. A resource without a policy: AWS does not say; ResourceNotFoundException, as moto
  answers (callers treat it as no policy).
- DeleteAuthPolicy: "The request fails if you remove an auth policy before changing the auth type
  of the service to NONE" (User Guide, auth policies); the model lists no ConflictException for
  it, so ValidationException.
- A deleted service or service network takes its policy with it (AWS keeps none for a resource
  that is gone).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.vpclattice.models import AuthPolicy

from ..clock import CLOCK
from .exceptions import ResourceNotFoundException, ValidationException

MAX_POLICY_BYTES = 10_000
_KINDS = {"sn": "service_network", "svc": "service"}


class AuthPolicies:
    """Mixed into the backend before moto's: needs ``find`` and ``auth_policies`` (moto's)."""

    auth_policies: dict[str, AuthPolicy]
    find: Callable[[str, str | None], Any]

    def _auth_resource(self, identifier: str) -> Any:
        rid = (identifier or "").rsplit("/", 1)[-1]
        kind = _KINDS.get(rid.split("-", 1)[0])
        if kind is None:
            raise ValidationException(
                f"Invalid resourceIdentifier {identifier!r}: give a service or service network "
                "id or ARN",
                "resourceIdentifier",
            )
        return self.find(kind, identifier)

    def put_auth_policy(self, resourceIdentifier: str, policy: str) -> AuthPolicy:
        resource = self._auth_resource(resourceIdentifier)
        text = policy or ""
        if "\n" in text or "\r" in text:
            raise ValidationException(
                "The policy string in JSON must not contain newlines or blank lines", "policy"
            )
        if len(text.encode()) > MAX_POLICY_BYTES:
            raise ValidationException(
                f"The auth policy is {len(text.encode())} bytes; the auth policy size quota is "
                "10 KB",
                "policy",
            )
        try:
            json.loads(text)
        except ValueError as exc:
            problem = f"The auth policy is not valid JSON: {exc}"
            raise ValidationException(problem, "policy") from exc
        now = CLOCK.datetime().isoformat()
        found = self.auth_policies.get(resource.id)
        if found is None:
            found = AuthPolicy(resource.id, text, now, now, "Inactive")
            self.auth_policies[resource.id] = found
        found.policy, found.last_updated_at = text, now
        found.state = _state(resource)
        return found

    def get_auth_policy(self, resourceIdentifier: str) -> AuthPolicy:
        resource = self._auth_resource(resourceIdentifier)
        found = self.auth_policies.get(resource.id)
        if found is None:
            raise ResourceNotFoundException("auth_policy", resourceIdentifier)
        found.state = _state(resource)
        return found

    def delete_auth_policy(self, resourceIdentifier: str) -> None:
        resource = self._auth_resource(resourceIdentifier)
        if resource.id not in self.auth_policies:
            raise ResourceNotFoundException("auth_policy", resourceIdentifier)
        if resource.auth_type == "AWS_IAM":
            raise ValidationException(
                f"The auth type of {resource.id} is AWS_IAM; change it to NONE before removing "
                "its auth policy",
                "resourceIdentifier",
            )
        del self.auth_policies[resource.id]

    def update_service_network(self, identifier: str, auth_type: str | None) -> Any:
        network = self.find("service_network", identifier)
        network.auth_type = auth_type or network.auth_type
        network.last_updated_at = CLOCK.datetime().isoformat()
        return network


def _state(resource: Any) -> str:
    return "Active" if resource.auth_type == "AWS_IAM" else "Inactive"
