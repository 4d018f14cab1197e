#!/usr/bin/env python3
"""The events of docs/events.md seen from outside, through a webhook (bench/webhooks.sh).

A local receiver checks every request's Standard Webhooks signature with its own code (HMAC-SHA256
over "id.timestamp.body" with the secret's decoded bytes) and keeps the CloudEvents by id. The
driver walks the "Done when" of the events: a trial registration to grant.expiring, grant.expired
and profile.tier_changed (time is moved by moving the trial's dates in the database, then running
the job); a Wellpass redemption (grant.paused) and its end (grant.resumed); consumes to 80 % and
100 % (two usage.threshold_reached). Then it registers BACKLOG profiles while the receiver answers
slowly (2 s each), asks webhooks.sh to kill the service (kill -9) mid-backlog and to start it again, and waits
until every event has arrived. Prints one JSON object; exits 1 on a failure.
"""
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import uuid

PORT = int(os.environ["PORT"])
RECEIVER_PORT = int(os.environ.get("RECEIVER_PORT", "18590"))
ADMIN = os.environ["ADMIN_TOKEN"]
PSQL = os.environ["PSQL"].split()
WORK = os.environ["WORK"]
BACKLOG = int(os.environ.get("BACKLOG", "300"))
LIMIT_S = float(os.environ.get("LIMIT_S", "120"))

lock = threading.Condition()
received = {}  # webhook-id -> CloudEvent
deliveries = 0
bad_signatures = []
secrets = []  # the endpoint's secret keys (decoded)
slow = threading.Event()


class Receiver(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        global deliveries
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        webhook_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        signed = ("%s.%s." % (webhook_id, timestamp)).encode() + body
        offered = [s.split(",", 1)[1] for s in self.headers.get("webhook-signature", "").split(" ") if s.startswith("v1,")]
        expected = [base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode() for key in secrets]
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        if slow.is_set():  # the backlog phase: a receiver that takes its time
            time.sleep(2)
        with lock:
            deliveries += 1
            if not fresh or not any(hmac.compare_digest(o, e) for o in offered for e in expected):
                bad_signatures.append(webhook_id)
            else:
                received[webhook_id] = json.loads(body)
            lock.notify_all()
        self.send_response(204)
        self.end_headers()


def call(method, path, body=None, token=ADMIN, expect=(200, 201, 204)):
    conn = http.client.HTTPConnection("localhost", PORT, timeout=30)
    conn.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body),
                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status not in expect:
        raise AssertionError("%s %s -> %s %s" % (method, path, response.status, data[:300]))
    return json.loads(data) if data else None


def sql(statement):
    subprocess.run(PSQL + ["-c", statement], check=True, stdout=subprocess.DEVNULL)


def events_of(profile):
    with lock:
        return sorted((e for e in received.values() if e["subject"] == profile), key=lambda e: e["sequence"])


def await_types(profile, wanted, limit=20):
    """Waits until the profile's received events contain the types of wanted, in that order."""
    deadline = time.time() + limit
    with lock:
        while True:
            types = [e["type"] for e in sorted((e for e in received.values() if e["subject"] == profile),
                                               key=lambda e: e["sequence"])]
            rest = iter(types)
            if all(t in rest for t in wanted):
                return types
            if time.time() > deadline:
                raise AssertionError("%s: wanted %s in order, received %s" % (profile, wanted, types))
            lock.wait(0.5)


def registered(email_prefix):
    profile = call("POST", "/profiles", {"email": "%s-%s@example.com" % (email_prefix, uuid.uuid4().hex[:8])})["id"]
    call("PATCH", "/profiles/" + profile, {"emailVerified": True})
    return profile


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = call("POST", "/webhooks", {"url": "http://127.0.0.1:%d/hook" % RECEIVER_PORT, "eventTypes": [],
                                          "description": "webhooks.sh"})
    secrets.append(base64.b64decode(endpoint["secret"][len("whsec_"):]))
    result = {}

    # a trial: registered, activated; 2 days before its end grant.expiring; its end
    trial = registered("trial")
    await_types(trial, ["profile.registered", "grant.created", "profile.activated"])
    sql("UPDATE access_grants SET valid_from = valid_from - INTERVAL '12 days', "
        "valid_until = now() + INTERVAL '2 days' WHERE profile_id = '%s'" % trial)
    call("POST", "/admin/jobs/expire-grants")
    await_types(trial, ["grant.expiring"])
    sql("UPDATE access_grants SET valid_until = now() - INTERVAL '1 second' WHERE profile_id = '%s'" % trial)
    call("POST", "/admin/jobs/expire-grants")
    result["trial"] = await_types(trial, ["profile.registered", "grant.expiring", "grant.expired",
                                          "profile.tier_changed"])
    tier_changes = [e["data"] for e in events_of(trial) if e["type"] == "profile.tier_changed"]
    assert tier_changes[-1]["from"] == "premium" and tier_changes[-1]["to"] == "free", tier_changes

    # a Wellpass redemption pauses the trial; its end resumes it
    code = "WELLPASS-" + uuid.uuid4().hex[:8].upper()
    call("POST", "/coupons", {"code": code, "type": "wellpass", "tierId": "premium", "durationDays": 30})
    member = registered("wellpass")
    redeemed = call("POST", "/profiles/%s/redemptions" % member, {"code": code})
    await_types(member, ["grant.created", "grant.paused"])
    sql("UPDATE access_grants SET valid_from = now() - INTERVAL '30 days', "
        "valid_until = now() - INTERVAL '1 second' WHERE id = '%s'" % redeemed["grant"]["id"])
    call("POST", "/admin/jobs/resume-grants")
    result["wellpass"] = await_types(member, ["grant.paused", "coupon.redeemed", "grant.expired", "grant.resumed"])

    # 80 % and 100 % of a limit of 10
    user = registered("usage")
    call("PUT", "/profiles/%s/overrides/ai_calls" % user, {"limit": 10, "reason": "webhooks.sh"})
    for amount in (7, 1, 1, 1):
        call("POST", "/profiles/%s/usage/ai_calls/consume" % user, {"amount": amount})
    result["usage"] = await_types(user, ["usage.threshold_reached", "usage.threshold_reached"])
    thresholds = [(e["data"]["threshold"], e["data"]["used"]) for e in events_of(user)
                  if e["type"] == "usage.threshold_reached"]
    assert thresholds == [(80, 8), (100, 10)], thresholds

    # a backlog, and a kill -9 of the service in the middle of it
    slow.set()
    with lock:
        before = len(received)
    backlog = [call("POST", "/profiles", {"email": "backlog-%d-%s@example.com" % (i, uuid.uuid4().hex[:6])})["id"]
               for i in range(BACKLOG)]
    with lock:
        result["received_before_kill"] = len(received) - before
    open(os.path.join(WORK, "kill-now"), "w").close()
    while not os.path.exists(os.path.join(WORK, "restarted")):
        time.sleep(0.1)
    slow.clear()
    deadline = time.time() + LIMIT_S
    with lock:
        while True:
            missing = [p for p in backlog if not any(e["subject"] == p and e["type"] == "profile.registered"
                                                   for e in received.values())]
            if not missing or time.time() > deadline:
                break
            lock.wait(1)
        result.update(backlog=BACKLOG, missing_after_restart=len(missing), events_received=len(received),
                      deliveries=deliveries, sent_again=deliveries - len(received) - len(bad_signatures),
                      bad_signatures=len(bad_signatures))
    print(json.dumps(result, indent=1))
    ok = not missing and not bad_signatures
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAIL:", e)
        sys.exit(1)
