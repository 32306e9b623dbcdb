"""A closed connection's page cache goes back to the system, not only to the C library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import memory

CACHE_MIB = 48


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_a_closed_connections_page_cache_is_given_back(tmp_path: Path) -> None:
    start = _resident_mib()
    conn = sqlite3.connect(tmp_path / "cache.db")
    conn.execute(f"PRAGMA cache_size=-{CACHE_MIB * 1024}")
    conn.execute("CREATE TABLE t (body BLOB)")
    kept = []  # what the process still holds, in among the cache's pages (as in a bot)
    for _ in range(CACHE_MIB * 300):
        conn.execute("INSERT INTO t VALUES (randomblob(3000))")
        kept.append(str(len(kept)) * 20)
    conn.commit()  # the cache is now full of the table's pages
    conn.close()  # freed, but may be kept by the C library: the strings pin the heap
    if not memory.give_back():
        pytest.skip("this C library cannot give memory back (not glibc)")
    assert _resident_mib() - start < CACHE_MIB / 2  # the cache's memory is not kept
