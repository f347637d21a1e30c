"""Hostile and odd input from SIPp: direct-IP INVITEs, malformed and oversized messages, a plain UAS.

The engine must answer each with a clear result, stay up, and take the next call normally.
"""

from __future__ import annotations

import time

import pytest

from octasip.core import commands as cmd
from octasip.core.events import CallState, IncomingCall, IncomingCallRejected
from octasip.engine import EngineSettings
from tests.engine_harness import Harness, account, connected_call
from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio
from tests.servers.ports import free_ports
from tests.servers.sipp import SippUas, run_sipp_uac

pytestmark = pytest.mark.real

MALFORMED = ["malformed_big_header", "malformed_bad_sdp", "malformed_unicode_names",
             "malformed_no_content_length"]


@pytest.fixture
def harness():
    h = Harness(EngineSettings(bind_address="127.0.0.1")).start()
    yield h
    h.stop()


def next_call_works(h: Harness, kam: Kamailio, tmp_path) -> None:
    with Baresip(kam, tmp_path / "bob-after", user="bob") as _bob:
        cid = connected_call(h, kam, "bob")
        h.submit(cmd.Hangup(cid))
        assert h.ended(cid).answered


def test_direct_ip_invite_is_rejected_by_default(harness, kam, tmp_path):
    harness.register(account(kam, transport="udp"), "alice-secret")
    res = run_sipp_uac("uac_direct_invite", "127.0.0.1", harness.udp_port(), service="alice",
                       workdir=tmp_path / "sipp", timeout=15)
    assert res.final_status_code() == 403, res.describe()
    ev = harness.expect(lambda e: isinstance(e, IncomingCallRejected), what="rejection event")
    assert ev.code == 403
    assert not [e for e in harness.history if isinstance(e, IncomingCall)]  # it never rang


def test_direct_ip_invite_rings_when_allowed(harness, kam, tmp_path):
    harness.register(account(kam, transport="udp", srtp="optional", allow_direct_calls=True), "alice-secret")
    port = harness.udp_port()
    import threading

    result = {}
    t = threading.Thread(target=lambda: result.update(r=run_sipp_uac(
        "uac_direct_invite", "127.0.0.1", port, service="alice", workdir=tmp_path / "sipp", timeout=15)))
    t.start()
    inc = harness.incoming()
    harness.submit(cmd.Reject(inc.call_id, busy=True))
    t.join(20)
    assert result["r"].final_status_code() == 486, result["r"].describe()


@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_malformed_invites_leave_the_engine_running(harness, kam, tmp_path, transport):
    harness.register(account(kam, transport="udp", srtp="mandatory", allow_direct_calls=True), "alice-secret")
    listen = harness.expect(lambda e: type(e).__name__ == "EngineStarted", 1)
    port = int(listen.listen["udp" if transport == "u1" else "tcp"].rsplit(":", 1)[1])
    for scenario in MALFORMED:
        res = run_sipp_uac(scenario, "127.0.0.1", port, transport=transport, service="alice",
                           workdir=tmp_path / f"sipp-{scenario}", timeout=15)
        for ev in harness.drain(0.2):
            if isinstance(ev, IncomingCall):
                harness.submit(cmd.Reject(ev.call_id))
        code = res.final_status_code()
        assert code is None or code >= 400, f"{scenario}: {res.describe()}"
        assert harness.engine.running
    next_call_works(harness, kam, tmp_path)


@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_message_over_4000_bytes_does_no_harm_and_next_call_works(harness, kam, tmp_path, transport):
    """Over TCP/TLS the wheel drops messages over 4000 bytes (PJSIP_MAX_PKT_LEN); over UDP it takes them."""
    harness.register(account(kam, transport="udp", srtp="mandatory", allow_direct_calls=True), "alice-secret")
    listen = harness.expect(lambda e: type(e).__name__ == "EngineStarted", 1)
    port = int(listen.listen["udp" if transport == "u1" else "tcp"].rsplit(":", 1)[1])
    res = run_sipp_uac("malformed_oversized", "127.0.0.1", port, transport=transport, service="alice",
                       workdir=tmp_path / "sipp", timeout=15)
    rang = [e for e in harness.drain(0.5) + harness.history if isinstance(e, IncomingCall)]
    if transport == "t1":
        assert res.final_status_code() is None, res.describe()  # dropped, no answer
        assert not rang
    else:
        assert res.final_status_code() in (None, 487, 403, 486), res.describe()
    assert harness.engine.running
    next_call_works(harness, kam, tmp_path)


def test_srtp_mandatory_refuses_a_plain_answer_from_sipp(harness, pki, tmp_path):
    (uas_port,) = free_ports(1)
    with Kamailio(pki, tmp_path / "kam", static_routes={"sippuas": f"sip:127.0.0.1:{uas_port}"}) as k, \
            SippUas("uas_answer_plain", tmp_path / "uas", port=uas_port):
        harness.register(account(k), "alice-secret")  # TLS: SRTP mandatory by default
        cid = harness.call(1, "sip:sippuas@127.0.0.1")
        end = harness.ended(cid, timeout=15)
    assert end.media.srtp_suite is None
    assert "SRTP" in end.reason or "encrypt" in end.reason.lower(), end
    confirmed = [e for e in harness.history if getattr(e, "call_id", None) == cid
                 and getattr(e, "state", None) is CallState.CONFIRMED]
    assert not confirmed or end.duration < 1.0  # never a call with plain media
    time.sleep(0.1)
