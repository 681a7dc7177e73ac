"""ECR routes: moto's own (its responses find the backend through ``moto.ecr``)."""

from moto.ecr.urls import url_bases, url_paths

__all__ = ["url_bases", "url_paths"]
