"""Turn pjsua2 failures into short messages that are safe to show (no secrets, masked numbers)."""

from __future__ import annotations

import re

from octasip.core.models import mask_number

_STATUS_SUFFIX = re.compile(r"\s*\[status=\d+\]")


class EngineStartError(Exception):
    pass


def pj_error_text(exc: BaseException) -> str:
    """pjsua2.Error carries `info()`/`reason`; keep only the reason."""
    reason = getattr(exc, "reason", None)
    if reason:
        text = str(reason)
    else:
        text = str(exc)
    text = _STATUS_SUFFIX.sub("", text)
    return mask_number(text.strip()) or "unknown error"


_REG_HINTS = {
    401: "wrong user name or password",
    403: "wrong user name or password, or the account is not allowed",
    404: "unknown user at this registrar",
    407: "wrong user name or password",
    408: "the registrar did not answer",
    423: "registration interval too brief",
    480: "the registrar is unavailable",
    502: "could not reach the registrar",
    503: "could not reach the registrar",
}


def registration_message(code: int, reason: str) -> str:
    if reason.startswith("TLS:"):
        return reason  # already says what happened; a synthetic 503 code would only confuse
    hint = _REG_HINTS.get(code)
    text = f"{code} {reason}".strip()
    return f"{text} ({hint})" if hint and hint.lower() not in reason.lower() else text


def is_retriable_registration(code: int) -> bool:
    """Auth and addressing failures need the user; network and server failures are retried."""
    return code in (0, 408, 480, 500, 502, 503, 504) or code >= 600
