"""The engine against real servers and peers: Kamailio (registrar/proxy), baresip, SIPp.

Every server is started and stopped by fixtures; everything runs on 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from octasip.core import commands as cmd
from octasip.core.events import (
    CallChanged,
    CallState,
    NetworkChanged,
    RegState,
    TransferProgress,
)
from octasip.engine import EngineSettings
from tests.engine_harness import (
    BOB_TONE,
    OUR_TONE,
    Harness,
    account,
    connected_call,
    contains_tone,
    peer,
    wait_wav,
)
from tests.servers.audio import dominant_frequency
from tests.servers.kamailio import Kamailio

pytestmark = pytest.mark.real


# ------------------------------------------------------------------ registration
@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
def test_registers_on_each_transport(harness, kam, transport):
    ev = harness.register(account(kam, transport=transport), "alice-secret")
    assert ev.code == 200 and ev.expires > 0
    assert kam.wait_registered("alice")
    harness.submit(cmd.RemoveAccount(1))
    assert harness.reg(1, RegState.UNREGISTERED).code == 200
    kam.wait_unregistered("alice")


@pytest.mark.parametrize("transport", ["udp", "tls"])
def test_wrong_password_is_a_clear_failure_without_retry(harness, kam, transport):
    harness.add_account(account(kam, transport=transport), "not-the-password")
    ev = harness.reg(1, RegState.FAILED, RegState.RETRYING, RegState.REGISTERED)
    assert ev.state is RegState.FAILED
    assert ev.code in (401, 403)
    assert "password" in ev.reason
    assert "not-the-password" not in repr(harness.history)
    # Not retried: no second attempt hammers the provider.
    assert not [e for e in harness.drain(2.5) if getattr(e, "state", None) is RegState.REGISTERING]


def test_untrusted_certificate_is_refused_clearly(harness, pki, tmp_path):
    with Kamailio(pki, tmp_path / "untrusted", untrusted_cert=True) as bad:
        harness.add_account(account(bad), "alice-secret")
        ev = harness.reg(1, RegState.FAILED, RegState.RETRYING, RegState.REGISTERED)
        assert ev.state is not RegState.REGISTERED
        assert ev.reason.startswith("TLS: server certificate not trusted"), ev.reason
        harness.submit(cmd.RemoveAccount(1))


def test_system_ca_store_does_not_trust_the_test_ca(harness, kam):
    """Without the account's CA file, verification uses the system store and must fail: never skipped."""
    harness.add_account(account(kam).replace(ca_file=""), "alice-secret")
    ev = harness.reg(1, RegState.FAILED, RegState.RETRYING, RegState.REGISTERED)
    assert ev.state is not RegState.REGISTERED
    assert "TLS" in ev.reason


def test_reregisters_after_kamailio_restart(harness, pki, tmp_path):
    with Kamailio(pki, tmp_path / "restart") as k:
        harness.register(account(k), "alice-secret")
        k.restart()
        ev = harness.reg(1, RegState.RETRYING, RegState.REGISTERING, timeout=15)
        ev = harness.reg(1, RegState.REGISTERED, timeout=20)
        assert ev.code == 200
        k.wait_registered("alice")


def test_quit_unregisters_with_expires_zero(tone, tmp_path, kam):
    h = Harness(EngineSettings(bind_address="127.0.0.1")).start()
    h.register(account(kam, transport="udp"), "alice-secret")
    kam.wait_registered("alice")
    mark = kam.log_mark()
    t0 = time.perf_counter()
    h.stop()
    quit_ms = (time.perf_counter() - t0) * 1000
    kam.wait_for_log(r"REGISTER.*alice.*[Ee]xpires[=: ]+0", since=mark)
    assert quit_ms < 1000


# ------------------------------------------------------------------ calls with baresip
def test_tls_srtp_call_audio_both_ways(harness, kam, tmp_path):
    with peer(kam, tmp_path, tone_hz=BOB_TONE) as bob:
        harness.register(account(kam), "alice-secret")
        cid = connected_call(harness, kam)
        time.sleep(3.0)
        harness.submit(cmd.Hangup(cid))
        end = harness.ended(cid)
    assert end.answered and end.code == 200
    assert end.media.srtp_suite and end.media.srtp_suite.startswith("AES")
    assert end.media.codec
    assert end.quality.jitter_ms is not None and end.quality.loss_pct is not None
    heard = dominant_frequency(wait_wav(tmp_path / "rx.wav"))
    assert abs(heard - BOB_TONE) < 20, heard
    bob_heard = [dominant_frequency(p) for p in bob.received_audio_wavs()]
    assert any(abs(f - OUR_TONE) < 20 for f in bob_heard), bob_heard


def test_incoming_call_from_baresip_is_answered(harness, kam, tmp_path):
    harness.register(account(kam), "alice-secret")
    with peer(kam, tmp_path, auto_answer=False) as bob:
        bob.dial(kam.aor("alice"))
        inc = harness.incoming()
        assert inc.remote_uri.startswith("sip:bob@") and not inc.waiting
        harness.submit(cmd.Answer(inc.call_id))
        ev = harness.call_state(inc.call_id, CallState.CONFIRMED)
        assert ev.media.srtp_suite
        time.sleep(0.5)
        bob.hangup()
        end = harness.ended(inc.call_id)
    assert end.answered and end.direction.value == "incoming"


