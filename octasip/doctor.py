"""`octasip doctor` and `octasip --version`: what is installed, and is it safe to use."""

from __future__ import annotations

import os
import platform
import sys

from octasip import __version__


def _sqlcipher_version() -> str:
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        try:
            row = conn.execute("PRAGMA cipher_version").fetchone()
            sqlite = conn.execute("select sqlite_version()").fetchone()[0]
        finally:
            conn.close()
        return f"SQLCipher {row[0]} (SQLite {sqlite})" if row else "MISSING: SQLite without SQLCipher"
    except Exception as e:  # report, don't crash: doctor exists for broken setups
        return f"unavailable ({type(e).__name__})"


def versions() -> dict[str, str]:
    from octasip.engine.info import openssl_version, pjsip_version, pjsua2_package_version

    out = {"octasip": __version__, "python": platform.python_version(),
           "pjsip": f"{pjsip_version()} (pjsua2-python {pjsua2_package_version()})",
           "openssl (SIP TLS)": openssl_version(), "sqlcipher": _sqlcipher_version()}
    try:
        from octasip.audio_qt import qt_version

        out["qt"] = qt_version()
    except Exception as e:
        out["qt"] = f"unavailable ({type(e).__name__})"
    return out


def _keyring() -> tuple[str, bool, str]:
    try:
        from octasip.secrets import SecretStore, SecretStoreError
    except ImportError as e:
        return "unavailable", False, str(e)
    try:
        store = SecretStore()
        name = store.backend_name
        secure = store.is_secure()
    except SecretStoreError as e:
        return "unavailable", False, str(e)
    return name, secure, "" if secure else "insecure backend: OctaSIP refuses to store passwords in it"


def report() -> dict[str, object]:
    from octasip.engine.info import ca_store

    rep: dict[str, object] = dict(versions())
    name, secure, note = _keyring()
    rep["keyring backend"] = name
    rep["keyring secure"] = "yes" if secure else f"NO ({note})"
    rep["CA store"] = ca_store()
    rep["data directory"] = os.environ.get("OCTASIP_HOME") or "(per-user data dir)"
    try:
        if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from octasip.audio_qt import list_devices

        devs = list_devices()
        for kind in ("inputs", "outputs"):
            names = [("* " if d["default"] else "") + str(d["description"]) for d in devs[kind]]
            rep[f"audio {kind}"] = names or ["none found"]
    except Exception as e:
        rep["audio"] = f"unavailable ({type(e).__name__}: {e})"
    rep["ok"] = secure and "MISSING" not in str(rep["sqlcipher"])
    return rep
