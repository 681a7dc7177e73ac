"""VPC Lattice routes: moto's, plus the target, delete and update paths it lacks.

Routing to an operation is by the botocore model (method + requestUri); these patterns only have
to send every Lattice path to the one dispatcher.
"""

from .responses import EmulatedLatticeResponse

url_bases = [r"https?://vpc-lattice\.(.+)\.amazonaws\.com"]

_dispatch = EmulatedLatticeResponse.dispatch
_COLLECTIONS = (
    "accesslogsubscriptions",
    "services",
    "servicenetworks",
    "servicenetworkvpcassociations",
    "servicenetworkserviceassociations",
    "servicenetworkresourceassociations",
    "targetgroups",
    "tags",
    "authpolicy",
    "resourcepolicy",
)
url_paths = {
    **{f"{{0}}/{c}$": _dispatch for c in _COLLECTIONS},
    **{f"{{0}}/{c}/(?P<rest>.+)$": _dispatch for c in _COLLECTIONS},
}
