#!/usr/bin/env bash
# One command for the whole benchmark (bench/README.md): builds the service, starts a
# throw-away PostgreSQL and the packaged service on this machine, loads generated data,
# measures with wrk and pgbench, and prints one table.
#   apt-get install -y postgresql postgresql-contrib wrk     (once)
#   bench/run.sh                    (DURATION=15s WARMUP=30s CONNECTIONS=32 SMALL=10000 LARGE=1000000 GRANTS=1000000)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
C=${CONNECTIONS:-32}
SMALL=${SMALL:-10000}
LARGE=${LARGE:-1000000}
GRANTS=${GRANTS:-1000000}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19000}
PGPORT=${PGPORT:-55432}
PGDATA_DIR=${PGDATA_DIR:-/tmp/subscription-bench-pg}
WORK=target/bench
source bench/lib.sh
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk"; exit 1; }

echo "== build"
./mvnw -q -B package -DskipTests
# the service's own check and consume statements as pgbench scripts, read from the packaged classes
java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' bench/BenchSql.java "$WORK"

echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PGPORT"
reserve_huge_pages 4096
HUGE_PAGES_BEFORE_START=$(huge_pages_in_use)
new_cluster -c max_connections=200 -c shared_buffers=4GB -c max_wal_size=4GB
HUGE_PAGES=$([ "$(huge_pages_in_use)" -gt "$HUGE_PAGES_BEFORE_START" ] && echo yes || echo no)
echo "shared memory in huge pages: $HUGE_PAGES"

echo "== service"
start_service QUARKUS_LOG_LEVEL=WARN
echo "ready in ${STARTUP_MS} ms (JVM, empty database, migrations included)"
SERVICE_TOKEN=$(dev-keys/token.sh service bench 24)
ADMIN_TOKEN=$(dev-keys/token.sh admin bench-admin 24)

live() {
  wrk -t2 -c"$C" -d"$DURATION" "http://localhost:$MANAGEMENT_PORT/q/health/live" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}
pg() {  # script profiles [database] -> tps, the median of three runs (32 clients on shared cores vary by +-20 %)
  for _ in 1 2 3; do
    as_pg "$PGBIN/pgbench" -n -M prepared -c "$C" -j 2 -T "${DURATION%s}" -D profiles="$2" -h localhost -p "$PGPORT" \
      -U postgres -f "$WORK/$1.sql" "${3:-subscriptions}" 2>/dev/null | awk '/^tps/ {printf "%.0f\n", $3}'
  done | sort -n | sed -n 2p
}
# the cheapest statements of their kind, in their own database: a primary-key select (pgbench's own
# select-only script on its default scale) and a single-row conditional update
"$PGBIN/createdb" -h localhost -p "$PGPORT" -U postgres pgbench
as_pg "$PGBIN/pgbench" -i -q -s 1 -h localhost -p "$PGPORT" -U postgres pgbench >/dev/null 2>&1
"$PGBIN/psql" -X -q -h localhost -p "$PGPORT" -U postgres -d pgbench -c "
  CREATE TABLE counters (key INTEGER PRIMARY KEY, n BIGINT NOT NULL);
  INSERT INTO counters SELECT i, 0 FROM generate_series(1, $SMALL) i" -c "VACUUM ANALYZE counters"
printf '\\set n random(1, :profiles)\nSELECT abalance FROM pgbench_accounts WHERE aid = :n;\n' > "$WORK/select.sql"
printf '\\set n random(1, :profiles)\nUPDATE counters SET n = n + 1 WHERE key = :n AND n + 1 <= 2147483647;\n' > "$WORK/update.sql"
ratio() { awk -v a="$1" -v p="$2" -v l="$3" 'BEGIN { h = 1 / (1/p + 1/l); printf "%.0f %.2f", h, a / h }'; }
row() { printf '| %-34s | %10s | %8s | %8s | %s\n' "$@"; }   # measurement req/s p50 p99 note
div() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN {printf f, a / b}'; }   # a b format
# large against small checks: req/s, p99 of the large ones, then of the small ones
scale() { awk -v a="$1" -v c="$2" -v b="$3" -v d="$4" 'BEGIN {printf "req/s %+.0f%%, p99 %+.0f%%", (a/b-1)*100, (c/d-1)*100}'; }

