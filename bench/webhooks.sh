#!/usr/bin/env bash
# Events from outside (docs/events.md, docs/webhooks.md): the packaged service delivers to a local
# receiver that checks every signature itself (bench/webhooks.py); the trial, Wellpass and usage
# events arrive in order; then the service is killed (kill -9) in the middle of a backlog and
# started again, and every event of the backlog still arrives.
#   apt-get install -y postgresql            (once)
#   bench/webhooks.sh                        (PACKAGE=false to use the jar already built)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18580}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19580}
PGPORT=${PGPORT:-55434}
PGDATA_DIR=${PGDATA_DIR:-/tmp/subscription-webhooks-pg}
WORK=target/webhooks
source bench/lib.sh

[ "${PACKAGE:-true}" = true ] && ./mvnw -q -B package -DskipTests
new_cluster
# private targets and http only because the receiver is this machine's; the lease is shortened so
# that the deliveries the killed service had claimed are sent again within seconds, not a minute
SERVICE_ENV=(SUBSCRIPTIONS_WEBHOOKS_ALLOW_HTTP=true SUBSCRIPTIONS_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true
             SUBSCRIPTIONS_WEBHOOKS_LEASE=15s QUARKUS_SCHEDULER_ENABLED=true)
start_service "${SERVICE_ENV[@]}"
rm -f "$WORK/kill-now" "$WORK/restarted"

PORT=$PORT WORK=$WORK ADMIN_TOKEN=$(dev-keys/token.sh admin webhooks 1) \
  PSQL="$PGBIN/psql -X -q -h localhost -p $PGPORT -U postgres -d subscriptions" \
  python3 bench/webhooks.py > "$WORK/result.txt" &
DRIVER=$!
while [ ! -e "$WORK/kill-now" ]; do
  kill -0 $DRIVER 2>/dev/null || { cat "$WORK/result.txt"; exit 1; }
  sleep 0.1
done
echo "kill -9 of the service in the middle of the backlog"
kill -9 "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
mv "$WORK/service.log" "$WORK/service-killed.log"
start_service "${SERVICE_ENV[@]}"
touch "$WORK/restarted"
echo "started again in ${STARTUP_MS} ms"
status=0; wait $DRIVER || status=$?
cat "$WORK/result.txt"
exit $status
