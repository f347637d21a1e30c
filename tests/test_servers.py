"""Self-tests of the real-server fixtures (Kamailio, baresip, SIPp), using only baresip and SIPp as clients."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import time

import psutil
import pytest

from tests.servers.audio import dominant_frequency, has_tone
from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio, wait_port_closed
from tests.servers.pki import TestPki
from tests.servers.process import ServerError

ALICE_TONE = 600
BOB_TONE = 1000


def _group_processes(pid: int) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.pid == pid or os.getpgid(proc.pid) == pid:
                found.append(proc)
        except (ProcessLookupError, psutil.Error):
            continue
    return found


def test_pki_chains(pki: TestPki) -> None:
    def verify(ca, cert) -> int:
        return subprocess.run(["openssl", "verify", "-CAfile", str(ca), str(cert)], capture_output=True).returncode

    assert verify(pki.ca_cert, pki.server_cert) == 0
    assert verify(pki.untrusted_ca_cert, pki.untrusted_server_cert) == 0
    assert verify(pki.ca_cert, pki.untrusted_server_cert) != 0
    text = subprocess.run(
        ["openssl", "x509", "-noout", "-text", "-in", str(pki.server_cert)], capture_output=True, text=True, check=True
    ).stdout
    assert "DNS:localhost" in text and "IP Address:127.0.0.1" in text


@pytest.mark.real
def test_kamailio_start_restart_stop_leaves_nothing(kamailio_factory) -> None:
    kam: Kamailio = kamailio_factory()
    ports = (kam.udp_port, kam.tcp_port, kam.tls_port)
    first_pid = kam.pid
    assert first_pid is not None and len(_group_processes(first_pid)) >= 5  # main + udp/tcp/timer children
    assert kam.options_ping()

    kam.restart()
    assert (kam.udp_port, kam.tcp_port, kam.tls_port) == ports
    assert kam.options_ping() and kam.pid != first_pid
    assert not _group_processes(first_pid)

    second_pid = kam.pid
    kam.stop()
    assert second_pid is not None and not _group_processes(second_pid)
    wait_port_closed(kam.tcp_port)
    assert not kam.options_ping(timeout=0.3)


@pytest.mark.real
@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
def test_baresip_registers_and_unregisters(kamailio: Kamailio, baresip_factory, transport: str) -> None:
    mark = kamailio.log_mark()
    peer: Baresip = baresip_factory("dave", transport=transport)
    contacts = kamailio.wait_registered("dave")
    assert any(c == peer.contact_uri() for c in contacts)
    kamailio.wait_for_log(rf"OCTA-REQ REGISTER \S+ .*proto={transport} ", since=mark)
    kamailio.wait_for_log(r"OCTA-REGISTERED user=dave", since=mark)
    peer.stop()
    kamailio.wait_for_log(r"OCTA-REGISTER user=dave .*expires=0", since=mark)
    kamailio.wait_unregistered("dave")


@pytest.mark.real
def test_wrong_password_is_refused(kamailio: Kamailio, baresip_factory) -> None:
    mark = kamailio.log_mark()
    peer: Baresip = baresip_factory("carol", password="not-the-password", transport="tcp", start=False)
    peer.start(wait_registered=False)
    peer.wait_for_log(r"reg: sip:carol@\S+: 403 Wrong password")
    kamailio.wait_for_log(r"OCTA-AUTH-FAILED user=carol method=REGISTER", since=mark)
    assert kamailio.registered_contacts("carol") == []


@pytest.mark.real
def test_tls_srtp_call_audio_dtmf_hold_hangup(kamailio: Kamailio, baresip_factory) -> None:
    bob: Baresip = baresip_factory("bob", transport="tls", tone_hz=BOB_TONE, auto_answer=True)
    alice: Baresip = baresip_factory("alice", transport="tls", tone_hz=ALICE_TONE, auto_answer=False)
    mark = kamailio.log_mark()

    alice.dial(kamailio.aor("bob"))
    alice.wait_for_event("CALL_ESTABLISHED")
    bob.wait_for_event("CALL_ESTABLISHED")
    assert "AES_CM_128_HMAC_SHA1" in str(alice.wait_for_event("CALL_MENC").get("param"))
    kamailio.wait_for_log(r"OCTA-REQ INVITE sip:bob@127\.0\.0\.1\S* .*proto=tls", since=mark)
    kamailio.wait_for_log(r"OCTA-LOOKUP bob -> .* du=sip:127\.0\.0\.1:\d+;transport=tls", since=mark)
    time.sleep(1.5)  # audio both ways
    assert has_tone(bob.received_audio_wavs()[-1], ALICE_TONE, skip_seconds=0.3)  # readable mid-call

    alice.send_dtmf("159#")
    bob.send_dtmf("*0")
    bob.wait_dtmf("159#")
    alice.wait_dtmf("*0")

    hold_mark = kamailio.log_mark()
    alice.hold()
    kamailio.wait_for_log(r"OCTA-REINVITE", since=hold_mark)
    alice.resume()
    time.sleep(0.3)

    bob.hangup()
    alice.wait_for_event("CALL_CLOSED")
    kamailio.wait_for_log(r"OCTA-REQ BYE sip:alice-", since=mark)

    bob_rx, alice_rx = bob.received_audio_wavs(), alice.received_audio_wavs()
    assert bob_rx and alice_rx
    assert has_tone(bob_rx[-1], ALICE_TONE), dominant_frequency(bob_rx[-1])
    assert has_tone(alice_rx[-1], BOB_TONE), dominant_frequency(alice_rx[-1])


@pytest.mark.real
@pytest.mark.parametrize("callee_transport", ["udp", "tcp"])
def test_cross_transport_call(kamailio: Kamailio, baresip_factory, callee_transport: str) -> None:
    bob: Baresip = baresip_factory("bob", transport=callee_transport, mediaenc="srtp")
    alice: Baresip = baresip_factory("alice", transport="tls", mediaenc="srtp", auto_answer=False)
    alice.dial(kamailio.aor("bob"))
    alice.wait_for_event("CALL_ESTABLISHED")
    bob.wait_for_event("CALL_ESTABLISHED")
    alice.hangup()
    bob.wait_for_event("CALL_CLOSED")


@pytest.mark.real
def test_manual_answer_and_blind_transfer(kamailio: Kamailio, baresip_factory) -> None:
    alice: Baresip = baresip_factory("alice", transport="tls")
    bob: Baresip = baresip_factory("bob", transport="tcp", auto_answer=False)
    carol: Baresip = baresip_factory("carol", transport="udp", auto_answer=True)
    mark = kamailio.log_mark()
    alice.dial(kamailio.aor("bob"))
    bob.wait_for_event("CALL_INCOMING")
    bob.answer()
    alice.wait_for_event("CALL_ESTABLISHED")

    transfer_mark = alice.event_mark()
    bob.transfer(kamailio.aor("carol"))  # REFER bob -> alice, alice calls carol
    alice.wait_for_event("TRANSFER", since=transfer_mark)
    carol.wait_for_event("CALL_ESTABLISHED")
    kamailio.wait_for_log(r"OCTA-REQ REFER sip:alice-\S+;alias=\S+ .*proto=tcp", since=mark)
    kamailio.wait_for_log(r"OCTA-REQ NOTIFY sip:bob-\S+;alias=\S+ .*proto=tls", since=mark)


@pytest.mark.real
def test_unknown_and_offline_users(kamailio: Kamailio, baresip_factory) -> None:
    alice: Baresip = baresip_factory("alice", transport="udp")
    mark = alice.event_mark()
    alice.dial(kamailio.aor("nobody"))
    assert "404" in str(alice.wait_for_event("CALL_CLOSED", since=mark).get("param"))
    mark = alice.event_mark()
    alice.dial(kamailio.aor("carol"))  # known user, not registered
    assert "480" in str(alice.wait_for_event("CALL_CLOSED", since=mark).get("param"))


@pytest.mark.real
def test_untrusted_certificate_is_refused_by_a_verifying_client(pki: TestPki, kamailio_factory) -> None:
    # baresip 1.0.0 never verifies the server certificate, so a verifying TLS client checks the fixture.
    good: Kamailio = kamailio_factory()
    bad: Kamailio = kamailio_factory(untrusted_cert=True)
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with (
        socket.create_connection((good.host, good.tls_port), timeout=3) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    with (
        pytest.raises(ssl.SSLCertVerificationError),
        socket.create_connection((bad.host, bad.tls_port), timeout=3) as raw,
        context.wrap_socket(raw, server_hostname="localhost"),
    ):
        pass


@pytest.mark.real
def test_sipp_uas_behind_static_route(kamailio: Kamailio, baresip_factory, sipp) -> None:
    assert kamailio.sipp_uas_port is not None
    uas = sipp.start_uas("uas_answer_plain", port=kamailio.sipp_uas_port)
    carol: Baresip = baresip_factory("carol", transport="tcp", mediaenc="none")
    carol.dial(carol.uri_for("sippuas"))
    carol.wait_for_event("CALL_ESTABLISHED")
    carol.hangup()
    uas.wait_for_message(r"^BYE sip:sippuas@")
    assert uas.result().received_requests()[:3] == ["INVITE", "ACK", "BYE"]


@pytest.mark.real
@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_kamailio_relays_messages_over_4000_bytes(kamailio: Kamailio, sipp, transport: str) -> None:
    assert kamailio.sipp_uas_port is not None
    uas = sipp.start_uas("uas_answer_plain", port=kamailio.sipp_uas_port)
    port = kamailio.udp_port if transport == "u1" else kamailio.tcp_port
    result = sipp.run_uac("malformed_oversized", kamailio.host, port, transport=transport, service="sippuas")
    assert result.returncode == 0, result.describe()
    assert result.final_status_code() == 200
    assert len(result.sent()[0].text) > 5500
    assert uas.result().received_requests()[0] == "INVITE"


@pytest.mark.real
def test_sipp_direct_scenarios_end_promptly(baresip_factory, sipp) -> None:
    bob: Baresip = baresip_factory("bob", transport="udp", mediaenc="srtp-mand", auto_answer=False)
    carol: Baresip = baresip_factory("carol", transport="tcp", mediaenc="none", auto_answer=True)
    bob_user, host, bob_port = bob.listen_address()
    carol_user, _, carol_port = carol.listen_address()

    started = time.monotonic()
    direct = sipp.run_uac("uac_direct_invite", host, bob_port, service=bob_user)
    assert direct.returncode == 0, direct.describe()
    assert direct.final_status_code() == 488  # srtp-mand refuses the plain offer
    assert direct.sent_first_lines()[-1].startswith("ACK ")

    answered = sipp.run_uac("malformed_unicode_names", host, carol_port, transport="t1", service=carol_user)
    assert answered.returncode == 0, answered.describe()
    assert answered.final_status_code() == 200 and answered.sent_first_lines()[-1].startswith("BYE ")

    for scenario, port, transport, user in [
        ("malformed_big_header", bob_port, "u1", bob_user),
        ("malformed_bad_sdp", bob_port, "u1", bob_user),
        ("malformed_oversized", bob_port, "u1", bob_user),
        ("malformed_no_content_length", carol_port, "t1", carol_user),
    ]:
        result = sipp.run_uac(scenario, host, port, transport=transport, service=user, timeout=15)
        assert result.returncode in (0, 1), result.describe()  # 1: the peer closed the TCP connection
        assert result.sent_first_lines()[0].startswith("INVITE ")
    assert time.monotonic() - started < 30
    assert bob.running() and carol.running()


@pytest.mark.real
def test_baresip_command_errors_are_reported(baresip_factory) -> None:
    peer: Baresip = baresip_factory("dave", transport="udp")
    assert "dave@" in peer.command("reginfo")["data"]
    assert peer.command("no_such_command")["ok"] is False
    with pytest.raises(ServerError, match="command not found"):
        peer.hold()  # call commands exist only while a call is up
