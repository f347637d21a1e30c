"""Unit tests for octasip.core: pure data, no servers."""

import pytest

from octasip.core.events import CallQuality
from octasip.core.models import (
    AccountConfig,
    AccountConfigError,
    SrtpPolicy,
    Transport,
    dial_target,
    mask_number,
    parse_sip_uri,
)


def test_parse_sip_uri():
    assert parse_sip_uri("sip:alice@example.com") == ("alice", "example.com", None)
    assert parse_sip_uri("sips:bob@127.0.0.1:5061;transport=tls") == ("bob", "127.0.0.1", 5061)
    assert parse_sip_uri("sip:[::1]:5070") == ("", "[::1]", 5070)
    with pytest.raises(AccountConfigError):
        parse_sip_uri("mailto:alice@example.com")


def test_srtp_default_depends_on_transport():
    assert AccountConfig(uri="sip:a@x", transport=Transport.TLS).srtp_policy is SrtpPolicy.MANDATORY
    assert AccountConfig(uri="sip:a@x", transport=Transport.UDP).srtp_policy is SrtpPolicy.OPTIONAL
    assert AccountConfig(uri="sip:a@x", transport="tls", srtp="off").srtp_policy is SrtpPolicy.OFF


def test_account_defaults_and_validation():
    a = AccountConfig(uri="sip:alice@example.com")
    assert a.registrar_uri == "sip:example.com"
    assert a.auth_username == "alice"
    with pytest.raises(AccountConfigError):
        AccountConfig(uri="alice@example.com")
    with pytest.raises(AccountConfigError):
        AccountConfig(uri="sip:a@x", expiry=5)
    with pytest.raises(ValueError):
        AccountConfig(uri="sip:a@x", transport="sctp")


@pytest.mark.parametrize(
    ("typed", "transport", "expected"),
    [
        ("1001", "udp", "sip:1001@example.com"),
        ("+1 (555) 123-4567", "udp", "sip:+15551234567@example.com"),
        ("tel:+15551234;phone-context=x", "udp", "sip:+15551234@example.com"),
        ("bob@other.org", "udp", "sip:bob@other.org"),
        ("sip:bob@other.org", "tls", "sip:bob@other.org;transport=tls"),
        ("1001", "tcp", "sip:1001@example.com;transport=tcp"),
        ("sip:bob@other.org;transport=udp", "tls", "sip:bob@other.org;transport=udp"),
    ],
)
def test_dial_target(typed, transport, expected):
    acc = AccountConfig(uri="sip:alice@example.com", transport=transport)
    assert dial_target(typed, acc) == expected


def test_dial_target_never_uses_sips_for_tls():
    acc = AccountConfig(uri="sip:alice@example.com", transport="tls")
    assert dial_target("42", acc).startswith("sip:")


@pytest.mark.parametrize("bad", ["", "   ", "hello world!", "<script>"])
def test_dial_target_rejects_garbage(bad):
    with pytest.raises(AccountConfigError):
        dial_target(bad, AccountConfig(uri="sip:a@x"))


def test_mask_number_keeps_last_three_digits():
    assert mask_number("sip:+15551234567@x") == "sip:+********567@x"
    assert mask_number("ext 101") == "ext 101"


def test_quality_grade():
    assert CallQuality(rtt_ms=20, jitter_ms=2, loss_pct=0).grade == "good"
    assert CallQuality(rtt_ms=350, jitter_ms=2, loss_pct=0).grade == "fair"
    assert CallQuality(rtt_ms=20, jitter_ms=2, loss_pct=8).grade == "poor"
