"""A throwaway certificate authority for the local stack, made with PyCA `cryptography`.

Each start issues a fresh CA and one server certificate per server (Kafka, PostgreSQL) for
127.0.0.1/localhost, then forgets the CA's private key: nothing can mint another certificate
the clients would trust. Clients trust only `ca.pem`. EC P-256 keys: quick to make, and both
the JVM (Kafka's PEM keystore) and OpenSSL (PostgreSQL, Python) accept them.
"""

import datetime
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class ServerCert:
    cert_pem: bytes  # the server's certificate
    key_pem: bytes  # its unencrypted PKCS#8 private key (files holding it are mode 0600)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Care Benefit devstack"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _builder(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, days: int):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


def issue(servers: tuple[str, ...], days: int = 30) -> tuple[bytes, dict[str, ServerCert]]:
    """A new CA certificate (PEM) and a server certificate for each name in `servers`."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Care Benefit devstack CA")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    alt_names = x509.SubjectAlternativeName(
        [x509.IPAddress(ipaddress.ip_address(HOSTS[0])), x509.DNSName(HOSTS[1])]
    )
    issued = {}
    for server in servers:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            _builder(_name(server), ca_name, key, days)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(alt_names, critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        issued[server] = ServerCert(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key))
    return ca_cert.public_bytes(serialization.Encoding.PEM), issued


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a new file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