def test_incoming_call_can_be_rejected_busy(harness, kam, tmp_path):
    harness.register(account(kam), "alice-secret")
    with peer(kam, tmp_path, auto_answer=False) as bob:
        mark = kam.log_mark()
        bob.dial(kam.aor("alice"))
        inc = harness.incoming()
        harness.submit(cmd.Reject(inc.call_id, busy=True))
        end = harness.ended(inc.call_id)
        assert not end.answered and end.code == 486
        kam.wait_for_log(r"486", since=mark, timeout=5)


def test_hold_resume_sends_reinvites(harness, kam, tmp_path):
    with peer(kam, tmp_path):
        harness.register(account(kam), "alice-secret")
        cid = connected_call(harness, kam)
        mark = kam.log_mark()
        harness.submit(cmd.Hold(cid))
        harness.expect(lambda e: isinstance(e, CallChanged) and e.call_id == cid and e.media.local_hold,
                       what="local hold")
        kam.wait_for_log(r"INVITE", since=mark)
        mark = kam.log_mark()
        harness.submit(cmd.Resume(cid))
        harness.expect(lambda e: isinstance(e, CallChanged) and e.call_id == cid and e.media.active,
                       what="resumed")
        kam.wait_for_log(r"INVITE", since=mark)
        harness.submit(cmd.SetMute(cid, True))
        assert harness.expect(lambda e: isinstance(e, CallChanged) and e.muted, what="muted")
        harness.submit(cmd.Hangup(cid))
        assert harness.ended(cid).answered


@pytest.mark.parametrize("mode", ["rfc4733", "info"])
def test_dtmf_reaches_the_peer(harness, kam, tmp_path, mode):
    with peer(kam, tmp_path) as bob:
        harness.register(account(kam, dtmf_mode=mode), "alice-secret")
        cid = connected_call(harness, kam)
        time.sleep(0.5)
        harness.submit(cmd.SendDtmf(cid, "159#"))
        bob.wait_dtmf("159#", timeout=10)
        harness.submit(cmd.Hangup(cid))
        harness.ended(cid)


def test_blind_transfer(harness, kam, tmp_path):
    with peer(kam, tmp_path, user="bob") as bob, peer(kam, tmp_path, user="carol", tone_hz=2000) as carol:
        harness.register(account(kam), "alice-secret")
        cid = connected_call(harness, kam, "bob")
        harness.submit(cmd.BlindTransfer(cid, kam.aor("carol")))
        prog = harness.expect(lambda e: isinstance(e, TransferProgress) and e.final, timeout=15, what="transfer")
        assert 200 <= prog.code < 300, prog
        end = harness.ended(cid)
        assert end.answered
        carol.wait_for_log(r"(?i)call established|ESTABLISHED", timeout=10)
        del bob


def test_four_calls_and_a_three_way_conference(harness, kam, tmp_path):
    peers = [peer(kam, tmp_path, user=u, tone_hz=hz) for u, hz in
             (("bob", 1000), ("carol", 2000), ("dave", 3000))]
    for p in peers:
        p.start()
    try:
        harness.register(account(kam), "alice-secret")
        calls = [connected_call(harness, kam, u) for u in ("bob", "carol", "dave")]
        fourth = connected_call(harness, kam, "bob")  # baresip takes a second call too
        calls.append(fourth)
        assert len({c for c in calls}) == 4
        harness.submit(cmd.Hangup(fourth))
        harness.ended(fourth)
        harness.submit(cmd.Conference((calls[0], calls[1])))
        time.sleep(3.0)
        for c in calls[:3]:
            harness.submit(cmd.Hangup(c))
            harness.ended(c)
        for p in peers:
            p.stop()  # baresip completes its WAV dumps on exit
        # Through our local mix carol heard bob's 1000 Hz tone, and bob heard carol's 2000 Hz.
        assert any(contains_tone(p, 1000) for p in peers[1].received_audio_wavs())
        assert any(contains_tone(p, 2000) for p in peers[0].received_audio_wavs())
        assert not any(contains_tone(p, 3000) for p in peers[0].received_audio_wavs())  # dave was not mixed in
    finally:
        for p in peers:
            p.stop()


def test_call_waiting_second_incoming_call(harness, kam, tmp_path):
    with peer(kam, tmp_path, user="bob") as bob, peer(kam, tmp_path, user="carol", auto_answer=False) as carol:
        harness.register(account(kam), "alice-secret")
        first = connected_call(harness, kam, "bob")
        carol.dial(kam.aor("alice"))
        inc = harness.incoming()
        assert inc.waiting
        harness.submit(cmd.Hold(first))
        harness.submit(cmd.Answer(inc.call_id))
        harness.call_state(inc.call_id, CallState.CONFIRMED)
        harness.submit(cmd.Hangup(inc.call_id))
        harness.ended(inc.call_id)
        harness.submit(cmd.Resume(first))
        harness.submit(cmd.Hangup(first))
        assert harness.ended(first).answered
        del bob


