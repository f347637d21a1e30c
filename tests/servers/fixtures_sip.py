"""pytest fixtures for the real SIP servers: test PKI, Kamailio, baresip peers and SIPp.

Every process a fixture starts is stopped by that fixture, also when the test fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio
from tests.servers.pki import TestPki, make_test_pki
from tests.servers.ports import free_ports
from tests.servers.sipp import SippRunner

KamailioFactory = Callable[..., Kamailio]
BaresipFactory = Callable[..., Baresip]


def _stop_all(servers: list[Any]) -> None:
    errors: list[BaseException] = []
    for server in reversed(servers):
        try:
            server.stop()
        except Exception as exc:  # stop the rest before reporting
            errors.append(exc)
    if errors:
        raise errors[0]


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    """A test CA, a server certificate for localhost/127.0.0.1, and an unrelated untrusted CA + cert."""
    return make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def kamailio(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kamailio]:
    """One Kamailio for the session: default users, and R-URI user ``sippuas`` routed to
    ``sip:127.0.0.1:<kamailio.sipp_uas_port>`` (start a SIPp UAS there with ``sipp.start_uas(port=...)``)."""
    (uas_port,) = free_ports(1)
    server = Kamailio(pki, tmp_path_factory.mktemp("kamailio"), sipp_uas_port=uas_port)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def kamailio_factory(pki: TestPki, tmp_path: Path) -> Iterator[KamailioFactory]:
    """``make(users=None, static_routes=None, untrusted_cert=False, min_expires=10, sipp_uas_port=None, start=True)``
    returns a private Kamailio (e.g. to restart it, or with the untrusted certificate)."""
    servers: list[Kamailio] = []

    def make(start: bool = True, **kwargs: Any) -> Kamailio:
        server = Kamailio(pki, tmp_path / f"kamailio-{len(servers)}", **kwargs)
        servers.append(server)
        if start:
            server.start()
        return server

    try:
        yield make
    finally:
        _stop_all(servers)


@pytest.fixture
def baresip_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaresipFactory]:
    """``make(user="bob", kamailio=None, start=True, **Baresip options)`` returns a started baresip peer,
    registered at ``kamailio`` (default: the session ``kamailio`` fixture). All are stopped at teardown."""
    peers: list[Baresip] = []

    def make(user: str = "bob", kamailio: Kamailio | None = None, start: bool = True, **kwargs: Any) -> Baresip:
        server = kamailio if kamailio is not None else request.getfixturevalue("kamailio")
        peer = Baresip(server, tmp_path / f"baresip-{len(peers)}-{user}", user=user, **kwargs)
        peers.append(peer)
        if start:
            peer.start()
        return peer

    try:
        yield make
    finally:
        _stop_all(peers)


@pytest.fixture
def sipp(tmp_path: Path) -> Iterator[SippRunner]:
    """``sipp.run_uac(scenario, host, port, transport="u1", service=None, ...) -> SippResult`` and
    ``sipp.start_uas(scenario="uas_answer_plain", port=None, ...) -> SippUas`` (stopped at teardown)."""
    runner = SippRunner(tmp_path / "sipp")
    try:
        yield runner
    finally:
        runner.close()
