"""Lambda in the embedded AWS: moto's, with functions whose code runs in this process."""