def test_srtp_mandatory_against_plain_peer_fails_clearly(harness, kam, tmp_path):
    with peer(kam, tmp_path, mediaenc="none"):
        harness.register(account(kam, srtp="mandatory"), "alice-secret")
        cid = harness.call(1, kam.aor("bob"))
        end = harness.ended(cid, timeout=15)
    assert end.media.srtp_suite is None
    assert not end.answered or end.duration < 1.0
    assert "SRTP" in end.reason or "encrypt" in end.reason.lower() or end.code in (488, 406), end


def test_tls_connection_cut_reregisters(harness, kam, tmp_path):
    with peer(kam, tmp_path):
        harness.register(account(kam), "alice-secret")
        cid = connected_call(harness, kam)
        subprocess.run(["ss", "-K", "dst", "127.0.0.1", "dport", "=", f":{kam.tls_port}"],
                       check=True, capture_output=True)
        ev = harness.reg(1, RegState.REGISTERED, timeout=20)
        assert ev.code == 200
        # The call either survives (media keeps flowing over RTP) or ends with a reason.
        ended = [e for e in harness.history if getattr(e, "call_id", None) == cid
                 and type(e).__name__ == "CallEnded"]
        if ended:
            assert ended[0].reason
        else:
            harness.submit(cmd.Hangup(cid))
            harness.ended(cid)


def test_network_change_recovers_registration(harness, kam, tmp_path):
    with peer(kam, tmp_path):
        harness.register(account(kam, transport="tcp", srtp="mandatory"), "alice-secret")
        cid = connected_call(harness, kam)
        mark = kam.log_mark()
        harness.submit(cmd.NetworkChange())
        kam.wait_for_log(r"REGISTER", since=mark, timeout=10)
        harness.reg(1, RegState.REGISTERED, timeout=10)
        harness.submit(cmd.Hangup(cid))
        end = harness.ended(cid)
        assert end.answered
    assert not [e for e in harness.history if isinstance(e, NetworkChanged)]  # polling saw no change


def test_registrar_down_is_retried_with_growing_backoff(harness, pki, tmp_path):
    with Kamailio(pki, tmp_path / "down") as k:
        harness.register(account(k, transport="tcp"), "alice-secret")
        k.stop()
        harness.submit(cmd.Reregister(1))
        delays = [harness.reg(1, RegState.RETRYING, timeout=20).retry_in for _ in range(3)]
        assert all(d is not None for d in delays)
        assert delays[0] < delays[1] < delays[2], delays  # 1 s, 2 s, 4 s (+-20 %)
        k.start()
        assert harness.reg(1, RegState.REGISTERED, timeout=20).code == 200


def test_attended_transfer(harness, kam, tmp_path):
    with peer(kam, tmp_path, user="bob") as bob, peer(kam, tmp_path, user="carol", tone_hz=2000) as carol:
        harness.register(account(kam), "alice-secret")
        first = connected_call(harness, kam, "bob")
        harness.submit(cmd.Hold(first))
        harness.expect(lambda e: isinstance(e, CallChanged) and e.call_id == first and e.media.local_hold,
                       what="first call on hold")
        consult = connected_call(harness, kam, "carol")
        mark = carol.event_mark()
        harness.submit(cmd.AttendedTransfer(first, consult))
        prog = harness.expect(lambda e: isinstance(e, TransferProgress) and e.final, timeout=15, what="transfer")
        assert 200 <= prog.code < 300, prog
        assert harness.ended(first).answered
        assert harness.ended(consult, timeout=15).answered
        carol.wait_for_event("CALL_ESTABLISHED", since=mark, timeout=10)  # bob called carol as told
        del bob


def test_certificate_for_another_host_name_is_refused(harness, pki, tmp_path):
    """Trusted CA, wrong name: host-name verification must refuse it (not only the chain check)."""
    import dataclasses

    d = tmp_path / "wrong-name"
    d.mkdir()
    ext = d / "ext.cnf"
    ext.write_text("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
                   "subjectAltName=DNS:wrong.example\n")
    key, csr, cert = d / "s.key", d / "s.csr", d / "s.crt"
    subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=wrong.example",
                    "-keyout", key, "-out", csr], check=True, capture_output=True)
    ca_key = pki.ca_cert.with_suffix(".key")
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", pki.ca_cert, "-CAkey", ca_key,
                    "-CAcreateserial", "-days", "2", "-sha256", "-extfile", ext, "-out", cert],
                   check=True, capture_output=True)
    wrong = dataclasses.replace(pki, server_cert=cert, server_key=key)
    with Kamailio(wrong, d / "kam") as k:
        harness.add_account(account(k), "alice-secret")
        ev = harness.reg(1, RegState.FAILED, RegState.RETRYING, RegState.REGISTERED)
        assert ev.state is RegState.FAILED, ev
        assert ev.reason.startswith("TLS: server certificate not trusted"), ev.reason
