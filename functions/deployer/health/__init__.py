"""The health gate's reading: the target group's targets, ECS's own deployment followed, and
when the next poll can learn something."""
