"""DynamoDB routes: moto's own (its responses find the backend through ``moto.dynamodb``)."""

from moto.dynamodb.urls import url_bases, url_paths

__all__ = ["url_bases", "url_paths"]
