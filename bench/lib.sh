# Shared by bench/run.sh, bench/pairs.sh and bench/crash.sh (sourced, not run): a throw-away
# PostgreSQL cluster and the packaged service on this machine. The caller sets PORT,
# MANAGEMENT_PORT, PGPORT, PGDATA_DIR and WORK first.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found: apt-get install -y postgresql postgresql-contrib"; exit 1; }
mkdir -p "$WORK"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { "$PGBIN/psql" -X -q -h localhost -p "$PGPORT" -U postgres -d subscriptions "$@"; }
SERVICE_PID=
HUGEPAGES_BEFORE=
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
  [ -n "$HUGEPAGES_BEFORE" ] && echo "$HUGEPAGES_BEFORE" > /proc/sys/vm/nr_hugepages || true
}
trap cleanup EXIT

# pg_start [postgres -c options...]: starts (or restarts) the cluster on PGPORT
PG_OPTIONS=
pg_start() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/log" -w \
    -o "-p $PGPORT -c listen_addresses=localhost $PG_OPTIONS" start >/dev/null \
    || { tail -5 "$PGDATA_DIR/log"; echo "PostgreSQL did not start (another port: PGPORT=...)"; exit 1; }
}

# new_cluster [postgres -c options...]: an empty cluster with the database "subscriptions"
new_cluster() {
  PG_OPTIONS="$*"
  rm -rf "$PGDATA_DIR" && mkdir -p "$PGDATA_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
  as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust >/dev/null
  pg_start
  "$PGBIN/createdb" -h localhost -p "$PGPORT" -U postgres subscriptions
}

# CPU time (clock ticks, user + system) of the service's JVM and of the cluster's PostgreSQL processes
jvm_ticks() { awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat"; }
pg_ticks() {
  local postmaster
  postmaster=$(head -1 "$PGDATA_DIR/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do cat "/proc/$pid/stat" 2>/dev/null || true; done \
    | awk '{t += $14 + $15} END {print t + 0}'
}

# start_service [VAR=value...]: the packaged service (APP_DIR, target/quarkus-app by default) against
# the cluster, until it is ready; sets SERVICE_PID and STARTUP_MS
start_service() {
  local started=$(date +%s%N)
  env QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PGPORT/subscriptions" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PGPORT/subscriptions" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION=dev-keys/dev-public-key.pem MP_JWT_VERIFY_ISSUER=subscription-dev \
    QUARKUS_SCHEDULER_ENABLED=false "$@" \
    java -jar "${APP_DIR:-target/quarkus-app}/quarkus-run.jar" > "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 2400); do
    curl -sf "localhost:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
    sleep 0.05
  done
  STARTUP_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}

stop_service() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=
}

# The caller also sets C (wrk's connections), DURATION, SERVICE_TOKEN and ADMIN_TOKEN for these two.
load() {  # profiles
  echo "== data: $1 profiles x 11 usage rows"
  psql_ -v n="$1" -f bench/generate.sql >/dev/null
  # rows written by SQL have no stored effective state yet: the job writes it, as after any such change
  local started=$(date +%s%N)
  curl -sf -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "localhost:$PORT/api/v1/admin/jobs/expire-grants" >/dev/null
  echo "stored states written in $(( ($(date +%s%N) - started) / 1000000 )) ms"
  psql_ -c "VACUUM ANALYZE profiles" >/dev/null
  # the load's writes (about 4 GB at 1,000,000 profiles) are flushed now, not by checkpoints running
  # through the measurements after it (bench/README.md, "The load's checkpoints")
  psql_ -c CHECKPOINT >/dev/null
  # both sizes are measured from PostgreSQL's cache: at 1,000,000 profiles the data is about 4 GB
  psql_ -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" -c "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')" >/dev/null
}
http() {  # mode profiles [duration] -> "rps p50 p99 non200 jvm_us pg_us", the last two CPU time per request
  local out jvm0 pg0
  jvm0=$(jvm_ticks); pg0=$(pg_ticks)
  out=$(MODE=$1 PROFILES=$2 TOKEN=$SERVICE_TOKEN wrk -t2 -c"$C" -d"${3:-$DURATION}" --latency -s bench/request.lua \
        "http://localhost:$PORT" | grep '^RESULT')
  echo "$out" | sed -E 's/RESULT rps=([0-9]+) p50=([0-9.]+) p99=([0-9.]+) non200=([0-9]+) requests=([0-9]+)/\1 \2 \3 \4 \5/' \
    | awk -v j="$(( $(jvm_ticks) - jvm0 ))" -v p="$(( $(pg_ticks) - pg0 ))" -v hz="$(getconf CLK_TCK)" \
        '{printf "%s %s %s %s %.0f %.0f\n", $1, $2, $3, $4, j * 1e6 / hz / $5, p * 1e6 / hz / $5}'
}

# place apart|together: on "apart", the service's threads run on the first half of the cores and the
# cluster's processes (new backends inherit the postmaster's) on the other half, as when the database
# has a machine of its own; "together" gives both every core again. Returns 1 where that cannot be done
# (one core, no taskset). wrk and pgbench keep every core. (bench/README.md, "Cores of their own")
place() {
  local n cores_service cores_pg postmaster
  n=$(nproc)
  [ "$n" -ge 2 ] && command -v taskset >/dev/null || return 1
  if [ "$1" = apart ]; then
    cores_service="0-$(( n / 2 - 1 ))"; cores_pg="$(( n / 2 ))-$(( n - 1 ))"
  else
    cores_service="0-$(( n - 1 ))"; cores_pg=$cores_service
  fi
  postmaster=$(head -1 "$PGDATA_DIR/postmaster.pid")
  taskset -a -cp "$cores_service" "$SERVICE_PID" >/dev/null 2>&1 || return 1   # e.g. CPUs of a cpuset not numbered from 0
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do taskset -a -cp "$cores_pg" "$pid" >/dev/null 2>&1 || true; done
}

# reserve_huge_pages MB: as root, reserves huge pages for a PostgreSQL buffer pool of MB megabytes
# (plus a tenth for the rest of its shared memory) until the script exits. PostgreSQL's default
# huge_pages=try maps its shared memory in them; without them, a large buffer pool in 4 kB pages
# costs every buffer access TLB misses (bench/README.md, "Huge pages"). Elsewhere it does nothing.
reserve_huge_pages() {
  local size pages before
  [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/nr_hugepages ] || return 0
  size=$(awk '/Hugepagesize/ {print $2}' /proc/meminfo)
  pages=$(( $1 * 1024 * 11 / 10 / size ))
  before=$(cat /proc/sys/vm/nr_hugepages)
  [ "$before" -lt "$pages" ] || return 0
  echo "$pages" > /proc/sys/vm/nr_hugepages && HUGEPAGES_BEFORE=$before
}
# huge pages taken or promised (PostgreSQL 15 has no huge_pages_status): compared before and after
# the cluster starts, it says whether its shared memory went into them
huge_pages_in_use() {
  awk '/HugePages_Total/ {t = $2} /HugePages_Free/ {f = $2} /HugePages_Rsvd/ {r = $2} END {print t - f + r}' /proc/meminfo
}
