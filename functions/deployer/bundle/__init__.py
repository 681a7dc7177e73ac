"""An ecspresso bundle: read (YAML, JSON, Jsonnet), rendered (template functions, plugins, the
account values they read), checked (the ECS model, AWS's documented values, limits), normalized
into the plan every state reads (:mod:`.normalize`), and the dry run of it (:mod:`.plan`)."""
