"""Step Functions in the embedded AWS: moto's interpreter, with its Step Functions integration
fixed to speak boto3's casing."""
