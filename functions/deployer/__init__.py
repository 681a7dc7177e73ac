"""lattice-deploy's Lambda functions: one module per state of ``statemachine/deploy.asl.json``,
named as the state is named, plus small shared helpers. Imports boto3 and Powertools only."""
