"""Contacts in and out: vCard 3.0/4.0 (parsed by the maintained `vobject` library) and CSV (Google
Contacts, Outlook, or a plain name/phone/sip/email header). Export writes vCard.

Import is forgiving: the cards or rows that can be read are imported, the others are reported by
their position only (never by name or number: error messages may be shown or logged). Importing the
same file twice changes nothing: a card is matched by its UID, else by its name and addresses.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octasip.core.contacts import Contact, ContactAddress, address_search
from octasip.storage.contacts import ContactRepository
from octasip.storage.db import transaction

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ContactsImportError(Exception):
    """The file cannot be imported at all. The message is safe to show (no contact data in it)."""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    skipped: int = 0  # already there, unchanged
    errors: list[str] = field(default_factory=list)  # "card 3: no name or address", ...

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.skipped} already there"
        if self.errors:
            text += f", {len(self.errors)} not imported ({'; '.join(self.errors[:3])}"
            text += ", …)" if len(self.errors) > 3 else ")"
        return text


# ------------------------------------------------------------------ reading files
def read_file(path: Path) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ContactsImportError(f"{path} not found") from None
    if size > MAX_IMPORT_BYTES:
        raise ContactsImportError(f"{path.name} is larger than 20 MiB; split it, or check it is a contacts file")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
            if "\x00" not in text:
                return text
        except UnicodeDecodeError:
            continue
    return raw.decode("cp1252", errors="replace")  # old Outlook exports


def detect_format(path: Path, text: str) -> str:
    if path.suffix.lower() in (".vcf", ".vcard") or text.lstrip().upper().startswith("BEGIN:VCARD"):
        return "vcard"
    if path.suffix.lower() == ".csv":
        return "csv"
    raise ContactsImportError(f"{path.name} is neither a vCard (.vcf) nor a CSV file")


def parse_vcards(text: str) -> Iterator[tuple[int, Contact | None, str]]:
    """(card number, contact or None, why not) for each card."""
    import vobject

    # vobject logs the text of lines it skips: that can be a phone number. Never let it reach a log.
    logging.getLogger("vobject").disabled = True
    logging.getLogger("vobject.base").disabled = True
    for n, raw in enumerate(_split_cards(text), 1):
        try:
            card = vobject.readOne(raw, ignoreUnreadable=True)
            contact = _from_vcard(card)
        except Exception as e:  # vobject raises many types; the message may quote the card: not shown
            yield n, None, f"card {n}: unreadable ({type(e).__name__})"
            continue
        if contact is None:
            yield n, None, f"card {n}: no name or address"
        else:
            yield n, contact, ""


def _split_cards(text: str) -> Iterator[str]:
    """Each BEGIN:VCARD … END:VCARD block on its own, so one bad card does not stop the rest."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for m in re.finditer(r"^BEGIN:VCARD\s*$.*?^END:VCARD\s*$", text, re.IGNORECASE | re.MULTILINE | re.DOTALL):
        yield m.group(0) + "\n"


def _values(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name, []))


def _label(line: Any) -> str:
    types = [t.lower() for t in line.params.get("TYPE", []) for t in t.split(",")]
    for wanted in ("cell", "mobile", "work", "home", "main", "fax", "iphone"):
        if wanted in types:
            return "mobile" if wanted in ("cell", "iphone") else wanted
    return ""


def _from_vcard(card: Any) -> Contact | None:
    name = ""
    if _values(card, "fn"):
        name = str(card.fn.value).strip()
    if not name and _values(card, "n"):
        n = card.n.value
        name = " ".join(p for p in (getattr(n, "prefix", ""), n.given, n.additional, n.family, n.suffix)
                        if isinstance(p, str) and p).strip()
    addresses: list[ContactAddress] = []
    for line in _values(card, "tel"):
        value = str(line.value).strip()
        if value.lower().startswith("sip:"):
            addresses.append(ContactAddress("sip", value, _label(line)))
        elif value:
            addresses.append(ContactAddress("phone", value.removeprefix("tel:"), _label(line)))
    for key in ("impp", "x-sip"):
        for line in _values(card, key):
            value = str(line.value).strip()
            if key == "x-sip" and not value.lower().startswith("sip"):
                value = "sip:" + value
            if value.lower().startswith(("sip:", "sips:")):
                addresses.append(ContactAddress("sip", value, _label(line)))
    for line in _values(card, "email"):
        value = str(line.value).strip()
        if value:
            addresses.append(ContactAddress("email", value, _label(line)))
    org = ""
    if _values(card, "org"):
        value = card.org.value
        org = " ".join(value) if isinstance(value, list) else str(value)
    note = str(card.note.value) if _values(card, "note") else ""
    uid = str(card.uid.value) if _values(card, "uid") else ""
    if not name:
        name = org or next((a.value for a in addresses), "")
    if not name:
        return None
    return Contact(name=name, addresses=tuple(_dedupe(addresses)), organization=org.strip(), note=note.strip(),
                   uid=uid.strip())


def _dedupe(addresses: list[ContactAddress]) -> list[ContactAddress]:
    seen, out = set(), []
    for a in addresses:
        key = (a.kind, address_search(a.value))
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


