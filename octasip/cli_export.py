"""`octasip export` and `octasip import`: all your data, in files you choose."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(sub) -> None:
    ex = sub.add_parser("export", help="export history, contacts, settings and the consent ledger "
                                       "(never passwords) to a file you choose")
    ex.add_argument("--format", choices=["json", "csv"], default="json",
                    help="json: one file; csv: a folder with one file per section")
    ex.add_argument("--out", type=Path, required=True, help="the file (json) or folder (csv) to write")
    ex.add_argument("--force", action="store_true", help="replace existing files")
    im = sub.add_parser("import", help="add an OctaSIP JSON export to this profile (passwords must be set again)")
    im.add_argument("path", type=Path)


def _export(args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_OK, _profile
    from octasip.privacy.export import export_csv, export_json

    out = args.out.expanduser().absolute()
    with _profile() as profile:
        fn = export_json if args.format == "json" else export_csv
        report = fn(profile.conn, out, args.force)
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    print(f"exported {counts} to {out}")
    print("The export is NOT encrypted: keep it somewhere safe, and delete it when you no longer need it.")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_OK, _profile
    from octasip.privacy.export import import_json

    with _profile() as profile:
        added = import_json(profile.conn, args.path.expanduser())
    print("imported " + ", ".join(f"{n} {name}" for name, n in added.items()))
    if added.get("accounts"):
        print("Passwords are not in exports: set them with `octasip account add` or in Settings.")
    return EXIT_OK


HANDLERS = {"export": _export, "import": _import}