load "$SMALL"
http check "$SMALL" "$WARMUP" >/dev/null   # warm-up: the JIT compiles for about 30 s, pools, caches
L=$(live)
read -r CHECK_RPS CHECK_P50 CHECK_P99 CHECK_ERR CHECK_JVM CHECK_PG <<<"$(http check "$SMALL")"
P_CHECK=$(pg check "$SMALL")
read -r H_CHECK R_CHECK <<<"$(ratio "$CHECK_RPS" "$P_CHECK" "$L")"
P_SELECT=$(pg select 100000 pgbench)
read -r H_SELECT R_SELECT <<<"$(ratio "$CHECK_RPS" "$P_SELECT" "$L")"
http entitlements "$SMALL" >/dev/null   # each path is measured warm, as the check is
read -r ALL_RPS ALL_P50 ALL_P99 ALL_ERR _ _ <<<"$(http entitlements "$SMALL")"
http consume "$SMALL" >/dev/null
read -r CONSUME_RPS CONSUME_P50 CONSUME_P99 CONSUME_ERR CONSUME_JVM CONSUME_PG <<<"$(http consume "$SMALL")"
P_CONSUME=$(pg consume "$SMALL")
# under load, consumes commit in groups that run one statement for all (bench/README.md, "One statement
# for a group's consumes"): that statement for as many consumes as bench/BenchSql.java puts in a
# group (about a group's size here), in consumes/s
GROUP=$(grep -c '^\\set n' "$WORK/consume_group.sql")
P_CONSUME_GROUP=$(( $(pg consume_group "$SMALL") * GROUP ))
read -r H_CONSUME R_CONSUME <<<"$(ratio "$CONSUME_RPS" "$P_CONSUME_GROUP" "$L")"
P_UPDATE=$(pg update "$SMALL" pgbench)
read -r H_UPDATE R_UPDATE <<<"$(ratio "$CONSUME_RPS" "$P_UPDATE" "$L")"
RSS_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/$SERVICE_PID/status) / 1024 ))
# the same three paths on the same JVM, with the service and PostgreSQL on cores of their own; the
# ceilings L and P stay those of the whole machine (bench/README.md, "Cores of their own")
APART=
if place apart; then
  APART=yes
  http check "$SMALL" 10s >/dev/null
  read -r APART_CHECK_RPS APART_CHECK_P50 APART_CHECK_P99 APART_CHECK_ERR APART_CHECK_JVM APART_CHECK_PG <<<"$(http check "$SMALL")"
  read -r _ R_APART_SELECT <<<"$(ratio "$APART_CHECK_RPS" "$P_SELECT" "$L")"
  http entitlements "$SMALL" 10s >/dev/null
  read -r APART_ALL_RPS APART_ALL_P50 APART_ALL_P99 APART_ALL_ERR _ _ <<<"$(http entitlements "$SMALL")"
  # from the counters the first consume run started from, warmed up as that run was
  psql_ -c "UPDATE user_feature_usage SET usage_count = 0 WHERE usage_count > 0" -c "VACUUM user_feature_usage" >/dev/null
  http consume "$SMALL" >/dev/null
  read -r APART_CONSUME_RPS APART_CONSUME_P50 APART_CONSUME_P99 APART_CONSUME_ERR APART_CONSUME_JVM APART_CONSUME_PG <<<"$(http consume "$SMALL")"
  read -r _ R_APART_UPDATE <<<"$(ratio "$APART_CONSUME_RPS" "$P_UPDATE" "$L")"
  place together
fi

load "$LARGE"
http check "$LARGE" "$WARMUP" >/dev/null
read -r BIG_RPS BIG_P50 BIG_P99 BIG_ERR _ _ <<<"$(http check "$LARGE")"
if [ -n "$APART" ]; then
  place apart
  http check "$LARGE" 10s >/dev/null
  read -r APART_BIG_RPS APART_BIG_P50 APART_BIG_P99 _ _ _ <<<"$(http check "$LARGE")"
  place together
fi

echo "== jobs: expire-grants over $GRANTS due grants"
grants() {
  # as the service leaves them: each grant's profile stores the state the grant gave it (in force until
  # its end) and has announced that tier, so the expiry announces profile.tier_changed where the tier
  # falls; its events are numbered already (the grant's own grant.created). The triggers that mark a
  # state stale for changes made by SQL are off while inserting.
  psql_ -c "DELETE FROM access_grants WHERE id LIKE 'bench-%'" -c "SET session_replication_role = replica" -c "
    INSERT INTO access_grants (id, profile_id, tier_id, granted_by, valid_from, valid_until, created, updated)
    SELECT 'bench-' || i, 'bench-' || (1 + (i - 1) % $LARGE), 'premium', 'subscription',
           now() - interval '30 days', now() - interval '1 second', now(), now()
    FROM generate_series(1, $GRANTS) i" -c "
    UPDATE profiles p SET announced_tier = g.tier_id, state_stale = false, state_version = p.state_version + 1,
        state_tier = g.tier_id, state_source = 'grant', state_grant_id = g.id, state_granted_by = g.granted_by,
        state_valid_until = g.valid_until, state_from = g.valid_from, state_until = g.valid_until
    FROM access_grants g WHERE g.id LIKE 'bench-%' AND g.profile_id = p.id" -c "
    INSERT INTO event_sequences (profile_id, last)
    SELECT DISTINCT profile_id, 1 FROM access_grants WHERE id LIKE 'bench-%' ON CONFLICT DO NOTHING" \
    -c "VACUUM ANALYZE access_grants" -c "VACUUM ANALYZE profiles" -c "VACUUM ANALYZE event_sequences"
}
grants
psql_ -c CHECKPOINT >/dev/null   # each timing starts from clean buffers
JOB_MS=$(curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "localhost:$PORT/api/v1/admin/jobs/expire-grants" \
  | sed -E 's/.*"durationMs":([0-9]+).*/\1/')
