#!/usr/bin/env python3
"""Pins a scan under way: waits until the catalog DB exists and its scan
status row says "scanning", then takes SQLite's write lock and, when the
row still says so under it, keeps the lock. While it is held the scan
can neither commit nor write its end ("idle"): whatever a test asks then
sees a scan that has certainly not finished, however fast the machine.
Prints "looking" once it looks (start the server only then), then
"pinned" (or "missed" when the scan was never seen under way within
SECONDS), and holds the lock until the file LET_GO exists, HOLD seconds
at the most: the scan's writes wait for the lock up to the catalog's busy
timeout (10 s) and then fail the scan, so the hold always ends well
before that, however slow the test. Used by server_api.sh.

usage: hold_scan.py DB LET_GO [SECONDS [HOLD]]
"""
import os
import sqlite3
import sys
import time

db, let_go = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 60
hold = min(float(sys.argv[4]) if len(sys.argv) > 4 else 5, 8)
deadline = time.monotonic() + seconds


def look():
    """A connection holding the write lock while the row says scanning;
    None otherwise (no lock kept)."""
    if not os.path.exists(db):
        return None
    conn = None
    try:
        # mode=rw: never create the file before the server does.
        conn = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=5,
                               isolation_level=None)
        # A plain read first (WAL: never waits for the scan's writes),
        # then the lock, and the same question again under it.
        query = "SELECT state FROM scan_status WHERE id = 1"
        row = conn.execute(query).fetchone()
        if row and row[0] == "scanning":
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute(query).fetchone()
            if row and row[0] == "scanning":
                return conn
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # not made yet (no table, no row), or busy: look again
    if conn:
        conn.close()
    return None


print("looking", flush=True)  # the test starts the server only now
held = None
while held is None and time.monotonic() < deadline:
    held = look()
    if held is None:
        time.sleep(0.002)
print("pinned" if held else "missed", flush=True)
# Until the test lets go; bounded (above), and so a test that dies cannot
# leave the catalog locked behind it either.
end = time.monotonic() + hold
while held and not os.path.exists(let_go) and time.monotonic() < end:
    time.sleep(0.01)
if held:
    held.execute("ROLLBACK")
    held.close()
