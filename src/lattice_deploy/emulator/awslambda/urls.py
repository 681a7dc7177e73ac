"""Lambda routes: moto's own (its responses find the backend through ``moto.awslambda``), and
the layer archives :mod:`.layers` serves."""

from moto.awslambda.urls import url_bases
from moto.awslambda.urls import url_paths as _moto_paths

from .layers import ARCHIVE_PATH, archive

url_paths = {**_moto_paths, "{0}" + ARCHIVE_PATH: archive}

__all__ = ["url_bases", "url_paths"]
