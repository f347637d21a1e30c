"""Redaction for anything that may reach a log: SIP messages, SDP, free text.

It runs on every record the diagnostic log writes (octasip.diaglog) and on every PJSIP log entry at
its source (octasip.engine.runtime), so it must be idempotent and must not need a whole message:
header names are matched wherever they start a line or follow whitespace (PJSIP indents its call
dumps and puts "To:" mid-line), and SDP keys are matched wherever `inline:` appears.

- Authorization / Proxy-Authorization (any header ending in "Authorization", folded lines included):
  the whole value goes, username, nonce and digest response alike. A `response=` or `ha1=` value
  met anywhere else goes too.
- WWW-/Proxy-Authenticate challenges keep their scheme, realm, algorithm, qop and stale, which is
  what a failed registration needs to be diagnosed (wrong realm, unsupported algorithm); the nonce
  and opaque go. A nonce is not secret, but with a leaked digest response it is what an offline
  password guess needs, and it helps no diagnosis.
- SDES keys: every `inline:` key (several a=crypto lines, several keys per line) becomes
  "inline:[redacted]"; its lifetime and MKI ("|2^20|1:32") stay, they are not secret. a=key-mgmt
  and k= lines lose their value, and any key=/salt=/mki= value that looks like key material goes
  (PJSIP's SRTP transport logs "TX: AES_CM_128_HMAC_SHA1_80 key=<base64>" at level 5).
- password, passwd, passphrase, pwd, pass, secret and token values (any case, also as the end of a
  longer name such as sip_password or "client_secret": in JSON) are removed.
- Phone numbers keep their last 3 digits. A number is a run of 6 or more digits once separators are
  ignored: digit groups joined by single spaces or hyphens, with brackets and a leading "+"
  ("+1 (555) 123-4567", "555-123-4567", "tel:+1-555-123-4567"), 3-3-4 dotted groups
  ("555.123.4567"), and plain runs ("sip:+15551234567@host"). Six, because extensions and ports are
  shorter and every dialable number is longer. Not numbers, so left readable: IPv4 addresses (other
  dotted groups), versions, single-digit groups and SDP m= lines (payload lists "96 97 98 99 120"),
  times ("2026 10:31:48"), ISO dates, and digits inside an identifier (a run right after a letter or
  digit, as in a branch "z9hG4bK123456", a tag or a pointer "0x7f2c40112828"), so messages can still
  be followed by Call-ID, tag and branch. "%2B" before a run counts as a "+", not as a letter.
- Display names are replaced by "[name]": every quoted name before a <sip:/sips:/tel:> URI, and
  unquoted ones in From, To, Contact, P-Asserted-/P-Preferred-Identity, P-Called-Party-ID,
  Remote-Party-ID, Referred-By, Refer-To, Reply-To, Diversion and History-Info (also in comma lists).
  The issue only asks for numbers, but names are personal data too and never needed for a diagnosis.
"""

from __future__ import annotations

import re

# A header's value, with any folded continuation lines.
_VALUE = r"[^\r\n]*(?:\r?\n[ \t]+[^\r\n]*)*"
_AUTH = re.compile(rf"(?i)(?<![\w-])([\w-]*Authorization)[ \t]*:{_VALUE}")
_CHALLENGE = re.compile(rf"(?i)(?<![\w-])((?:Proxy|WWW)-Authenticate)[ \t]*:({_VALUE})")
_PARAM = re.compile(r'(?<![\w-])([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]+)')
_CHALLENGE_KEEP = {"realm", "algorithm", "qop", "stale"}
_DIGEST = re.compile(r'(?i)(?<![\w-])(response|ha1)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^\s,]+)')

_INLINE = re.compile(r"(?i)\binline:[^\s;|\"]+")
_KEY_MGMT = re.compile(r"(?im)(a=key-mgmt:|^[ \t]*k=)[^\r\n]*")
_KEY_VALUE = re.compile(r"(?i)(?<![\w-])([\w-]{0,40}?(?:key|mki|salt))(\s*[=:]\s*)[A-Za-z0-9+/=_-]{12,}")
_PASSWORD = re.compile(r"(?i)(?<![\w-])([\w-]{0,40}?(?:password|passwd|passphrase|pwd|pass|secret|token))"
                       r"([\"']?\s*[=:]\s*)(\[redacted\]|\"(?:[^\"\\]|\\.)*\"|'[^']*'|\S+)")

_NAME_HEADERS = (r"From|To|f|t|Contact|m|P-Asserted-Identity|P-Preferred-Identity|P-Called-Party-ID|"
                 r"Remote-Party-ID|Referred-By|b|Refer-To|r|Reply-To|Diversion|History-Info")
_URI_AHEAD = r"(?=\s*<(?:sips?|tel):)"
_QUOTED_NAME = re.compile(rf'"(?:[^"\\\r\n]|\\.)*"{_URI_AHEAD}')
_UNQUOTED_NAME = re.compile(rf"(?i)((?<![\w-])(?:{_NAME_HEADERS})[ \t]*:[ \t]*|,[ \t]*)"
                            rf"([^<>\r\n\",:;\s][^<>\r\n\",:;]*?){_URI_AHEAD}")

_PHONE = re.compile(r"(?<![\w.])\+?\(?\d+\)?(?:[ \-]\(?\d{2,}\)?)+(?![\w.]|:\d)"
                    r"|(?<![\w.])\d{3}\.\d{3}\.\d{4}(?![\w.])")
_DATE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
_DIGITS = re.compile(r"(?:(?<![A-Za-z0-9])|(?<=%2[Bb]))\d{6,}")


def _challenge(m: re.Match[str]) -> str:
    value = m.group(2).strip()
    scheme = value.split(None, 1)[0] if value else ""
    params = [f"{k}={v}" if k.lower() in _CHALLENGE_KEEP else f"{k}=[redacted]"
              for k, v in _PARAM.findall(value[len(scheme):])]
    return f"{m.group(1)}: {scheme} {', '.join(params)}".rstrip()


def _mask_digits(text: str) -> str:
    if sum(c.isdigit() for c in text) < 6:
        return text
    keep, out = 3, []
    for c in reversed(text):
        if c.isdigit():
            out.append(c if keep > 0 else "*")
            keep -= 1
        else:
            out.append(c)
    return "".join(reversed(out))


def _phone(m: re.Match[str]) -> str:
    text = m.group(0)
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    if m.string.startswith("m=", line_start) or _DATE.fullmatch(text):
        return text  # an SDP media line (port, payload types) or a date, never a number
    return _mask_digits(text)


def redact(text: str) -> str:
    """Remove auth values, keys, passwords and display names; mask phone numbers (last 3 digits kept)."""
    text = _AUTH.sub(lambda m: f"{m.group(1)}: [redacted]", text)
    text = _CHALLENGE.sub(_challenge, text)
    text = _DIGEST.sub(r"\1\2[redacted]", text)
    text = _INLINE.sub("inline:[redacted]", text)
    text = _KEY_MGMT.sub(r"\1[redacted]", text)
    text = _PASSWORD.sub(r"\1\2[redacted]", text)
    text = _KEY_VALUE.sub(r"\1\2[redacted]", text)
    text = _QUOTED_NAME.sub('"[name]"', text)
    text = _UNQUOTED_NAME.sub(lambda m: m.group(1) + '"[name]"', text)
    text = _PHONE.sub(_phone, text)
    return _DIGITS.sub(lambda m: "*" * (len(m.group()) - 3) + m.group()[-3:], text)
