"""Poll the machine's interface addresses, to notice network changes and wake-ups.

The UI layer may also report changes (QNetworkInformation) with the NetworkChange command;
polling keeps the headless CLI covered. Cheap: one getifaddrs-equivalent per poll.
"""

from __future__ import annotations

import socket
import time


def interface_addresses() -> tuple[str, ...]:
    """Sorted non-loopback addresses of this machine (empty when offline)."""
    addrs: set[str] = set()
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    for info in infos:
        addr = str(info[4][0])
        if not addr.startswith(("127.", "::1")):
            addrs.add(addr)
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # no packet is sent: this only asks the routing table
                addrs.add(str(s.getsockname()[0]))
        except OSError:
            pass
    return tuple(sorted(addrs))


class WakeDetector:
    """A wall-clock jump much larger than the poll interval means the machine slept."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._last = time.time()

    def woke(self) -> bool:
        now = time.time()
        gap = now - self._last
        self._last = now
        return gap > max(10.0, 4 * self.interval_s)
