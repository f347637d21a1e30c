"""Call recording from the command line, as a user would: a real Secret Service (the master key),
Kamailio, baresip, and `octasip` subprocesses, including one killed with SIGKILL mid-recording."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from octasip.engine.recording import TONE_HZ
from tests.engine_harness import BOB_TONE, OUR_TONE, contains_tone, write_tone
from tests.servers.baresip import Baresip
from tests.test_cli_real import add_account, assert_one_clean_line, octasip

pytestmark = pytest.mark.real


def _ok(*args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    res = octasip(*args, timeout=timeout)
    assert res.returncode == 0, res.stderr
    return res


def _json(*args: str):
    return json.loads(_ok(*args, "--json").stdout)


def _no_plaintext(home) -> None:
    for p in home.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert not (b"RIFF" in data and b"WAVE" in data), p


def test_record_only_after_opt_in_then_list_export_delete_with_access_log(octasip_home, secret_service, kam,
                                                                           tmp_path):
    add_account(kam, "alice-secret")
    tone = write_tone(tmp_path / "tone.wav", OUR_TONE)
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE):
        refused = octasip("call", "bob", "--record", "--duration", "1")
        assert refused.returncode == 1
        assert_one_clean_line(refused.stderr)
        assert "call recording is off" in refused.stderr
        assert not list(octasip_home.rglob("*.octarec"))
        notice = octasip("privacy", "recording", "on")  # the notice must be accepted explicitly
        assert notice.returncode == 1 and "consent" in notice.stdout.lower() + notice.stderr.lower()
        assert "two-party" in notice.stdout + notice.stderr
        _ok("privacy", "recording", "on", "--accept-consent-notice")
        summary = _json("call", "bob", "--play", str(tone), "--record", "--duration", "3")
    rec = summary["recording"]
    assert rec["error"] == "" and 2.0 <= rec["seconds"] <= 4.5
    ledger = _json("privacy", "consent")
    assert [e["granted"] for e in ledger if e["permission"] == "recording"] == [True]
    listed = _json("recordings", "list")
    assert [(r["id"], r["state"]) for r in listed] == [(rec["id"], "complete")]
    assert listed[0]["remote"]  # beside its call in the history
    out = tmp_path / "exported.wav"
    denied = octasip("recordings", "export", rec["id"][:8], "--out", str(out))
    assert denied.returncode == 1 and "storage" in denied.stderr and not out.exists()
    _ok("privacy", "permission", "storage", "allow")
    _ok("recordings", "export", rec["id"][:8], "--out", str(out))
    assert contains_tone(out, BOB_TONE) and contains_tone(out, OUR_TONE) and contains_tone(out, TONE_HZ, 0.0)
    again = octasip("recordings", "export", rec["id"][:8], "--out", str(out))  # never overwrites
    assert again.returncode == 1 and out.stat().st_size > 0
    _ok("recordings", "delete", rec["id"])
    assert _json("recordings", "list") == [] and not list(octasip_home.rglob("*.octarec"))
    log = _json("recordings", "access-log")
    assert [e["action"] for e in log if e["recording_id"] == rec["id"]][-2:] in (["export", "delete"],
                                                                                   ["delete", "export"])
    assert str(tmp_path) not in json.dumps(log)  # the log says what was done, never where to
    _no_plaintext(octasip_home)
    _ok("privacy", "recording", "off")
    assert [e["granted"] for e in _json("privacy", "consent") if e["permission"] == "recording"] == [True, False]


def test_kill_9_mid_recording_keeps_everything_up_to_the_last_chunk(octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    _ok("privacy", "recording", "on", "--accept-consent-notice")
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE):
        env_cmd = [sys.executable, "-m", "octasip", "call", "bob", "--record", "--duration", "30"]
        import os

        env = dict(os.environ, OCTASIP_BIND="127.0.0.1", QT_QPA_PLATFORM="offscreen")
        proc = subprocess.Popen(env_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                files = list(octasip_home.rglob("*.octarec"))
                if files and files[0].stat().st_size > 5 * 32_000:  # > 2.5 s of sealed stereo chunks
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the recording did not grow")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
    listed = _json("recordings", "list")  # the next start finds the dead recording and checks its file
    assert len(listed) == 1 and listed[0]["state"] == "truncated" and listed[0]["seconds"] >= 2.0
    verify = octasip("recordings", "verify", listed[0]["id"])
    assert verify.returncode == 1 and "cut short" in verify.stdout and "can be recovered" in verify.stdout
    _ok("privacy", "permission", "storage", "allow")
    out = tmp_path / "after-crash.wav"
    _ok("recordings", "export", listed[0]["id"], "--out", str(out))
    assert contains_tone(out, BOB_TONE)


def test_tampered_recording_is_reported_with_what_can_be_recovered(octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    _ok("privacy", "recording", "on", "--accept-consent-notice")
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE):
        rec = _json("call", "bob", "--record", "--duration", "3")["recording"]
    path = next(octasip_home.rglob(f"{rec['id']}*"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit in the middle of the file
    path.write_bytes(bytes(data))
    verify = octasip("recordings", "verify", rec["id"], "--json")
    report = json.loads(verify.stdout)
    assert verify.returncode == 1 and len(report["damaged"]) == 1 and not report["truncated"]
    assert report["seconds_recovered"] >= rec["seconds"] - 0.6
    assert path.exists()  # nothing is deleted because it is damaged
