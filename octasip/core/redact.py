"""Redaction for anything that may reach a log: SIP messages, SDP, free text.

- Authorization / Proxy-Authorization values (the digest response) are removed; the challenge
  headers (WWW-/Proxy-Authenticate) are removed too: their nonces are not secret, but nothing in them
  helps a diagnosis either.
- SDES keys (every `a=crypto` line's `inline:` key, with its lifetime and MKI) are removed, and so is
  any `key=`/`salt=` value that looks like key material (PJSIP's SRTP transport logs its keys).
- password=, passwd=, secret= values are removed.
- Phone numbers are masked except their last 3 digits: a run of 6 or more digits, or digit groups
  joined by single spaces, hyphens or brackets ("+1 (555) 123-4567"), whose total is 6 digits or
  more. Dots do not join groups, so IP addresses stay readable; single-digit groups do not either,
  so SDP payload-type lists ("0 8 101") are left alone.
- Display names in From, To, Contact, P-Asserted-Identity, Remote-Party-ID and Referred-By are
  replaced by "[name]": they are personal data and never needed to diagnose a call.
"""

from __future__ import annotations

import re

from octasip.core.models import mask_number

_AUTH = re.compile(r"(?im)^((?:Proxy-)?Authorization|(?:Proxy-|WWW-)?Authenticate)\s*:.*$")
_CRYPTO = re.compile(r"(?im)^(a=crypto:\S+\s+\S+\s+inline:)[^\s;]+(?:;inline:[^\s;]+)*")
# PJSIP's SRTP transport prints its keys at log level 5: "TX: AES_CM_128_HMAC_SHA1_80 key=<base64>".
_KEY_VALUE = re.compile(r"(?i)\b(key|mki|salt)(\s*[=:]\s*)[A-Za-z0-9+/=_-]{12,}")
_PASSWORD = re.compile(r"(?i)(password|passwd|secret)(\s*[=:]\s*)(\"[^\"]*\"|\S+)")
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d+\)?(?:[ \-]\(?\d{2,}\)?)+(?![\w.])")
# Header names anywhere on a line: PJSIP's call dumps print "  [CONFIRMED] To: \"Name\" <sip:...>".
_NAMED = re.compile(r"(?i)(?<![\w-])((?:From|To|f|t|Contact|m|P-Asserted-Identity|Remote-Party-ID|Referred-By)"
                    r"\s*:\s*)(\"(?:[^\"\\]|\\.)*\"|[^<\r\n\":]*?)(\s*<)")


def _mask_digits(text: str) -> str:
    digits = sum(c.isdigit() for c in text)
    if digits < 6:
        return text
    keep = 3
    out = []
    for c in reversed(text):
        if c.isdigit():
            out.append(c if keep > 0 else "*")
            keep -= 1
        else:
            out.append(c)
    return "".join(reversed(out))


def redact(text: str) -> str:
    """Remove auth headers, SRTP keys, passwords and display names; mask phone numbers."""
    text = _AUTH.sub(lambda m: f"{m.group(1)}: [redacted]", text)
    text = _CRYPTO.sub(r"\1[redacted]", text)
    text = _PASSWORD.sub(r"\1\2[redacted]", text)
    text = _KEY_VALUE.sub(r"\1\2[redacted]", text)
    text = _NAMED.sub(lambda m: m.group(1) + ('"[name]"' if m.group(2).strip() else "") + m.group(3), text)
    text = _PHONE.sub(lambda m: _mask_digits(m.group(0)), text)
    return mask_number(text)
