"""TLS settings and CA store discovery. No pjsua2 objects are created here."""

from __future__ import annotations

import os
import ssl
import sys
from pathlib import Path

# IANA cipher-suite ids (pjsip's pj_ssl_cipher uses the same values). Forward secrecy and AEAD only:
# this is what OpenSSL 1.0.2 offers among "strong" TLS 1.2 suites.
STRONG_CIPHERS = {
    0xC02B: "ECDHE-ECDSA-AES128-GCM-SHA256",
    0xC02C: "ECDHE-ECDSA-AES256-GCM-SHA384",
    0xC02F: "ECDHE-RSA-AES128-GCM-SHA256",
    0xC030: "ECDHE-RSA-AES256-GCM-SHA384",
    0xCCA8: "ECDHE-RSA-CHACHA20-POLY1305",
    0xCCA9: "ECDHE-ECDSA-CHACHA20-POLY1305",
    0x009E: "DHE-RSA-AES128-GCM-SHA256",
    0x009F: "DHE-RSA-AES256-GCM-SHA384",
}

_CA_CANDIDATES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/ssl/cert.pem",  # macOS, Alpine
)


class CaStoreError(Exception):
    pass


def system_ca_file() -> Path | None:
    """The system CA bundle as a file OpenSSL can load, or None."""
    env = os.environ.get("SSL_CERT_FILE")
    paths = [env] if env else []
    vp = ssl.get_default_verify_paths()
    paths += [vp.cafile, vp.openssl_cafile, *_CA_CANDIDATES]
    for p in paths:
        if p and Path(p).is_file() and Path(p).stat().st_size > 0:
            return Path(p)
    return None


def windows_ca_bundle(dest: Path) -> Path | None:
    """On Windows, export the ROOT store to a PEM file (the wheel's OpenSSL cannot read the store)."""
    if sys.platform != "win32":
        return None
    pems = []
    for store in ("ROOT", "CA"):
        for cert, enc, _trust in ssl.enum_certificates(store):  # type: ignore[attr-defined]
            if enc == "x509_asn":
                pems.append(ssl.DER_cert_to_PEM_cert(cert))
    if not pems:
        return None
    dest.write_text("".join(pems))
    return dest


def ca_file_for(account_ca_file: str, data_dir: Path | None = None) -> Path:
    """The CA file to verify an account's server against. Raises CaStoreError (never skips)."""
    if account_ca_file:
        p = Path(account_ca_file).expanduser()
        if not p.is_file():
            raise CaStoreError(f"TLS: CA file not found: {p}")
        return p
    found = system_ca_file()
    if found is None and data_dir is not None:
        found = windows_ca_bundle(data_dir / "system-ca.pem")
    if found is None:
        raise CaStoreError("TLS: no system CA store found; give the account a CA file (--ca-file)")
    return found


# pj_ssl_cert_verify_flag_t bits (pj/ssl_sock.h), for clear messages.
_VERIFY_FLAGS = [
    (1 << 0, "issuer certificate not found"),
    (1 << 1, "certificate not trusted (untrusted issuer)"),
    (1 << 2, "certificate not yet valid"),
    (1 << 3, "certificate expired"),
    (1 << 4, "certificate signature invalid"),
    (1 << 5, "certificate chain too long"),
    (1 << 6, "certificate revoked"),
    (1 << 7, "certificate not allowed for this purpose"),
    (1 << 8, "certificate is not a CA but issued others"),
    (1 << 9, "host name does not match the certificate"),
    (1 << 10, "certificate chain invalid"),
    (1 << 30, "unknown verification error"),
]


def describe_verify_status(status: int) -> str:
    reasons = [text for bit, text in _VERIFY_FLAGS if status & bit]
    return "; ".join(reasons) if reasons else f"verification status {status:#x}"
