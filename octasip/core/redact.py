"""Redaction for anything that may reach a log: SIP messages, SDP, free text."""

from __future__ import annotations

import re

from octasip.core.models import mask_number

_AUTH = re.compile(r"(?im)^((?:Proxy-)?Authorization|(?:Proxy-|WWW-)?Authenticate)\s*:.*$")
_CRYPTO = re.compile(r"(?im)^(a=crypto:\S+\s+\S+\s+inline:)\S+")
_PASSWORD = re.compile(r"(?i)(password|passwd|secret)(\s*[=:]\s*)\S+")


def redact(text: str) -> str:
    """Remove auth headers, SRTP keys and password-looking values; mask long digit runs."""
    text = _AUTH.sub(lambda m: f"{m.group(1)}: [redacted]", text)
    text = _CRYPTO.sub(r"\1[redacted]", text)
    text = _PASSWORD.sub(r"\1\2[redacted]", text)
    return mask_number(text)
