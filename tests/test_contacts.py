"""Contacts: repository, vCard 3/4 and CSV import (real-world samples in tests/data/contacts), vCard
export round trip, errors without contact data; and the CLI against the real Secret Service with a
byte scan of the data directory."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from octasip.core.contacts import Contact, ContactAddress
from octasip.storage.contacts import ContactRepository
from octasip.storage.contacts_io import ContactsImportError, import_contacts, parse_vcards, to_vcard
from octasip.storage.db import open_database
from tests.test_cli_real import octasip

DATA = Path(__file__).parent / "data" / "contacts"


@pytest.fixture
def conn(tmp_path: Path):
    c = open_database(tmp_path / "octasip.db", secrets.token_bytes(32))
    yield c
    c.close()


def _by_name(conn) -> dict[str, Contact]:
    return {c.name: c for c in ContactRepository(conn).list()}


def test_repository_crud_search_and_lookup(conn) -> None:
    repo = ContactRepository(conn)
    bob = repo.add(Contact("Bob Martin", (ContactAddress("phone", "+44 20 7946 0958", "work"),
                                          ContactAddress("sip", "sip:bob@example.com"))))
    assert bob.id and bob.uid.startswith("urn:uuid:")
    repo.add(Contact("Alice", (ContactAddress("email", "alice@example.org"),), favourite=True))
    assert [c.name for c in repo.list()] == ["Alice", "Bob Martin"]
    assert [c.name for c in repo.search("7946")] == ["Bob Martin"]
    assert [c.name for c in repo.search("MART")] == ["Bob Martin"]
    assert [c.name for c in repo.search("%")] == []
    assert repo.find_by_address("sip:+442079460958@provider.example;user=phone").name == "Bob Martin"
    assert repo.find_by_address("020 7946 0958").name == "Bob Martin"  # national format
    assert repo.find_by_address("sip:bob@example.com").name == "Bob Martin"
    assert repo.find_by_address("sip:carol@example.com") is None
    repo.update(bob.replace(name="Robert Martin", addresses=bob.addresses[:1]))
    assert repo.get(bob.id).name == "Robert Martin" and len(repo.get(bob.id).addresses) == 1
    assert repo.set_favourite(bob.id, True) and repo.get(bob.id).favourite
    assert repo.delete(bob.id) and repo.get(bob.id) is None
    assert conn.execute("SELECT count(*) FROM contact_addresses WHERE contact_id = ?", (bob.id,)).fetchone()[0] == 0
    with pytest.raises(ValueError):
        repo.add(Contact("  "))


def test_vcard_3_and_4_import_with_a_bad_card_reported(conn) -> None:
    report = import_contacts(conn, DATA / "apple-v3.vcf")
    assert (report.added, report.updated) == (3, 0)
    assert report.errors == ["card 3: no name or address"]
    report = import_contacts(conn, DATA / "v4.vcf")
    assert report.added == 1
    people = _by_name(conn)
    zoe = people["Zoë Ångström"]
    assert zoe.organization == "Acme AB Research" and "room 4" in zoe.note
    assert [(a.kind, a.label) for a in zoe.addresses] == [("phone", "mobile"), ("phone", "work"), ("email", "home")]
    assert {a.kind for a in people["Chen Wei"].addresses} == {"phone", "sip"}
    assert "Jürgen Müller" in people  # vCard 2.1, quoted-printable UTF-8
    dana = people["Dana Scully"]
    assert {(a.kind, a.value) for a in dana.addresses} >= {("sip", "sip:dana@fbi.example.gov"),
                                                          ("phone", "+1-555-010-0199")}
    assert ContactRepository(conn).find_by_address("+15550100199").name == "Dana Scully"


def test_reimport_changes_nothing_and_an_edit_updates(conn, tmp_path: Path) -> None:
    import_contacts(conn, DATA / "apple-v3.vcf")
    again = import_contacts(conn, DATA / "apple-v3.vcf")
    assert (again.added, again.updated, again.skipped) == (0, 0, 3)
    edited = tmp_path / "edited.vcf"
    edited.write_text((DATA / "apple-v3.vcf").read_text().replace("Research", "Labs"), encoding="utf-8")
    assert import_contacts(conn, edited).updated == 1  # matched by UID


@pytest.mark.parametrize(("name", "expect"), [
    ("google.csv", {"Erik Larsen": {"+45 20 30 40 50", "+45 20 30 40 51", "sip:erik@pbx.example.dk",
                                    "erik@example.dk"}, "Fatima Zahra": {"+212 600 123 456"}}),
    ("outlook.csv", {"Gustav Holm": {"+46 70 999 88 77", "gustav@example.se"}}),
    ("generic-semicolon.csv", {"Hana Sato": {"+81 90 1234 5678", "sip:hana@sip.example.jp"}}),
])
def test_csv_imports(conn, name: str, expect: dict) -> None:
    report = import_contacts(conn, DATA / name)
    assert report.added == len(expect), report.summary()
    people = _by_name(conn)
    for person, values in expect.items():
        assert {a.value for a in people[person].addresses} == values
    if name == "google.csv":
        assert people["Erik Larsen"].organization == "Nordic Ltd"
        assert people["Fatima Zahra"].note == "Prefers SMS, not calls"


def test_vcard_export_round_trips(conn, tmp_path: Path) -> None:
    for f in ("apple-v3.vcf", "v4.vcf", "google.csv"):
        import_contacts(conn, DATA / f)
    before = ContactRepository(conn).list()
    for version in ("4.0", "3.0"):
        text = to_vcard(before, version)
        assert text.count("BEGIN:VCARD") == len(before) and f"VERSION:{version}" in text
        parsed = [c for _n, c, _why in parse_vcards(text)]
        assert [(c.name, c.organization, c.note, {(a.kind, a.value) for a in c.addresses}, c.uid) for c in parsed] == [
            (c.name, c.organization, c.note, {(a.kind, a.value) for a in c.addresses}, c.uid) for c in before]
    other = open_database(tmp_path / "other.db", secrets.token_bytes(32))
    (tmp_path / "out.vcf").write_text(to_vcard(before), encoding="utf-8")
    assert import_contacts(other, tmp_path / "out.vcf").added == len(before)
    other.close()


def test_bad_files_give_clear_errors_without_contact_data(conn, tmp_path: Path, caplog) -> None:
    (tmp_path / "empty.vcf").write_text("hello\n")
    with pytest.raises(ContactsImportError, match="contains no vCard"):
        import_contacts(conn, tmp_path / "empty.vcf")
    (tmp_path / "x.csv").write_text("phone\n+15551234567\n")
    with pytest.raises(ContactsImportError, match="no name column"):
        import_contacts(conn, tmp_path / "x.csv")
    with pytest.raises(ContactsImportError, match="not found"):
        import_contacts(conn, tmp_path / "missing.vcf")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(ContactsImportError, match="neither a vCard"):
        import_contacts(conn, tmp_path / "a.txt")
    report = import_contacts(conn, DATA / "apple-v3.vcf")
    assert all("Zoë" not in e and "+46" not in e for e in report.errors)
    assert "NOT A VALID LINE" not in caplog.text  # the parser's own log would quote the card


@pytest.mark.real
def test_cli_import_list_export_and_nothing_readable_on_disk(octasip_home, secret_service, tmp_path: Path) -> None:
    res = octasip("contacts", "import", str(DATA / "apple-v3.vcf"))
    assert res.returncode == 0, res.stderr
    assert "3 added" in res.stdout and "1 not imported" in res.stdout
    assert octasip("contacts", "import", str(DATA / "google.csv")).returncode == 0
    listed = json.loads(octasip("contacts", "list", "--json").stdout)
    assert {c["name"] for c in listed} >= {"Zoë Ångström", "Chen Wei", "Erik Larsen"}
    found = json.loads(octasip("contacts", "list", "--json", "--search", "2030").stdout)
    assert [c["name"] for c in found] == ["Erik Larsen"]
    out = tmp_path / "export.vcf"
    assert octasip("contacts", "export", "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == len(listed)
    bad = octasip("contacts", "import", str(tmp_path / "nope.vcf"))
    assert bad.returncode == 1 and bad.stderr.startswith("octasip: ") and "Traceback" not in bad.stderr
    needles = [b"Zo\xc3\xab", b"Chen Wei", b"Erik Larsen", b"2030 40 50", b"70 123 45 67", b"zoe@example.se",
               b"erik@pbx.example.dk", b"SQLite format 3\x00"]
    for path in octasip_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, (needle, path.name)