# CSV headers (lower case) -> what they hold. Google: "Phone 1 - Value"; Outlook: "Mobile Phone".
_NAME_COLS = ("name", "display name", "full name", "fn")
_GIVEN_COLS = ("given name", "first name")
_FAMILY_COLS = ("family name", "last name", "surname")
_ORG_COLS = ("organization 1 - name", "organization name", "company", "organization", "org")
_NOTE_COLS = ("notes", "note")
_OUTLOOK_PHONES = {"mobile phone": "mobile", "business phone": "work", "home phone": "home", "primary phone": "",
                   "business phone 2": "work", "home phone 2": "home", "other phone": "", "car phone": "",
                   "company main phone": "work"}


def parse_csv(text: str) -> Iterator[tuple[int, Contact | None, str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ContactsImportError("the CSV file is empty") from None
    if not any(h in header for h in (*_NAME_COLS, *_GIVEN_COLS, *_FAMILY_COLS)):
        raise ContactsImportError("the CSV file has no name column (expected e.g. Name, First Name, Given Name)")
    for n, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue
        rec = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        contact = _from_csv(rec)
        if contact is None:
            yield n, None, f"line {n}: no name or address"
        else:
            yield n, contact, ""


def _first(rec: dict[str, str], cols: tuple[str, ...]) -> str:
    return next((rec[c] for c in cols if rec.get(c)), "")


def _from_csv(rec: dict[str, str]) -> Contact | None:
    name = _first(rec, _NAME_COLS) or " ".join(p for p in (_first(rec, _GIVEN_COLS), _first(rec, _FAMILY_COLS))
                                                if p)
    addresses: list[ContactAddress] = []
    for key, value in rec.items():
        if not value:
            continue
        m = re.fullmatch(r"(phone|e-mail|email) (\d+) - value", key)
        if m:
            label = rec.get(f"{m.group(1)} {m.group(2)} - type", "").strip("* ").lower()
            # Google joins several values with " ::: "
            for v in (p.strip() for p in value.split(":::")):
                if v:
                    kind = "phone" if m.group(1) == "phone" else "email"
                    if kind == "phone" and v.lower().startswith("sip:"):
                        kind = "sip"
                    addresses.append(ContactAddress(kind, v, label))
        elif key in _OUTLOOK_PHONES:
            addresses.append(ContactAddress("phone", value, _OUTLOOK_PHONES[key]))
        elif key in ("phone", "number", "telephone", "mobile"):
            addresses.append(ContactAddress("phone", value, "mobile" if key == "mobile" else ""))
        elif key in ("sip", "sip address", "sip uri"):
            addresses.append(ContactAddress("sip", value if value.lower().startswith("sip") else "sip:" + value))
        elif key in ("email", "e-mail", "e-mail address", "email address"):
            addresses.append(ContactAddress("email", value))
    org = _first(rec, _ORG_COLS)
    name = name or org or next((a.value for a in addresses), "")
    if not name:
        return None
    return Contact(name=name, addresses=tuple(_dedupe(addresses)), organization=org, note=_first(rec, _NOTE_COLS))


# ------------------------------------------------------------------ import
def import_contacts(conn: Any, path: Path, fmt: str = "auto") -> ImportReport:
    path = Path(path)
    text = read_file(path)
    fmt = detect_format(path, text) if fmt == "auto" else fmt
    if fmt == "vcard":
        entries = list(parse_vcards(text))
        if not entries:
            raise ContactsImportError(f"{path.name} contains no vCard (no BEGIN:VCARD … END:VCARD)")
    elif fmt == "csv":
        entries = list(parse_csv(text))
    else:
        raise ContactsImportError(f"unknown contacts format {fmt!r} (vcard or csv)")
    repo = ContactRepository(conn)
    report = ImportReport()
    with transaction(conn):
        for _n, contact, why in entries:
            if contact is None:
                report.errors.append(why)
                continue
            existing = repo.find_by_uid(contact.uid) or _same(repo, contact)
            if existing is None:
                repo.add(contact)
                report.added += 1
            elif _differs(existing, contact):
                repo.update(contact.replace(id=existing.id, favourite=existing.favourite))
                report.updated += 1
            else:
                report.skipped += 1
    return report


def _same(repo: ContactRepository, contact: Contact) -> Contact | None:
    for candidate in repo.search(contact.name, 20):
        if candidate.name == contact.name and {address_search(a.value) for a in candidate.addresses} == {
                address_search(a.value) for a in contact.addresses}:
            return candidate
    return None


def _differs(a: Contact, b: Contact) -> bool:
    return (a.name, a.organization, a.note, a.addresses) != (b.name, b.organization, b.note, b.addresses)


# ------------------------------------------------------------------ export
def to_vcard(contacts: list[Contact], version: str = "4.0") -> str:
    """vCard text (CRLF line ends, folded at 75 octets by vobject)."""
    import vobject

    out = []
    for c in contacts:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("fn").value = c.name
        n = card.add("n")
        given, _, family = c.name.rpartition(" ")
        n.value = vobject.vcard.Name(family=family or c.name, given=given if family else "")
        if c.organization:
            card.add("org").value = [c.organization]
        if c.note:
            card.add("note").value = c.note
        if c.uid:
            card.add("uid").value = c.uid
        for a in c.addresses:
            if a.kind == "email":
                line = card.add("email")
            elif a.kind == "sip":
                line = card.add("impp")
            else:
                line = card.add("tel")
            line.value = a.value
            if a.label:
                line.type_param = {"mobile": "cell"}.get(a.label, a.label)
        out.append(card.serialize())
    return "".join(out)
