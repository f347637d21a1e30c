"""A throw-away test PKI made with the openssl CLI: a trusted CA, an untrusted CA and a server cert from each.

Everything is generated at test time into a temporary directory; nothing here is ever committed.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

DAYS = "2"
SERVER_SAN = "subjectAltName=DNS:localhost,IP:127.0.0.1"


@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a pytest test class

    ca_cert: Path
    server_cert: Path
    server_key: Path
    untrusted_ca_cert: Path
    untrusted_server_cert: Path
    untrusted_server_key: Path


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def _make_ca(directory: Path, name: str, common_name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", DAYS,
        "-subj", f"/O=OctaSIP tests/CN={common_name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", str(key), "-out", str(cert),
    )  # fmt: skip
    key.chmod(0o600)
    return cert, key


def _make_server(directory: Path, name: str, ca_cert: Path, ca_key: Path) -> tuple[Path, Path]:
    cert, key, csr = directory / f"{name}.crt", directory / f"{name}.key", directory / f"{name}.csr"
    _openssl(
        "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256",
        "-subj", "/O=OctaSIP tests/CN=localhost", "-keyout", str(key), "-out", str(csr),
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
        "-sha256", "-days", DAYS, "-out", str(cert),
        "-extfile", str(_extfile(directory)),
    )  # fmt: skip
    csr.unlink()
    key.chmod(0o600)
    return cert, key


def _extfile(directory: Path) -> Path:
    path = directory / "server_ext.cnf"
    if not path.exists():
        path.write_text(
            f"basicConstraints=critical,CA:FALSE\n"
            f"keyUsage=critical,digitalSignature,keyEncipherment\n"
            f"extendedKeyUsage=serverAuth,clientAuth\n"
            f"{SERVER_SAN}\n"
        )
    return path


def make_test_pki(directory: Path) -> TestPki:
    """Create both CAs and their server certificates in ``directory`` (RSA 2048, SHA-256, 2 days)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = _make_ca(directory, "ca", "OctaSIP Test CA")
    bad_ca_cert, bad_ca_key = _make_ca(directory, "untrusted-ca", "Untrusted Test CA")
    server_cert, server_key = _make_server(directory, "server", ca_cert, ca_key)
    bad_cert, bad_key = _make_server(directory, "untrusted-server", bad_ca_cert, bad_ca_key)
    return TestPki(
        ca_cert=ca_cert,
        server_cert=server_cert,
        server_key=server_key,
        untrusted_ca_cert=bad_ca_cert,
        untrusted_server_cert=bad_cert,
        untrusted_server_key=bad_key,
    )
