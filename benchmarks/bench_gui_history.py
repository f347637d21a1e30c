"""History tab with 100,000 calls (issue 5 target: scrolling and searching never block the GUI thread for
more than 50 ms). A 5 ms timer records event-loop stalls while the view scrolls through ~3,000 rows and
search terms are typed a key at a time. Real parts: an encrypted profile on a private Secret Service;
offscreen Qt. Prints the figures."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.servers.keyring_service import SecretService  # noqa: E402

ROWS = 100_000


class StallMeter:
    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def reset(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()

    def summary(self) -> str:
        g = sorted(self.gaps)
        p99 = g[int(len(g) * 0.99)] if g else 0.0
        return (f"max {max(g, default=0):.1f} ms, p99 {p99:.1f} ms, median {statistics.median(g) if g else 0:.1f} ms,"
                f" stalls > 50 ms: {sum(1 for x in g if x > 50)} (of {len(g)} ticks)")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="octasip-gui-history-"))
    service = SecretService(work / "secrets")
    service.start()
    try:
        os.environ.update(service.env)
        from PySide6.QtWidgets import QApplication

        from benchmarks.bench_history import INSERT, make_rows
        from octasip.profile import Profile
        from octasip.storage.db import transaction
        from octasip.ui.history_view import HistoryView
        from octasip.ui.store import Store

        home = work / "home"
        t = time.perf_counter()
        with Profile.open(home) as profile, transaction(profile.conn):
            profile.conn.executemany(INSERT, make_rows(ROWS))
        print(f"profile with {ROWS} calls built in {time.perf_counter() - t:.1f} s")
        qt = QApplication.instance() or QApplication([])

        class Controller:
            def __init__(self, store) -> None:
                self.store = store

            def dial(self, *a, **k) -> None:
                pass

            def clear_missed(self) -> None:
                pass

        store = Store(home)
        store.start()
        view = HistoryView(Controller(store))
        view.resize(900, 700)
        meter = StallMeter()

        def pump(seconds: float) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                qt.processEvents()
                time.sleep(0.001)

        t0 = time.perf_counter()
        view.show()
        while view.model.rowCount() == 0:
            qt.processEvents()
        first = (time.perf_counter() - t0) * 1000
        pump(0.3)
        meter.reset()
        bar = view.table.verticalScrollBar()
        while view.model.rowCount() < 3000:
            bar.setValue(bar.maximum())
            pump(0.02)
        for _ in range(200):  # and back up, row by row pages
            bar.setValue(max(0, bar.value() - 400))
            pump(0.005)
        scroll = meter.summary()
        rows_loaded = view.model.rowCount()
        meter.reset()
        for term in ("zaza", "lo", "+44 20", "pe", "x"):
            view.search.clear()
            for ch in term:
                view.search.insert(ch)
                pump(0.08)  # a fast typist
            pump(0.4)
        search = meter.summary()
        store.stop()
    finally:
        service.stop()
    print(f"first page shown {first:.0f} ms after show()")
    print(f"scrolling to {rows_loaded} rows and back: {scroll}")
    print(f"typing 5 searches a key at a time: {search}")
    print("target: no GUI-thread stall over 50 ms")


if __name__ == "__main__":
    main()
