"""Engine-wide settings (plain data, no pjsua2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EngineSettings:
    bind_address: str = ""  # "" = all interfaces; tests and loopback setups use 127.0.0.1
    sip_port: int = 0  # 0 = pick a free port per transport
    user_agent: str = ""
    max_calls: int = 8
    # File audio backend (the CLI and tests): what we send, and where received audio goes.
    play_wav: Path | None = None
    record_dir: Path | None = None
    record_name: str = "received"
    poll_ms: int = 100  # libHandleEvents timeout when idle (commands wake it at once)
    quality_interval_s: float = 1.0
    netwatch_interval_s: float = 3.0
    pjsip_log_level: int = 0  # 0 = silent; >0 only with diagnostics on (redacted)
