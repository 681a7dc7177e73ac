"""Functions another service invokes during a run (not states): ECS's lifecycle hook."""
