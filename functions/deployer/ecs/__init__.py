"""Amazon ECS: the service helpers (:mod:`.api`), progressive strategies, Service Connect, the
failed-task limit, and the account checks before any change (capacity providers, passable roles)."""
