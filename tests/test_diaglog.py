"""Diagnostic SIP logs: redaction of whole SIP messages, rotation with a size cap, file modes; off by
default; and a real TLS call through Kamailio to baresip with the log on (CLI, real Secret Service)."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

import pytest

from octasip import diaglog
from octasip.core.redact import redact
from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio
from tests.test_cli_real import add_account, octasip

REGISTER = (
    "REGISTER sip:127.0.0.1:5061 SIP/2.0\r\n"
    'From: "Alice Liddell" <sip:alice@127.0.0.1>;tag=abc\r\n'
    "To: Alice <sip:alice@127.0.0.1>\r\n"
    "CSeq: 2 REGISTER\r\n"
    'Authorization: Digest username="alice", realm="127.0.0.1", nonce="Zx9", uri="sip:127.0.0.1",'
    ' response="4f1e2d3c4b5a69788796a5b4c3d2e1f0", algorithm=MD5\r\n'
    "Content-Length:  0\r\n\r\n"
)
CHALLENGE = 'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm="127.0.0.1", nonce="Y2hhbGxlbmdl"\r\n\r\n'
INVITE = (
    "INVITE sip:+15551234567@example.com;user=phone SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKPj0a1b\r\n"
    "P-Asserted-Identity: \"Zebulon Quixote\" <tel:+1-415-555-0123>\r\n"
    "Proxy-Authorization: Digest username=\"alice\", response=\"0badc0ffee\"\r\n"
    "Content-Type: application/sdp\r\n\r\n"
    "v=0\r\no=- 3909472345 3909472346 IN IP4 127.0.0.1\r\nc=IN IP4 127.0.0.1\r\n"
    "m=audio 40000 RTP/SAVP 9 0 8 101\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32\r\n"
    "a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "srtp0x7f1f***146b0  ......TX: AES_CM_128_HMAC_SHA1_80 key=yTx630gvF5PP3nBT/klhCOE6x7ncyGSZIK1U/gsr\r\n"
)


def test_whole_sip_messages_are_redacted() -> None:
    out = redact(REGISTER + CHALLENGE + INVITE)
    for secret in ("yTx630gvF5PP3nBT", "4f1e2d3c4b5a", "0badc0ffee", "WVNfX19zZW1j", "QUJDREVGR0hJ", "Y2hhbGxlbmdl",
                   "5551234567", "415-555-0123", "Alice Liddell", "Zebulon", '"Alice"'):
        assert secret not in out, secret
    assert "sip:+********567@example.com" in out and "tel:+*-***-***-*123" in out
    for kept in ("127.0.0.1:5061", "CSeq: 2 REGISTER", "m=audio 40000 RTP/SAVP 9 0 8 101", "Content-Length:  0",
                 "a=rtpmap:101 telephone-event/8000", "branch=z9hG4bKPj0a1b", "SIP/2.0 401 Unauthorized"):
        assert kept in out, kept


CALL_DUMP = (
    "SIP/2.0 407 Proxy Authentication Required\r\n"
    "To: <sip:4155550123@127.0.0.1>;tag=02016bc6b34c834e9835d81f63194612.6bd9e601\r\n"
    'Proxy-Authenticate: Digest realm="127.0.0.1", nonce="Zx9nOnCe", qop="auth",\r\n opaque="0paque", algorithm=MD5\r\n'
    'Contact: "Carol Danvers" <sip:carol@127.0.0.1>, Dana Scully <sip:dana@127.0.0.1>\r\n'
    'Diversion: "Front Desk" <sip:+442079460958@127.0.0.1>;reason=unconditional\r\n'
    "Date: Sun, 22 Nov 2026 10:31:48 GMT\r\n\r\n"
    "m=audio 60848 RTP/SAVP 96 97 98 99 3 0 8 9 120 121 122\r\n"
    "  [CONFIRMED] To: Bob Builder <sip:bob@127.0.0.1>;tag=x\r\n"
    "    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:SW5kZW50ZWRLZXlNYXRlcmlhbDEyMzQ1Njc4OTA=|2^20|1:4;"
    "inline:U2Vjb25kS2V5SW5UaGVTYW1lTGluZTEyMzQ1Njc4OTA=|2^20|2:4\r\n"
    "tsx0x7f2c40112828  .Sending Request msg INVITE/cseq=3646 (tdta0x7f2c4011c4b8) to 192.168.100.200:5061\r\n"
    'settings: {"sip_password": "hunter 2", "client_secret": \'s3cr3t\'} pwd=p4ss Passwd: x9 TOKEN=t0k\r\n'
    "callers: 555-123-4567, (555) 123 4567, 555.123.4567, +44 20 7946 0958, %2B15551234567\r\n"
)


def test_call_dumps_challenges_lists_and_free_text_are_redacted_but_stay_readable() -> None:
    out = redact(CALL_DUMP)
    for secret in ("Zx9nOnCe", "0paque", "SW5kZW50", "U2Vjb25k", "Carol", "Dana", "Front Desk", "Bob Builder",
                   "hunter", "s3cr3t", "p4ss", "x9", "t0k", "4155550", "7946", "555-123", "555) 123", "555.123",
                   "1555123"):
        assert secret not in out, secret
    for kept in ('Proxy-Authenticate: Digest realm="127.0.0.1", nonce=[redacted], qop="auth", opaque=[redacted], '
                 "algorithm=MD5",  # what a failed registration needs to be diagnosed
                 "inline:[redacted]|2^20|1:4;inline:[redacted]|2^20|2:4",  # lifetime and MKI are not secret
                 "m=audio 60848 RTP/SAVP 96 97 98 99 3 0 8 9 120 121 122", "Date: Sun, 22 Nov 2026 10:31:48 GMT",
                 "tag=02016bc6b34c834e9835d81f63194612.6bd9e601", "tsx0x7f2c40112828", "192.168.100.200:5061",
                 'Contact: "[name]" <sip:carol@127.0.0.1>, "[name]" <sip:dana@127.0.0.1>',
                 'Diversion: "[name]" <sip:+*********958@', '[CONFIRMED] To: "[name]" <sip:bob@',
                 "sip:*******123@", "***-***-*567, (***) *** *567, ***.***.*567, +** ** **** *958, %2B********567",
                 "cseq=3646"):
        assert kept in out, kept
    assert redact(out) == out, "redacting twice changes nothing (the producer and the log handler both redact)"


@pytest.mark.parametrize("text", ["1-" * 5000, "a_" * 5000, "x" * 10000 + "=",
                                  "WWW-Authenticate: Digest " + "a" * 9000])
def test_redaction_stays_linear_on_hostile_input(text: str) -> None:
    import time

    start = time.perf_counter()
    redact(text)
    assert time.perf_counter() - start < 0.5


def test_the_file_filter_redacts_arguments_tracebacks_and_bad_formats(tmp_path: Path) -> None:
    handler = diaglog.enable(tmp_path)
    try:
        log = logging.getLogger("octasip.test")
        try:
            raise ValueError("password=hunter2 for sip:+15551234567@x")
        except ValueError:
            log.exception("failed for %s", "tel:+1-555-123-4567")
        log.debug("bad format %s %s", "secret=zzz")
    finally:
        diaglog.disable(handler)
    text = (tmp_path / "logs" / "sip.log").read_text()
    assert "ValueError: password=[redacted]" in text and "tel:+*-***-***-*567" in text
    assert "hunter2" not in text and "5551234567" not in text and "zzz" not in text


def test_existing_loose_modes_are_tightened(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir(mode=0o755)
    (tmp_path / "logs" / "sip.log").write_text("old\n")
    os.chmod(tmp_path / "logs", 0o755)
    os.chmod(tmp_path / "logs" / "sip.log", 0o644)
    handler = diaglog.enable(tmp_path)
    try:
        logging.getLogger("octasip.engine").debug("hello")
    finally:
        diaglog.disable(handler)
    assert stat.S_IMODE(os.stat(tmp_path / "logs").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "logs" / "sip.log").st_mode) == 0o600


def test_file_log_rotates_under_its_cap_and_is_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(diaglog, "MAX_BYTES", 20_000)
    handler = diaglog.enable(tmp_path)
    try:
        log = logging.getLogger("octasip.engine")
        for i in range(2000):
            log.debug("pjsip: %s", f"call {i} to +44 20 7946 {i:04d} password=hunter2")
        log.warning("with args %s", "sip:+15551234567@x")
    finally:
        diaglog.disable(handler)
    files = diaglog.files(tmp_path)
    assert [p.name for p in files] == ["sip.log", "sip.log.1", "sip.log.2", "sip.log.3"]
    assert all(p.stat().st_size <= 20_000 + 200 for p in files)
    assert stat.S_IMODE(os.stat(tmp_path / "logs").st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in files)
    text = "".join(p.read_text() for p in files)
    assert "hunter2" not in text and "7946" not in text and "5551234567" not in text
    assert re.search(r"\+\*\* \*\* \*\*\*\* \*\d{3}", text)
    assert logging.getLogger("octasip").level == logging.NOTSET
    assert diaglog.delete_all(tmp_path) == 4 and diaglog.files(tmp_path) == []


@pytest.fixture
def kam_number(pki, tmp_path: Path):
    with Kamailio(pki, tmp_path / "kam", users={"alice": "Alice-Pw-1", "4155550123": "bob-pw-1"}) as k:
        yield k


@pytest.mark.real
def test_a_real_call_with_the_sip_log_on_leaves_no_secret_in_it(octasip_home, secret_service, kam_number,
                                                                tmp_path: Path) -> None:
    kam = kam_number
    add_account(kam, "Alice-Pw-1")
    with Baresip(kam, tmp_path / "bob", user="4155550123", password="bob-pw-1", display_name="Zebulon Quixote"):
        res = octasip("call", "4155550123", "--duration", "1")
        assert res.returncode == 0, res.stderr
        assert not (octasip_home / "logs").exists(), "logs are off by default"
        on = octasip("privacy", "logs", "on")
        assert on.returncode == 0 and "SIP logs are on" in on.stdout
        res = octasip("call", "4155550123", "--duration", "1")
        assert res.returncode == 0, res.stderr
    text = "".join(p.read_text() for p in diaglog.files(octasip_home))
    assert "INVITE sip:" in text and "REGISTER sip:" in text and "a=crypto" in text
    assert "Authorization: [redacted]" in text
    for secret in ("Alice-Pw-1", "4155550123", "inline:" + "A", "response="):
        assert secret not in text, secret
    assert not re.search(r"inline:(?!\[redacted\])", text)
    assert "*******123" in text
    # Still readable: the challenge's realm, the SDP payload list, IP addresses and ports.
    assert re.search(r'(WWW|Proxy)-Authenticate: Digest realm="127\.0\.0\.1"', text)
    media = re.findall(r"^m=audio \d+ RTP/SAVP [\d ]+$", text, re.M)
    assert media and "*" not in "".join(media)
    assert "127.0.0.1:" in text and "nonce=[redacted]" in text
    status = octasip("privacy", "logs", "off", "--delete", "--json")
    assert status.returncode == 0 and '"deleted": ' in status.stdout and diaglog.files(octasip_home) == []


@pytest.mark.real
def test_privacy_cli_retention_permissions_and_ledger(octasip_home, secret_service) -> None:
    assert "Forever" in octasip("privacy", "retention").stdout
    res = octasip("privacy", "retention", "30d")
    assert res.returncode == 0 and "30 days" in res.stdout
    assert octasip("privacy", "permission", "microphone", "deny").returncode == 0
    assert octasip("privacy", "permission", "contacts", "allow").returncode == 0
    ledger = octasip("privacy", "consent").stdout
    assert "microphone: refused via cli" in ledger and "contacts: granted via cli" in ledger
