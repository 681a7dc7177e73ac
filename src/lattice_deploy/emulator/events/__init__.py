"""EventBridge in the embedded AWS: moto's, with rules that deliver to Lambda functions."""
