"""Free loopback ports for test servers."""

from __future__ import annotations

import socket
from typing import Literal

HOST = "127.0.0.1"

_handed_out: set[int] = set()


def free_port(kind: Literal["udp", "tcp"] = "udp") -> int:
    """A port on 127.0.0.1 that is free right now for ``kind`` (chosen by the kernel)."""
    sock_type = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, sock_type) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _free_for_both(port: int) -> bool:
    for sock_type in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, sock_type) as sock:
            if sock_type == socket.SOCK_STREAM:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((HOST, port))
            except OSError:
                return False
    return True


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports on 127.0.0.1, each free for both UDP and TCP.

    Ports already handed out in this process are not returned again, so servers started later in a
    session do not collide with ports another server only reserved (e.g. a SIPp UAS started lazily).
    """
    ports: list[int] = []
    for _ in range(count * 50):
        if len(ports) == count:
            break
        port = free_port("tcp")
        if port in ports or port in _handed_out or not _free_for_both(port):
            continue
        ports.append(port)
    if len(ports) != count:
        raise RuntimeError(f"could not find {count} free UDP+TCP ports on {HOST}")
    _handed_out.update(ports)
    return ports


def is_bound(port: int, kind: Literal["udp", "tcp"] = "udp") -> bool:
    """True if some process has bound (UDP) or is listening on (TCP) 127.0.0.1:``port`` or 0.0.0.0:``port``.

    Reads /proc/net (Linux) instead of probing with bind(), which could steal the port from a
    server that is just starting.
    """
    wanted = {f"0100007F:{port:04X}", f"00000000:{port:04X}"}
    with open(f"/proc/net/{kind}") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1] in wanted and (kind == "udp" or fields[3] == "0A"):  # 0A = LISTEN
                return True
    return False
