"""ECS in the embedded AWS (moto's, extended): models / rollout / responses / urls."""
