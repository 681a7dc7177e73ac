"""ECR in the embedded AWS: moto's, with the EventBridge event a push emits."""
