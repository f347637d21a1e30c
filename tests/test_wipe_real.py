"""`octasip wipe`: every OctaSIP file and keyring item gone (real Secret Service), then a fresh start."""

from __future__ import annotations

import pytest

from tests.test_cli_real import add_account, octasip

pytestmark = pytest.mark.real


def test_wipe_leaves_no_file_and_no_keyring_item(octasip_home, secret_service, kam):
    add_account(kam, "alice-secret")
    add_account(kam, "bob-secret", "udp", "bob")
    (octasip_home / "logs").mkdir()
    (octasip_home / "logs" / "sip.log").write_text("diagnostics")
    opt_in = octasip("privacy", "recording", "on", "--accept-consent-notice")  # creates key:recordings
    assert opt_in.returncode == 0, opt_in.stderr
    (octasip_home / "recordings").mkdir(exist_ok=True)
    (octasip_home / "recordings" / ("ab" * 16 + ".octarec")).write_bytes(b"\0" * 1024)
    items = secret_service.search("OctaSIP")
    assert {i["attribute.username"] for i in items} >= {"key:database", "key:recordings", "sip-password:1",
                                                        "sip-password:2"}
    res = octasip("wipe", "--yes")
    assert res.returncode == 0, res.stderr
    assert "wiped: keyring items (4)" in res.stdout and "recordings" in res.stdout
    assert not octasip_home.exists() or not [p for p in octasip_home.rglob("*") if p.is_file()]
    assert secret_service.search("OctaSIP") == []  # checked with secret-tool, not through our code
    fresh = octasip("account", "list")  # starts as on a fresh install
    assert fresh.returncode == 0 and "no accounts yet" in fresh.stdout


def test_wipe_needs_confirmation(octasip_home, secret_service, kam):
    add_account(kam, "alice-secret")
    res = octasip("wipe")  # not a terminal, no --yes
    assert res.returncode == 1 and "--yes" in res.stderr
    assert (octasip_home / "octasip.db").exists()
    assert secret_service.search("OctaSIP")
