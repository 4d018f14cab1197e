#!/usr/bin/env python3
"""Consumes with Idempotency-Keys from several workers while PostgreSQL crashes (bench/crash.sh).

Every worker sends consumes of 1 with a new key each; an answer that does not acknowledge the
consume (a connection error, a timeout, 503, 409 idempotency_key_in_use) is retried with the
same key until it does. The crash itself is done by crash.sh: this script only reads the
moment the database came back from a file. Prints one JSON object with what it saw.
"""
import http.client
import json
import os
import sys
import threading
import time

PORT = int(os.environ["PORT"])
TOKEN = os.environ["TOKEN"]
WORKERS = int(os.environ.get("WORKERS", "8"))
RUN_SECONDS = float(os.environ.get("RUN_SECONDS", "12"))
BACK_FILE = os.environ["BACK_FILE"]  # crash.sh writes the time PostgreSQL accepted connections again
FEATURE = "weight_entries"

lock = threading.Lock()
statuses = {}
acknowledged = {}  # profile -> keys acknowledged
last_ack_of_pending = []  # (key, first sent, acknowledged) of keys whose first attempt failed
stop = threading.Event()


def post(conn_box, path, key):
    try:
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("localhost", PORT, timeout=10)
        conn = conn_box[0]
        conn.request("POST", path, body='{"amount": 1}', headers={
            "Authorization": "Bearer " + TOKEN, "Content-Type": "application/json", "Idempotency-Key": key})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    except Exception as e:  # the answer is lost: the request may or may not have been done
        if conn_box[0] is not None:
            conn_box[0].close()
        conn_box[0] = None
        return type(e).__name__, b""


def worker(index):
    profile = "bench-%d" % (1 + 3 * index)  # generate.sql: every third profile is unlimited
    path = "/api/v1/profiles/%s/usage/%s/consume" % (profile, FEATURE)
    conn_box = [None]
    n = 0
    while not stop.is_set():
        n += 1
        key = "crash-%d-%d" % (index, n)
        first = time.time()
        retried = False
        while True:
            status, body = post(conn_box, path, key)
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status == 200:
                with lock:
                    acknowledged[profile] = acknowledged.get(profile, 0) + 1
                    if retried:
                        last_ack_of_pending.append((key, first, time.time()))
                break
            if status == 500 or (isinstance(status, int) and status not in (409, 503)):
                with lock:
                    statuses.setdefault("unexpected", []).append([key, status, body.decode()[:300]])
                break
            retried = True
            time.sleep(0.05)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
for t in threads:
    t.start()
time.sleep(RUN_SECONDS)
stop.set()
for t in threads:
    t.join(60)
back = float(open(BACK_FILE).read()) if os.path.exists(BACK_FILE) else None
print(json.dumps({
    "statuses": statuses,
    "acknowledged": acknowledged,
    "retried_keys": len(last_ack_of_pending),
    "db_back": back,
    "slowest_ack_after_db_back_s": None if back is None or not last_ack_of_pending
    else round(max(ack for _, _, ack in last_ack_of_pending) - back, 3),
}))
