#!/usr/bin/env bash
# Two builds of the service measured in turn on the same data, a new JVM for every run, so that a
# change is compared with what it changes in one sitting (bench/README.md, "Comparing two builds").
#   bench/pairs.sh BEFORE AFTER [check|consume|entitlements] [ROUNDS]
# BEFORE and AFTER are git revisions (built here, in worktrees under WORK) or directories that
# already hold a packaged service (quarkus-run.jar). Knobs: WARMUP=20s DURATION=15s CONNECTIONS=32
# SMALL=10000 PGPORT=55435 (ports and data directory of its own, as bench/crash.sh has, so that it
# never takes over a cluster bench/run.sh is using).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 4,8p "$0"; exit 1; }
BEFORE=$1
AFTER=$2
MODE=${3:-check}
ROUNDS=${4:-3}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-15s}
C=${CONNECTIONS:-32}
SMALL=${SMALL:-10000}
PORT=${PORT:-18680}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19680}
PGPORT=${PGPORT:-55435}
PGDATA_DIR=${PGDATA_DIR:-/tmp/subscription-pairs-pg}
WORK=${WORK:-target/bench-pairs}
source bench/lib.sh
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk"; exit 1; }

# the worktrees go when the script ends, however it ends (lib.sh's cleanup stops the service and the cluster)
remove_trees() { for tree in "$WORK"/tree-*; do [ -d "$tree" ] && git worktree remove --force "$tree" || true; done; }
trap 'cleanup; remove_trees' EXIT

# app NAME REVISION-or-DIRECTORY -> the directory of its packaged service
app() {
  if [ -f "$2/quarkus-run.jar" ]; then echo "$2"; return; fi
  local tree="$WORK/tree-$1"
  git worktree remove --force "$tree" >/dev/null 2>&1 || true
  git worktree prune
  git worktree add --detach "$tree" "$2" >/dev/null
  (cd "$tree" && ./mvnw -q -B package -DskipTests >/dev/null)
  echo "$tree/target/quarkus-app"
}
echo "== build: $BEFORE, $AFTER"
BEFORE_APP=$(app before "$BEFORE")
AFTER_APP=$(app after "$AFTER")

reserve_huge_pages 4096
new_cluster -c max_connections=200 -c shared_buffers=4GB -c max_wal_size=4GB
SERVICE_TOKEN=$(dev-keys/token.sh service bench 24)
ADMIN_TOKEN=$(dev-keys/token.sh admin bench-admin 24)
# the later build migrates the schema; the earlier one runs on it (its own migrations are a prefix)
APP_DIR=$AFTER_APP start_service QUARKUS_LOG_LEVEL=WARN
load "$SMALL"
stop_service

# consumes start from counters at zero in every run, as in bench/run.sh
reset_counters() { [ "$MODE" != consume ] || psql_ -c "UPDATE user_feature_usage SET usage_count = 0 WHERE usage_count > 0" >/dev/null; }
cpu() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5}' /proc/stat; }   # all ticks, idle ticks

echo "== $MODE, $SMALL profiles, rounds: $ROUNDS; a new JVM per run, $WARMUP warm-up, then $DURATION"
printf '| %5s | %-6s | %8s | %7s | %7s | %19s | %6s |\n' round build req/s "p99 ms" non-200 "CPU/request JVM/PG" idle
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    [ "$build" = before ] && APP_DIR=$BEFORE_APP || APP_DIR=$AFTER_APP
    APP_DIR=$APP_DIR start_service QUARKUS_LOG_LEVEL=WARN
    reset_counters
    http "$MODE" "$SMALL" "$WARMUP" >/dev/null
    reset_counters
    read -r all0 idle0 <<<"$(cpu)"
    read -r rps _ p99 non200 jvm pg <<<"$(http "$MODE" "$SMALL")"
    read -r all1 idle1 <<<"$(cpu)"
    stop_service
    printf '| %5s | %-6s | %8s | %7s | %7s | %19s | %5s%% |\n' "$round" "$build" "$rps" "$p99" "$non200" \
      "$jvm / $pg us" "$(( (idle1 - idle0) * 100 / (all1 - all0) ))"
  done
done
