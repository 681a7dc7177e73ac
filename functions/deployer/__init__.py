"""lattice-deploy's Lambda functions, by role (``docs/architecture.md`` is the map).

``states/`` holds one module per Task state of ``statemachine/*.asl.json``, named as the state;
``triggers/`` the EventBridge-started functions; ``hooks/`` ECS's lifecycle hook. They call the
domain rooms (``bundle/``, ``health/``, ``rollback/``, ``lattice/``, ``ecs/``), which call
``core/``; never the other way. Imports boto3 and Powertools only."""
