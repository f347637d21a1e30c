"""The call history with real calls: the `octasip` CLI as a subprocess, Kamailio as registrar, baresip as
the peer, the real Secret Service. Covers kill -9 during a call, incognito, and a byte-by-byte scan
of the data directory after a session of calls."""

from __future__ import annotations

import base64
import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio
from tests.test_cli_real import add_account, octasip

pytestmark = pytest.mark.real

NUMBER = "4155550123"  # bob's user part: a phone number
NAME = "Zebulon Quixote"
PASSWORD = "Alice-Pw-7f3a9c"


def history(*args: str) -> list[dict]:
    res = octasip("history", "--json", *args)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.fixture
def kam_numbers(pki, tmp_path: Path):
    users = {"alice": PASSWORD, NUMBER: "bob-secret-pw"}
    with Kamailio(pki, tmp_path / "kam", users=users) as k:
        yield k


def _popen_octasip(*args: str) -> subprocess.Popen:
    import os

    env = dict(os.environ, OCTASIP_BIND="127.0.0.1", QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "octasip", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_kill_9_during_a_call_leaves_it_interrupted_and_earlier_history_intact(octasip_home, secret_service, kam,
                                                                                  tmp_path):
    add_account(kam, "alice-secret")
    with Baresip(kam, tmp_path / "bob", user="bob"):
        done = octasip("call", "bob", "--duration", "1")
        assert done.returncode == 0, done.stderr
        secret = octasip("call", "bob", "--duration", "1", "--incognito")
        assert secret.returncode == 0, secret.stderr
        first = history()
        assert len(first) == 1, "the incognito call must leave no entry"
        assert first[0]["status"] == "answered" and first[0]["srtp_suite"] and first[0]["transport"] == "tls"

        proc = _popen_octasip("call", "bob", "--duration", "60")
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                rows = history()
                if len(rows) == 2 and rows[0]["answered_at"] and rows[0]["status"] == "active":
                    break
                time.sleep(0.3)
            else:
                pytest.fail(f"the running call never appeared as active: {rows}")
            time.sleep(6.5)  # past the first heartbeat (every 5 s)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
    rows = history()
    assert [r["status"] for r in rows] == ["interrupted", "answered"]
    assert rows[1] == first[0], "history written before the crash is unchanged"
    interrupted = rows[0]
    assert interrupted["ended_at"] is not None and 4.0 <= interrupted["duration"] <= 10.0, interrupted
    assert history("--search", "bob")[0]["id"] == interrupted["id"]
    assert history("--missed") == []


def _inline_keys(text: str) -> set[str]:
    return set(re.findall(r"inline:([A-Za-z0-9+/=]{20,})", text))


def test_data_directory_holds_nothing_readable_after_a_session(octasip_home, secret_service, kam_numbers, tmp_path):
    """A session of calls both ways (SRTP over TLS), then every byte of the data directory is scanned."""
    kam = kam_numbers
    add_account(kam, PASSWORD)
    # Contacts (bob among them) and the redacted SIP log on: both must leave nothing readable either.
    card = tmp_path / "bob.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{NAME}\r\nTEL;TYPE=CELL:+1 {NUMBER}\r\n"
                    f"EMAIL:zq@example.org\r\nEND:VCARD\r\n", encoding="utf-8")
    assert octasip("contacts", "import", str(card)).returncode == 0
    assert octasip("privacy", "logs", "on").returncode == 0
    with Baresip(kam, tmp_path / "bob", user=NUMBER, password="bob-secret-pw", display_name=NAME,
                 auto_answer=True) as bob:
        out = octasip("call", NUMBER, "--duration", "2")
        assert out.returncode == 0, out.stderr
        result: dict = {}
        t = threading.Thread(target=lambda: result.update(r=octasip("answer", "--count", "1", "--duration", "2",
                                                                    "--wait", "30")))
        t.start()
        deadline = time.monotonic() + 15
        while not kam.registered_contacts("alice") and time.monotonic() < deadline:
            time.sleep(0.1)
        bob.dial(kam.aor("alice"))
        t.join(40)
        assert result["r"].returncode == 0, result["r"].stderr
        keys = _inline_keys(bob.log_text())
    rows = history()
    assert len(rows) == 2 and {r["direction"] for r in rows} == {"incoming", "outgoing"}
    assert any(r["remote_name"] == NAME for r in rows), rows
    assert all(r["srtp_suite"] for r in rows)
    assert keys, "baresip's SIP trace shows the SDES keys exchanged"

    needles: dict[str, bytes] = {
        "SQLite header": b"SQLite format 3\x00",
        "password": PASSWORD.encode(),
        "number": NUMBER.encode(),
        "number (UTF-16)": NUMBER.encode("utf-16-le"),
        "display name": NAME.encode(),
        "display name (folded)": NAME.lower().encode(),
        "remote URI": f"{NUMBER}@{kam.domain}".encode(),
        "registrar host in a URI": f"sip:{NUMBER}".encode(),
    }
    for i, key in enumerate(sorted(keys)):
        needles[f"SRTP key {i} (base64)"] = key.encode()
        needles[f"SRTP key {i} (raw)"] = base64.b64decode(key)[:16]
    needles["contact e-mail"] = b"zq@example.org"
    files = [p for p in octasip_home.rglob("*") if p.is_file()]
    assert any(p.name == "octasip.db" for p in files)
    assert any(p.name == "sip.log" for p in files), "the SIP log was on: it must be there, and redacted"
    for path in files:
        data = path.read_bytes()
        for label, needle in needles.items():
            assert needle not in data, f"{label} found in {path.relative_to(octasip_home)}"
