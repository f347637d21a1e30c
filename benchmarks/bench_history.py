"""Call history at scale (issue 4 targets, 1,000,000 calls): open with the migration check, the newest
100, the newest 100 matches of a substring search (rare, frequent, short and number terms), purge by
retention, and the encryption overhead against plain SQLite on the same workload.

Usage: python benchmarks/bench_history.py [--rows N]. Prints the figures; takes about two minutes.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlcipher3.dbapi2 as sqlcipher  # noqa: E402

from octasip.core.history import search_text  # noqa: E402
from octasip.storage import migrations  # noqa: E402
from octasip.storage.calls import CallLogRepository, time_id  # noqa: E402
from octasip.storage.db import open_database, transaction  # noqa: E402

SYLLABLES = ["an", "be", "ca", "do", "el", "fi", "ga", "ho", "is", "ju", "ka", "lo", "ma", "ne", "or", "pa",
             "qu", "ri", "sa", "te", "ul", "vi", "wa", "xe", "yo", "za"]


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def make_rows(n: int, seed: int = 7) -> list[tuple]:
    """n calls over five years: 3,000 contacts with a Zipf-like spread, 30% of calls from unknown numbers."""
    rng = random.Random(seed)
    contacts = [(f"{_word(rng, 2)} {_word(rng, 3)}", f"+44{rng.randrange(10**9, 10**10)}") for _ in range(3000)]
    weights = [1 / (i + 1) for i in range(len(contacts))]
    picks = rng.choices(range(len(contacts)), weights, k=n)
    t0 = time.time() - 5 * 365 * 86400
    step = 5 * 365 * 86400 / n
    rows = []
    for i in range(n):
        if rng.random() < 0.3:
            name, number = "", f"+1{rng.randrange(10**9, 10**10)}"
        else:
            name, number = contacts[picks[i]]
        uri = f"sip:{number}@sip.example.net"
        started = t0 + i * step
        answered = rng.random() < 0.8
        direction = "incoming" if rng.random() < 0.5 else "outgoing"
        missed = int(direction == "incoming" and not answered)
        status = "answered" if answered else ("missed" if missed else "failed")
        dur = rng.uniform(5, 600) if answered else 0.0
        ended = started + 3 + dur
        rows.append((time_id(started), 1, direction, uri, name, started, started + 3 if answered else None, ended,
                     ended, dur, status, missed, 200 if answered else 487, "", "tls", "PCMU",
                     "AES_CM_128_HMAC_SHA1_80", 2.5, 0.0, 1.0, search_text(uri, name)))
    return rows


INSERT = ("INSERT INTO calls (id, account_id, direction, remote_uri, remote_name, started_at, answered_at, ended_at,"
          " last_seen_at, duration, status, missed, code, reason, transport, codec, srtp_suite, jitter_ms,"
          " loss_pct, rtt_ms, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def connect(path: Path, key: bytes | None):
    if key is not None:
        return open_database(path, key)
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)  # no key: plain SQLite
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA cache_size = -8192")
    conn.execute("PRAGMA secure_delete = ON")
    migrations.migrate(conn)
    return conn


def ms(fn, repeat: int = 5) -> float:
    """Median wall time of fn() in ms, cold first call excluded."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(path: Path, key: bytes | None, rows: list[tuple], terms: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    conn = connect(path, key)
    t = time.perf_counter()
    with transaction(conn):
        conn.executemany(INSERT, rows)
    out["bulk insert (s)"] = time.perf_counter() - t
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

    opens = []
    for _ in range(7):
        t = time.perf_counter()
        c = connect(path, key)
        opens.append((time.perf_counter() - t) * 1000)
        c.close()
    out["open + migration check (ms)"] = statistics.median(opens[1:])

    conn = connect(path, key)
    repo = CallLogRepository(conn)
    out["newest 100 (ms)"] = ms(lambda: repo.newest(100))
    out["newest 100 missed (ms)"] = ms(lambda: repo.newest(100, filter="missed"))
    last = repo.newest(100)[-1]
    out["next page of 100 (ms)"] = ms(lambda: repo.newest(100, before=last.id))
    for label, term in terms.items():
        n = len(repo.search(term, 100))
        out[f"search {label} -> {n} (ms)"] = ms(lambda term=term: repo.search(term, 100))
    for share in (0.01, 0.1, 0.9):  # a daily purge; 30 days of a year; "7 days" chosen after years
        cutoff = rows[int(len(rows) * share)][5]
        t = time.perf_counter()
        with transaction(conn):
            purged = repo.purge_before(cutoff)
        out[f"purge to {share:.0%}: {purged} rows (ms)"] = (time.perf_counter() - t) * 1000
    conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    t = time.perf_counter()
    rows = make_rows(args.rows)
    print(f"generated {len(rows)} rows in {time.perf_counter() - t:.1f} s")
    from collections import Counter

    names = Counter(r[4] for r in rows if r[4])
    top_name = names.most_common(1)[0][0]
    rare_name = min(names, key=lambda n: names[n])
    uk = [r[3] for r in rows if r[3].startswith("sip:+44")]
    # the worst case for the index route: a term in ~0.3% of calls (too rare for the walk to fill a page)
    medium_name = min(names, key=lambda n: abs(names[n] - len(rows) * 0.003))
    pairs = Counter(p for n, c in names.items() for p in {n.lower()[i:i + 2] for i in range(len(n) - 1)}
                    for _ in range(c) if " " not in p)
    rare_pair = min(pairs, key=lambda p: pairs[p])
    terms = {
        "frequent name": top_name.split()[1][:5].lower(),
        "rare name": rare_name.split()[-1],
        f"medium name ({names[medium_name]} calls)": medium_name,
        "absent": "qqqxx",
        "number (7 digits)": uk[len(uk) // 2][7:14],
        "number, formatted": "+44 " + uk[len(uk) // 3][7:10] + "-" + uk[len(uk) // 3][10:13],
        "2 chars, frequent": "an",
        f"2 chars, rare ({pairs[rare_pair]} calls)": rare_pair,
        "1 char": "q",
    }
    work = Path(tempfile.mkdtemp(prefix="octasip-history-"))
    try:
        enc = run(work / "enc.db", secrets.token_bytes(32), rows, terms)
        plain = run(work / "plain.db", None, rows, terms)
    finally:
        shutil.rmtree(work)
    print(f"{'figure':44} {'encrypted':>10} {'plain':>10} {'ratio':>6}")
    for k in enc:
        pk = next((p for p in plain if p.split(" ->")[0].split(" rows")[0] == k.split(" ->")[0].split(" rows")[0]),
                  k)
        print(f"{k:44} {enc[k]:10.2f} {plain[pk]:10.2f} {enc[k] / max(plain[pk], 1e-9):6.2f}")
    def total(d: dict[str, float], kind: str) -> float:
        return sum(v for k, v in d.items() if "(ms)" in k and k.startswith(kind))

    print("targets (1M rows): open <= 5 ms, newest 100 <= 2 ms, search <= 25 ms, purge <= 2000 ms, "
          "encryption overhead <= 1.5x")
    reads = [k for k in ("newest", "next", "search")]
    enc_r, plain_r = sum(total(enc, k) for k in reads), sum(total(plain, k) for k in reads)
    print(f"encryption overhead: reads (newest + pages + searches) {enc_r / plain_r:.2f}x, bulk insert "
          f"{enc['bulk insert (s)'] / plain['bulk insert (s)']:.2f}x, purges "
          f"{total(enc, 'purge') / total(plain, 'purge'):.2f}x")


if __name__ == "__main__":
    main()
