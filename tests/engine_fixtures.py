"""Engine test fixtures: a module-scoped Kamailio with its test PKI, and a real engine per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from octasip.engine import EngineSettings
from tests.engine_harness import OUR_TONE, Harness, write_tone
from tests.servers.kamailio import Kamailio


@pytest.fixture(scope="module")
def kam(pki, tmp_path_factory):
    """A Kamailio per test module (the session-wide `pki` signs its certificate)."""
    with Kamailio(pki, tmp_path_factory.mktemp("kamailio")) as k:
        yield k


@pytest.fixture
def tone(tmp_path) -> Path:
    return write_tone(tmp_path / "tone440.wav", OUR_TONE, seconds=2.0)


@pytest.fixture
def harness(tmp_path, tone):
    h = Harness(EngineSettings(bind_address="127.0.0.1", play_wav=tone, record_dir=tmp_path, record_name="rx"))
    h.start()
    yield h
    h.stop()
