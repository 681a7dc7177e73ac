"""ECS routes: one JSON endpoint, every operation named by the X-Amz-Target header."""

from .responses import EmulatedEcsResponse

url_bases = [r"https?://ecs\.(.+)\.amazonaws\.com"]
url_paths = {"{0}/$": EmulatedEcsResponse.dispatch}
