"""DynamoDB in the embedded AWS: moto's, with atomic conditional writes."""
