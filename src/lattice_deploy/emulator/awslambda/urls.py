"""Lambda routes: moto's own (its responses find the backend through ``moto.awslambda``)."""

from moto.awslambda.urls import url_bases, url_paths

__all__ = ["url_bases", "url_paths"]
