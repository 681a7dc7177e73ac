"""DynamoDB routes: moto's, served by the instrumented response class."""

from moto.dynamodb.urls import url_bases

from .responses import EmulatedDynamoDBResponse

url_paths = {"{0}/": EmulatedDynamoDBResponse.dispatch}

__all__ = ["url_bases", "url_paths"]
