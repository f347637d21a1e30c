"""Entry point of the bundled app (PyInstaller): resources sit next to the executable."""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the engine host is a spawned process
    base = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("OCTASIP_RESOURCES", os.path.join(base, "resources"))
    from octasip.cli import main

    raise SystemExit(main())
