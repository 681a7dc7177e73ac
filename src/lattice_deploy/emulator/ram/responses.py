"""AWS RAM wire format for the operations :mod:`.models` adds."""

from __future__ import annotations

import json

from moto.ram.responses import ResourceAccessManagerResponse

from .models import EmulatedRamBackend, ram_backends


class EmulatedRamResponse(ResourceAccessManagerResponse):
    @property
    def ram_backend(self) -> EmulatedRamBackend:
        return ram_backends[self.current_account][self.region]

    def get_resource_share_invitations(self) -> str:
        return json.dumps(
            self.ram_backend.get_resource_share_invitations(
                self._get_param("resourceShareInvitationArns"),
                self._get_param("resourceShareArns"),
            )
        )

    def accept_resource_share_invitation(self) -> str:
        return json.dumps(
            self.ram_backend.accept_resource_share_invitation(
                self._get_param("resourceShareInvitationArn"), self._get_param("clientToken")
            )
        )

    def list_resources(self) -> str:
        return json.dumps(
            self.ram_backend.list_resources(
                self._get_param("resourceOwner"),
                self._get_param("resourceArns"),
                self._get_param("resourceType"),
            )
        )
