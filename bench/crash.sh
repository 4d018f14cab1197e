#!/usr/bin/env bash
# Crash drill for retried writes (docs/idempotency.md): 8 workers consume with Idempotency-Keys
# against the packaged service while PostgreSQL is killed (pg_ctl -m immediate, a crash) and
# started again 2 s later; every unacknowledged consume is retried with its key. Passes when
# the counters equal the acknowledged keys exactly, no answer was a 500, and every key was
# acknowledged within 10 s of the database's return.
#   apt-get install -y postgresql            (once)
#   bench/crash.sh                           (PACKAGE=false to use the jar already built)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18480}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19480}
PGPORT=${PGPORT:-55433}
PGDATA_DIR=${PGDATA_DIR:-/tmp/subscription-crash-pg}
WORK=target/crash
source bench/lib.sh

[ "${PACKAGE:-true}" = true ] && ./mvnw -q -B package -DskipTests
new_cluster
start_service
psql_ -v n=30 -f bench/generate.sql >/dev/null

rm -f "$WORK/back"
PORT=$PORT TOKEN=$(dev-keys/token.sh service crash 1) BACK_FILE="$WORK/back" RUN_SECONDS=12 \
  python3 bench/crash.py > "$WORK/result.json" &
DRIVER=$!
sleep 3
echo "crash: pg_ctl -m immediate stop"
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null
sleep 2
pg_start
date +%s.%N > "$WORK/back"
echo "PostgreSQL is back"
wait $DRIVER

python3 - "$WORK/result.json" "$(psql_ -At -c "SELECT json_object_agg(profile_id, usage_count) FROM user_feature_usage
  WHERE feature_id = 'weight_entries' AND usage_count > 0")" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
stored = json.loads(sys.argv[2] or "{}")
print(json.dumps(result, indent=1))
print("stored counters:", stored)
ok = True
if stored != result["acknowledged"]:
    print("FAIL: the counters differ from the acknowledged keys"); ok = False
if "500" in result["statuses"] or "unexpected" in result["statuses"]:
    print("FAIL: unexpected answers"); ok = False
slowest = result["slowest_ack_after_db_back_s"]
if result["retried_keys"] == 0 or slowest is None or slowest > 10:
    print("FAIL: keys not acknowledged within 10 s of the database's return (or no key met the crash)"); ok = False
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
