"""`octasip contacts`: list, add, remove, favourite, import (vCard/CSV) and export (vCard)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(sub) -> None:
    c = sub.add_parser("contacts", help="your contacts (encrypted on disk)").add_subparsers(dest="contacts_cmd",
                                                                                          required=True)
    ls = c.add_parser("list", help="list contacts, favourites first")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--search", default="", help="only contacts whose name, number or address contains TEXT")
    ls.add_argument("--favourites", action="store_true")
    im = c.add_parser("import", help="import a vCard (.vcf, 3.0/4.0) or CSV file (Google, Outlook, generic)")
    im.add_argument("path", type=Path)
    im.add_argument("--format", choices=["auto", "vcard", "csv"], default="auto")
    ex = c.add_parser("export", help="export contacts as a vCard file")
    ex.add_argument("--out", type=Path, required=True)
    ex.add_argument("--format", choices=["vcard4", "vcard3"], default="vcard4")
    ex.add_argument("--force", action="store_true", help="replace an existing file")
    add = c.add_parser("add", help="add a contact")
    add.add_argument("--name", required=True)
    add.add_argument("--phone", action="append", default=[])
    add.add_argument("--sip", action="append", default=[])
    add.add_argument("--email", action="append", default=[])
    add.add_argument("--favourite", action="store_true")
    rm = c.add_parser("remove", help="delete a contact")
    rm.add_argument("id", type=int)
    fav = c.add_parser("favourite", help="mark (or with --off, unmark) a favourite")
    fav.add_argument("id", type=int)
    fav.add_argument("--off", action="store_true")


def _contacts(args: argparse.Namespace) -> int:
    import json

    from octasip.cli import EXIT_FAIL, EXIT_OK, CliError, _profile
    from octasip.core.contacts import Contact, ContactAddress
    from octasip.storage.contacts import ContactRepository
    from octasip.storage.contacts_io import import_contacts, to_vcard

    with _profile() as profile:
        repo = ContactRepository(profile.conn)
        cmd = args.contacts_cmd
        if cmd == "list":
            found = repo.search(args.search, 100_000) if args.search else repo.list(args.favourites)
            if args.favourites:
                found = [c for c in found if c.favourite]
            if args.json:
                print(json.dumps([c.as_dict() for c in found], indent=2, ensure_ascii=False))
            else:
                for c in found:
                    star = "*" if c.favourite else " "
                    addrs = ", ".join(a.value for a in c.addresses)
                    print(f"{c.id:>5} {star} {c.name}  {addrs}")
                if not found:
                    print("no contacts")
            return EXIT_OK
        if cmd == "import":
            report = import_contacts(profile.conn, args.path.expanduser(), args.format)
            print(f"contacts imported from {args.path.name}: {report.summary()}")
            return EXIT_OK if report.added + report.updated + report.skipped or not report.errors else EXIT_FAIL
        if cmd == "export":
            from octasip.privacy.export import write_atomically

            contacts = repo.list()
            with write_atomically(args.out.expanduser().absolute(), args.force) as f:
                f.write(to_vcard(contacts, "3.0" if args.format == "vcard3" else "4.0"))
            print(f"exported {len(contacts)} contacts to {args.out} (this file is NOT encrypted)")
            return EXIT_OK
        if cmd == "add":
            addresses = [ContactAddress("phone", p) for p in args.phone] + [
                ContactAddress("sip", s if s.lower().startswith("sip") else "sip:" + s) for s in args.sip] + [
                ContactAddress("email", e) for e in args.email]
            c = repo.add(Contact(args.name, tuple(addresses), favourite=args.favourite))
            print(f"added contact {c.id}")
            return EXIT_OK
        if cmd == "remove":
            if not repo.delete(args.id):
                raise CliError(f"no contact {args.id}")
            print(f"deleted contact {args.id}")
            return EXIT_OK
        if cmd == "favourite":
            if not repo.set_favourite(args.id, not args.off):
                raise CliError(f"no contact {args.id}")
            return EXIT_OK
    return EXIT_FAIL


HANDLERS = {"contacts": _contacts}
