"""Library facts for `octasip doctor` and `--version`, without starting the engine."""

from __future__ import annotations

import ctypes
import glob
from pathlib import Path

import pjsua2 as pj

from octasip.engine import tls


def pjsip_version() -> str:
    """PJSIP's version. Creates and destroys a bare Endpoint: call only while no Engine runs."""
    from octasip.engine.runtime import quiet_stdio

    ep = pj.Endpoint()
    with quiet_stdio():  # pjlib logs to stdout before any log config applies
        ep.libCreate()
        try:
            return str(ep.libVersion().full)
        finally:
            ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)


def openssl_version() -> str:
    """The OpenSSL inside the pjsua2 wheel (not Python's), read from the library itself."""
    libs = Path(pj.__file__).parent.parent / "pjsua2_python.libs"
    for lib in sorted(glob.glob(str(libs / "libcrypto*"))):
        try:
            crypto = ctypes.CDLL(lib)
        except OSError:
            continue
        for fn in ("OpenSSL_version", "SSLeay_version"):
            f = getattr(crypto, fn, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                f.argtypes = [ctypes.c_int]
                return f(0).decode(errors="replace")
    return "unknown (not found in the pjsua2 wheel)"


def ca_store() -> str:
    found = tls.system_ca_file()
    return str(found) if found else "none found (TLS accounts need --ca-file)"


def pjsua2_package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pjsua2-python")
    except PackageNotFoundError:
        return "unknown"
