#!/usr/bin/env python3
"""A storm of progress reports: CLIENTS threads, each reporting ever later
positions for its own file (PUT /api/v1/files/{id}/progress), for SECONDS
or until the server stops answering. Writes one line per file to OUT: the
file id, the last position the server acknowledged (200) and the wall-clock
time of that acknowledgement, so a test can check that nothing
acknowledged was lost. Used by watch_state.sh and backup_restore.sh.

usage: progress_storm.py URL SECONDS OUT FILE_ID...
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
file_ids = [int(x) for x in sys.argv[4:]]
parsed = urllib.parse.urlparse(url)
acked = {}
statuses = {}
lock = threading.Lock()
deadline = time.time() + seconds


def client(file_id):
    conn = None
    position = 1.0
    history = []
    while time.time() < deadline:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            body = json.dumps({"position": position, "duration": 1e6})
            conn.request("PUT", f"/api/v1/files/{file_id}/progress", body,
                         {"Content-Type": "application/json"})
            res = conn.getresponse()
            res.read()
            if res.status == 200:
                history.append((position, time.time()))
            with lock:
                statuses[res.status] = statuses.get(res.status, 0) + 1
            position += 1.0
        except (OSError, http.client.HTTPException):
            # The server went away (kill -9): what was acknowledged stands.
            if conn is not None:
                conn.close()
            conn = None
            try:
                http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=1).connect()
            except OSError:
                break
    with lock:
        acked[file_id] = history


threads = [threading.Thread(target=client, args=(f,)) for f in file_ids]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("# storm: answers by status:", dict(sorted(statuses.items())), file=sys.stderr)
with open(out, "w") as f:
    for file_id, history in sorted(acked.items()):
        for position, when in history:
            f.write(f"{file_id} {position} {when:.6f}\n")
