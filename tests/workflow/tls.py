"""An ACM certificate the embedded account holds as ISSUED (moto: an imported one is; a requested
one waits in PENDING_VALIDATION), and a hosted zone: what a custom domain's tests set up."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def issued_certificate(aws: Any, *names: str) -> str:
    """Import a self-signed RSA 2048 certificate for ``names`` (CN the first, SANs all)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .sign(key, hashes.SHA256())
    )
    return str(
        aws.client("acm").import_certificate(
            Certificate=cert.public_bytes(serialization.Encoding.PEM),
            PrivateKey=key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            ),
        )["CertificateArn"]
    )


def hosted_zone(aws: Any, name: str = "example.com") -> str:
    made = aws.client("route53").create_hosted_zone(Name=name, CallerReference=str(uuid.uuid4()))
    return str(made["HostedZone"]["Id"]).rsplit("/", 1)[-1]


def record(aws: Any, zone: str, name: str) -> dict[str, Any] | None:
    found = aws.client("route53").list_resource_record_sets(HostedZoneId=zone)
    return next((r for r in found["ResourceRecordSets"] if r["Name"].rstrip(".") == name), None)
