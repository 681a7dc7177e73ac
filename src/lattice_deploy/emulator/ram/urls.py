"""AWS RAM routes: moto's, plus the invitee's operations, all served by :mod:`.responses`."""

from moto.ram.urls import url_bases
from moto.ram.urls import url_paths as _moto_paths

from .responses import EmulatedRamResponse

_ADDED = ("getresourceshareinvitations", "acceptresourceshareinvitation", "listresources")
url_paths = {
    **{path: EmulatedRamResponse.dispatch for path in _moto_paths},
    **{f"{{0}}/{name}$": EmulatedRamResponse.dispatch for name in _ADDED},
}

__all__ = ["url_bases", "url_paths"]
