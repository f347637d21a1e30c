"""Contacts in the encrypted database."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from typing import Any

from octasip.core.contacts import Contact, ContactAddress, address_search
from octasip.core.history import normalise_term
from octasip.storage.db import transaction

_COLS = "id, name, organization, note, favourite, uid, created_at, updated_at"
MATCH_DIGITS = 9  # numbers match on their last 9 digits (+44 20 7946 0958 = 020 7946 0958)


class ContactRepository:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    # ------------------------------------------------------------------ writing
    def add(self, contact: Contact) -> Contact:
        now = time.time()
        contact = contact.replace(uid=contact.uid or f"urn:uuid:{uuid.uuid4()}")
        with _tx(self._conn):
            cur = self._conn.execute(
                "INSERT INTO contacts (name, organization, note, favourite, uid, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (_name(contact), contact.organization, contact.note,
                                                  int(contact.favourite), contact.uid, now, now))
            cid = int(cur.lastrowid)
            self._write_addresses(cid, contact.addresses)
        return contact.replace(id=cid, created_at=now, updated_at=now)

    def update(self, contact: Contact) -> Contact:
        now = time.time()
        with _tx(self._conn):
            cur = self._conn.execute(
                "UPDATE contacts SET name = ?, organization = ?, note = ?, favourite = ?, uid = ?, updated_at = ?"
                " WHERE id = ?", (_name(contact), contact.organization, contact.note, int(contact.favourite),
                                  contact.uid, now, contact.id))
            if cur.rowcount != 1:
                raise KeyError(f"no contact with id {contact.id}")
            self._conn.execute("DELETE FROM contact_addresses WHERE contact_id = ?", (contact.id,))
            self._write_addresses(contact.id, contact.addresses)
        return contact.replace(updated_at=now)

    def set_favourite(self, contact_id: int, on: bool) -> bool:
        return self._conn.execute("UPDATE contacts SET favourite = ? WHERE id = ?",
                                  (int(on), contact_id)).rowcount > 0

    def delete(self, contact_id: int) -> bool:
        return self._conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,)).rowcount > 0

    def _write_addresses(self, contact_id: int, addresses: tuple[ContactAddress, ...]) -> None:
        self._conn.executemany(
            "INSERT INTO contact_addresses (contact_id, kind, label, value, search, position)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(contact_id, a.kind, a.label, a.value.strip(), address_search(a.value), i)
             for i, a in enumerate(addresses)])

    # ------------------------------------------------------------------ reading
    def get(self, contact_id: int) -> Contact | None:
        rows = self._load(f"SELECT {_COLS} FROM contacts WHERE id = ?", (contact_id,))
        return rows[0] if rows else None

    def list(self, favourites_only: bool = False, limit: int = 100_000, offset: int = 0) -> list[Contact]:
        where = "WHERE favourite = 1" if favourites_only else ""
        return self._load(f"SELECT {_COLS} FROM contacts {where} ORDER BY favourite DESC, name COLLATE NOCASE, id"
                          " LIMIT ? OFFSET ?", (limit, offset))

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM contacts").fetchone()[0])

    def search(self, term: str, limit: int = 50) -> list[Contact]:
        """Contacts whose name, organization or an address contains ``term`` (case-insensitive)."""
        needle = normalise_term(term)
        if not needle:
            return self.list(limit=limit)
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self._load(
            f"SELECT {_COLS} FROM contacts WHERE lower(name) LIKE ?1 ESCAPE '\\' OR lower(organization) LIKE ?1"
            " ESCAPE '\\' OR id IN (SELECT contact_id FROM contact_addresses WHERE search LIKE ?1 ESCAPE '\\')"
            " ORDER BY favourite DESC, name COLLATE NOCASE LIMIT ?2", (like, limit))

    def find_by_address(self, address: str) -> Contact | None:
        """The contact with this SIP address or number (numbers compare on their last digits)."""
        key = address_search(address)
        if not key:
            return None
        if key.isdigit() and len(key) >= MATCH_DIGITS:
            row = self._conn.execute(
                "SELECT contact_id FROM contact_addresses WHERE kind = 'phone' AND substr(search, -?1) = ?2"
                " OR search = ?3 LIMIT 1", (MATCH_DIGITS, key[-MATCH_DIGITS:], key)).fetchone()
        else:
            row = self._conn.execute("SELECT contact_id FROM contact_addresses WHERE search = ? LIMIT 1",
                                     (key,)).fetchone()
        return self.get(int(row[0])) if row else None

    def find_by_uid(self, uid: str) -> Contact | None:
        if not uid:
            return None
        rows = self._load(f"SELECT {_COLS} FROM contacts WHERE uid = ? LIMIT 1", (uid,))
        return rows[0] if rows else None

    def _load(self, sql: str, params: tuple) -> list[Contact]:
        rows = self._conn.execute(sql, params).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        addresses: dict[int, list[ContactAddress]] = {i: [] for i in ids}
        marks = ",".join("?" for _ in ids)
        for cid, kind, label, value in self._conn.execute(
                f"SELECT contact_id, kind, label, value FROM contact_addresses WHERE contact_id IN ({marks})"
                " ORDER BY contact_id, position, id", ids):
            addresses[cid].append(ContactAddress(kind, value, label))
        return [Contact(id=r[0], name=r[1], organization=r[2], note=r[3], favourite=bool(r[4]), uid=r[5],
                        created_at=r[6], updated_at=r[7], addresses=tuple(addresses[r[0]])) for r in rows]


@contextlib.contextmanager
def _tx(conn: Any) -> Iterator[None]:
    """A transaction, unless the caller already has one (an import groups many contacts in one)."""
    if conn.in_transaction:
        yield
        return
    with transaction(conn):
        yield


def _name(contact: Contact) -> str:
    name = contact.name.strip()
    if not name:
        raise ValueError("a contact needs a name")
    return name
