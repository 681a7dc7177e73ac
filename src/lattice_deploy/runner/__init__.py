"""The local runner: ``template.yaml`` + ``statemachine/*.asl.json`` → the embedded AWS.

It reads the same wiring AWS gets (functions, their handlers and environment, the state machine
with its DefinitionSubstitutions), deploys it into an embedded account, and runs executions with
moto's Step Functions interpreter, each Lambda task calling the real handler in process.
"""
