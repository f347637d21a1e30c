"""Accounts in the encrypted database, as octasip.core.models.AccountConfig. Passwords are not here."""

from __future__ import annotations

from typing import Any

from octasip.core.models import AccountConfig, DtmfMode, SrtpPolicy, Transport

_COLUMNS = (
    "uri", "display_name", "registrar", "username", "transport", "outbound_proxy", "expiry", "ca_file",
    "srtp", "allow_direct_calls", "dtmf_mode", "enabled",
)  # fmt: skip
_SELECT = f"SELECT id, {', '.join(_COLUMNS)} FROM accounts"


def _to_row(cfg: AccountConfig) -> tuple[Any, ...]:
    return (
        cfg.uri, cfg.display_name, cfg.registrar, cfg.username, Transport(cfg.transport).value,
        cfg.outbound_proxy, int(cfg.expiry), cfg.ca_file, None if cfg.srtp is None else SrtpPolicy(cfg.srtp).value,
        int(bool(cfg.allow_direct_calls)), DtmfMode(cfg.dtmf_mode).value, int(bool(cfg.enabled)),
    )  # fmt: skip


def _from_row(row: tuple[Any, ...]) -> AccountConfig:
    (id_, uri, display_name, registrar, username, transport, outbound_proxy, expiry, ca_file, srtp,
     allow_direct_calls, dtmf_mode, enabled) = row  # fmt: skip
    return AccountConfig(
        uri=uri, id=int(id_), display_name=display_name, registrar=registrar, username=username,
        transport=Transport(transport), outbound_proxy=outbound_proxy, expiry=int(expiry), ca_file=ca_file,
        srtp=None if srtp is None else SrtpPolicy(srtp), allow_direct_calls=bool(allow_direct_calls),
        dtmf_mode=DtmfMode(dtmf_mode), enabled=bool(enabled),
    )  # fmt: skip


class AccountRepository:
    """CRUD for SIP accounts. Ids are assigned by the database and never reused."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def add(self, cfg: AccountConfig) -> AccountConfig:
        """Insert ``cfg`` (its ``id`` is ignored) and return it with the new id."""
        placeholders = ", ".join("?" for _ in _COLUMNS)
        cur = self._conn.execute(f"INSERT INTO accounts ({', '.join(_COLUMNS)}) VALUES ({placeholders})", _to_row(cfg))
        return cfg.replace(id=int(cur.lastrowid))

    def update(self, cfg: AccountConfig) -> None:
        """Overwrite the stored account ``cfg.id``; KeyError if there is none."""
        assignments = ", ".join(f"{c} = ?" for c in _COLUMNS)
        cur = self._conn.execute(f"UPDATE accounts SET {assignments} WHERE id = ?", (*_to_row(cfg), int(cfg.id)))
        if cur.rowcount != 1:
            raise KeyError(f"no account with id {cfg.id}")

    def get(self, account_id: int) -> AccountConfig | None:
        row = self._conn.execute(f"{_SELECT} WHERE id = ?", (int(account_id),)).fetchone()
        return _from_row(row) if row else None

    def list(self) -> list[AccountConfig]:
        """All accounts, oldest first."""
        return [_from_row(r) for r in self._conn.execute(f"{_SELECT} ORDER BY id").fetchall()]

    def remove(self, account_id: int) -> bool:
        """Delete the account; False if there was none. Its keyring password is the caller's job."""
        cur = self._conn.execute("DELETE FROM accounts WHERE id = ?", (int(account_id),))
        return cur.rowcount > 0
