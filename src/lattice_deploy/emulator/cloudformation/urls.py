"""CloudFormation routes: moto's, served by the response class that knows recorded stacks."""

from moto.cloudformation.urls import url_bases

from .responses import RecordedStackResponse

url_paths = {
    "{0}/$": RecordedStackResponse.dispatch,
    "{0}/cloudformation_(?P<region>[^/]+)/cfnresponse$": RecordedStackResponse.cfnresponse,
}

__all__ = ["url_bases", "url_paths"]
