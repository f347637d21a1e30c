"""Shared set-up of the audio benchmarks: a private PulseAudio (virtual mic playing 440 Hz),
Kamailio with a test CA, and an auto-answering baresip (bob, UDP leg), all on loopback."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.baresip import Baresip  # noqa: E402
from tests.servers.kamailio import Kamailio  # noqa: E402
from tests.servers.pki import make_test_pki  # noqa: E402
from tests.servers.pulseaudio import PulseAudio, write_tone_wav  # noqa: E402


def alice(kam: Kamailio):
    from octasip.core.models import AccountConfig

    return AccountConfig(uri="sip:alice@127.0.0.1", id=1, registrar=f"sip:127.0.0.1:{kam.tls_port}",
                         transport="tls", ca_file=str(kam.pki.ca_cert))


@contextlib.contextmanager
def audio_lab(prefix: str) -> Iterator[Kamailio]:
    work = Path(tempfile.mkdtemp(prefix=prefix))
    pki = make_test_pki(work / "pki")
    with PulseAudio(work / "pulse", mic_wav=write_tone_wav(work / "mic.wav", 440)) as pulse, \
            Kamailio(pki, work / "kam") as kam, \
            Baresip(kam, work / "bob", user="bob", transport="udp", sip_trace=False):
        os.environ.update(pulse.env)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        yield kam
