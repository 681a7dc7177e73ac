"""S3 in the embedded AWS: moto's, with EventBridge events emitted as AWS emits them."""
