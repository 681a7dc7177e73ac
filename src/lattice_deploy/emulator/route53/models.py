"""Route 53 hosted zone ids of a length AWS's model allows.

moto makes 22-character ids, so ``HostedZone.Id`` (``/hostedzone/<id>``) has 34 characters, over
the 32 of botocore's ``ResourceId`` shape; the Route 53 API Reference's examples show 14
(``/hostedzone/Z1D633PJN98FT9``, CreateHostedZone). Ours are 14 too: a ``Z`` and 13 of moto's
characters. moto's own way to pin an id (a tag the test gives) still works.
"""

from __future__ import annotations

import random
from typing import Any

import moto.route53.models as moto_route53
from moto.utilities.id_generator import moto_id

ZONE_ID_LENGTH = 14


@moto_id
def _zone_id(resource_identifier: Any, existing_ids: Any = None, tags: Any = None) -> str:
    choice = moto_route53.ROUTE53_ID_CHOICE
    return "Z" + "".join(random.choice(choice) for _ in range(ZONE_ID_LENGTH - 1))  # nosec B311


def install() -> None:
    moto_route53.create_route53_zone_id = _zone_id
