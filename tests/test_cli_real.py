"""The `octasip` command line, run as a user would: a subprocess with a real Secret Service,
Kamailio as registrar and baresip as the peer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from tests.engine_harness import BOB_TONE, OUR_TONE, contains_tone, write_tone
from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio

pytestmark = pytest.mark.real


def octasip(*args: str, stdin: str | None = None, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OCTASIP_BIND="127.0.0.1", QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "octasip", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=env)


def add_account(kam: Kamailio, password: str, transport: str = "tls", user: str = "alice", *extra: str) -> None:
    res = octasip("account", "add", "--uri", f"sip:{user}@{kam.domain}", "--registrar",
                  f"sip:{kam.host}:{kam.port(transport)}", "--transport", transport, "--ca-file", str(kam.pki.ca_cert),
                  "--password-stdin", *extra, stdin=password + "\n")
    assert res.returncode == 0, res.stderr


def assert_one_clean_line(stderr: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("octasip: ")


def test_account_password_lives_only_in_the_keyring(octasip_home, secret_service, kam):
    add_account(kam, "alice-secret")
    listed = octasip("account", "list", "--json")
    assert listed.returncode == 0
    accounts = json.loads(listed.stdout)
    assert accounts[0]["uri"] == "sip:alice@127.0.0.1" and accounts[0]["srtp"] == "mandatory"
    assert "alice-secret" not in listed.stdout
    items = secret_service.search("OctaSIP")
    assert any(i.get("attribute.username", "").startswith("sip-password:") for i in items), items
    for path in octasip_home.rglob("*"):
        if path.is_file():
            assert b"alice-secret" not in path.read_bytes(), path
    removed = octasip("account", "remove", str(accounts[0]["id"]))
    assert removed.returncode == 0, removed.stderr
    left = [i for i in secret_service.search("OctaSIP") if i.get("attribute.username", "").startswith("sip-password")]
    assert not left


def test_call_json_summary_with_tone_dtmf_and_srtp(octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    tone = write_tone(tmp_path / "tone.wav", OUR_TONE)
    heard = tmp_path / "heard.wav"
    for opt_in in (("privacy", "recording", "on", "--accept-consent-notice"), ("privacy", "permission", "storage",
                                                                                 "allow")):
        assert octasip(*opt_in).returncode == 0
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE) as bob:
        res = octasip("call", "bob", "--play", str(tone), "--record", "--duration", "3", "--dtmf", "42#", "--json")
        assert res.returncode == 0, res.stderr
        bob.wait_dtmf("42#", timeout=5)
    summary = json.loads(res.stdout)
    assert summary["answered"] and summary["code"] == 200
    assert "confirmed" in summary["states"] and summary["states"][-1] == "disconnected"
    assert summary["srtp"].startswith("AES") and summary["codec"]
    assert summary["transport"] == "tls"
    for key in ("rtt_ms", "jitter_ms", "loss_pct", "duration_s", "setup_ms", "quality"):
        assert key in summary
    exported = octasip("recordings", "export", summary["recording"]["id"], "--out", str(heard))
    assert exported.returncode == 0, exported.stderr
    assert contains_tone(heard, BOB_TONE)  # what we heard, from the (encrypted) recording of the call
    assert any(contains_tone(p, OUR_TONE) for p in bob.received_audio_wavs())


def test_wrong_password_exits_with_one_clear_line(octasip_home, secret_service, kam):
    add_account(kam, "definitely-wrong", "udp")
    res = octasip("call", "bob", "--duration", "1")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "registration failed: 403" in res.stderr
    assert "definitely-wrong" not in res.stderr + res.stdout


def test_untrusted_certificate_exits_with_one_clear_line(octasip_home, secret_service, pki, tmp_path):
    with Kamailio(pki, tmp_path / "untrusted", untrusted_cert=True) as bad:
        add_account(bad, "alice-secret")
        res = octasip("call", "bob", "--duration", "1")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "registration failed: TLS: server certificate not trusted" in res.stderr


def test_answer_mode_takes_a_call_from_baresip(octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    out: dict = {}
    t = threading.Thread(target=lambda: out.update(r=octasip("answer", "--count", "1", "--duration", "2", "--json",
                                                             "--wait", "30")))
    t.start()
    with Baresip(kam, tmp_path / "bob", user="bob", auto_answer=False) as bob:
        deadline = time.monotonic() + 15
        while not kam.registered_contacts("alice") and time.monotonic() < deadline:
            time.sleep(0.1)
        bob.dial(kam.aor("alice"))
        t.join(30)
    res = out["r"]
    assert res.returncode == 0, res.stderr
    calls = json.loads(res.stdout)
    assert len(calls) == 1 and calls[0]["answered"] and calls[0]["direction"] == "incoming"
    assert calls[0]["srtp"]


def test_doctor_reports_a_secure_keyring(octasip_home, secret_service):
    res = octasip("doctor", "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    rep = json.loads(res.stdout)
    assert rep["keyring secure"] == "yes"
    assert "SecretService" in rep["keyring backend"]
    assert rep["pjsip"].startswith("2.15")
    assert rep["openssl (SIP TLS)"].startswith("OpenSSL")
    assert rep["sqlcipher"].startswith("SQLCipher")


def test_insecure_keyring_is_refused(octasip_home, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    res = octasip("account", "add", "--uri", "sip:alice@example.com", "--password-stdin", stdin="pw\n")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert not list(octasip_home.glob("*.db"))


def test_version_and_no_display_message():
    res = octasip("--version")
    assert res.returncode == 0 and "pjsip 2.15" in res.stdout and "OpenSSL" in res.stdout
    res = octasip()
    assert res.returncode == 0 and "octasip call" in res.stdout and "display" in res.stdout
