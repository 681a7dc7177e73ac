"""CloudFormation in the embedded AWS: moto's, plus the stack the local runner deploys."""