grants
psql_ -c CHECKPOINT >/dev/null
UPDATE_MS=$(psql_ -c '\timing on' -c "UPDATE access_grants SET is_active = false, updated = now()
  WHERE is_active AND valid_until <= now()" | awk '/Time:/ {printf "%.0f", $2}')

echo
echo "Subscription service benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $C connections, $DURATION per run, PostgreSQL in huge pages: $HUGE_PAGES"
# settings given to the service from the environment (none: its defaults), so that a table says what it measured
SETTINGS=$(env | grep -E '^(SUBSCRIPTIONS|QUARKUS|DB)_' | sort | paste -sd ' ' - || true)
echo "Service settings from the environment: ${SETTINGS:-none (the defaults)}"
row "measurement" "req/s" "p50 ms" "p99 ms" "note"
printf '|%s|%s|%s|%s|%s\n' "------------------------------------" "------------" "----------" "----------" "------"
row "L: GET /q/health/live" "$L" "" "" "HTTP ceiling"
row "P: pgbench, the check's SQL" "$P_CHECK" "" "" "database ceiling, the check's own statement"
row "P: pgbench -S, a primary-key select" "$P_SELECT" "" "" "database ceiling, the cheapest read"
row "check (${SMALL} profiles)" "$CHECK_RPS" "$CHECK_P50" "$CHECK_P99" "non-200: $CHECK_ERR; CPU per check: JVM $CHECK_JVM us, PostgreSQL $CHECK_PG us"
row "  check vs its own statement" "" "" "" "h=$H_CHECK ratio=$R_CHECK (goal >= 0.60)"
row "  check vs a primary-key select" "" "" "" "h=$H_SELECT ratio=$R_SELECT (goal >= 0.50, p99 <= 5 ms)"
row "P: pgbench, the consume's SQL" "$P_CONSUME" "" "" "database ceiling, the consume's own statement"
row "P: pgbench, a group's consume SQL" "$P_CONSUME_GROUP" "" "" "consumes/s, $GROUP consumes in one statement, as a group runs them"
row "P: pgbench, a conditional UPDATE" "$P_UPDATE" "" "" "database ceiling, the cheapest atomic write"
row "consume (${SMALL} profiles)" "$CONSUME_RPS" "$CONSUME_P50" "$CONSUME_P99" "non-200: $CONSUME_ERR; CPU per consume: JVM $CONSUME_JVM us, PostgreSQL $CONSUME_PG us"
row "  consume vs its group's statement" "" "" "" "h=$H_CONSUME ratio=$R_CONSUME (goal >= 0.60)"
row "  consume vs a conditional UPDATE" "" "" "" "h=$H_UPDATE ratio=$R_UPDATE (goal >= 0.50, p99 <= 10 ms)"
row "GET /entitlements (all features)" "$ALL_RPS" "$ALL_P50" "$ALL_P99" "check/all = $(div "$CHECK_RPS" "$ALL_RPS" %.2f) (goal <= 1.5)"
if [ -n "$APART" ]; then
  row "cores apart: check" "$APART_CHECK_RPS" "$APART_CHECK_P50" "$APART_CHECK_P99" "non-200: $APART_CHECK_ERR; CPU per check: JVM $APART_CHECK_JVM us, PostgreSQL $APART_CHECK_PG us"
  row "  check vs a primary-key select" "" "" "" "h=$H_SELECT ratio=$R_APART_SELECT (goal >= 0.50, p99 <= 5 ms)"
  row "cores apart: consume" "$APART_CONSUME_RPS" "$APART_CONSUME_P50" "$APART_CONSUME_P99" "non-200: $APART_CONSUME_ERR; CPU per consume: JVM $APART_CONSUME_JVM us, PostgreSQL $APART_CONSUME_PG us"
  row "  consume vs a conditional UPDATE" "" "" "" "h=$H_UPDATE ratio=$R_APART_UPDATE (goal >= 0.50, p99 <= 10 ms)"
  row "cores apart: GET /entitlements" "$APART_ALL_RPS" "$APART_ALL_P50" "$APART_ALL_P99" "check/all = $(div "$APART_CHECK_RPS" "$APART_ALL_RPS" %.2f) (goal <= 1.5)"
fi
row "check (${LARGE} profiles)" "$BIG_RPS" "$BIG_P50" "$BIG_P99" "vs small: $(scale "$BIG_RPS" "$BIG_P99" "$CHECK_RPS" "$CHECK_P99") (goal within 20%)"
if [ -n "$APART" ]; then
  row "cores apart: ${LARGE} profiles" "$APART_BIG_RPS" "$APART_BIG_P50" "$APART_BIG_P99" "vs small, cores apart: $(scale "$APART_BIG_RPS" "$APART_BIG_P99" "$APART_CHECK_RPS" "$APART_CHECK_P99") (goal within 20%)"
fi
row "expire-grants, $GRANTS due grants" "" "" "" "${JOB_MS} ms vs plain UPDATE ${UPDATE_MS} ms = $(div "$JOB_MS" "$UPDATE_MS" %.1fx) (goal <= 2x)"
row "startup to ready; RSS under load" "" "" "" "${STARTUP_MS} ms; ${RSS_MB} MiB"
