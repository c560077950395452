#!/usr/bin/env bash
# stacklab load beside pgbench, against one PostgreSQL on loopback: same server, same tables (pgbench -i),
# same connections, one client thread each, closed loop, prepared statements, TPC-B (pgbench's default
# script) and select-only (-S). The server is pinned to CPU 0 and each client to CPU 1. Prints a Markdown
# table and keeps the raw outputs under bench/out/pg/. Usage: bench/pg-vs-pgbench.sh  (REPEATS=3
# CONNECTIONS=8 SECONDS_=10 SCALE=10 override the defaults; STACKLAB=path skips the release build).
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-8}
SECONDS_=${SECONDS_:-10}
SCALE=${SCALE:-10}
PORT=${PORT:-15432}
OUT=bench/out/pg

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pgbench" ] || [ ! -x /usr/bin/time ]; then
    echo "installing postgresql and time with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql time >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
if [ "$(nproc)" -lt 2 ]; then echo "needs 2 CPUs to pin server and client apart; found $(nproc)" >&2; exit 1; fi

if [ -z "${STACKLAB:-}" ]; then
    echo "building stacklab (release)" >&2
    swift build -c release --scratch-path .build-release --product stacklab >/dev/null
    STACKLAB=$(swift build -c release --scratch-path .build-release --show-bin-path)/stacklab
fi

rm -rf "$OUT" && mkdir -p "$OUT"
DATA=$(mktemp -d /tmp/stacklab-bench-pg.XXXXXX)
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DATA"; AS_PG=(runuser -u postgres --); fi
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA/data" -A trust -U postgres --no-sync >"$OUT/initdb.log" 2>&1
# Commits are not waited for on disk (synchronous_commit off), so the server is bound by its CPU, which
# is what a client's speed shows against, not by the VM's disk flushes.
"${AS_PG[@]}" taskset -c 0 "$PG_BIN/postgres" -D "$DATA/data" -p "$PORT" -k "$DATA" \
    -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c shared_buffers=256MB -c max_connections=50 \
    >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.1; done
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
PGB=("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres)

measure() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" taskset -c 1 "$@" > "$OUT/$name.out" 2>&1
}
cpu() { awk '{print $2 + $3}' "$OUT/$1.time"; }
wall() { awk '{print $1}' "$OUT/$1.time"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$OUT/$1.json" "$2"; }
per_txn_us() { python3 -c "print(f'{$1 * 1e6 / $2:.1f}')"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pgb_tps() { awk '/^tps = / {print int($3)}' "$OUT/$1.out"; }
pgb_txns() { awk -F': ' '/number of transactions actually processed/ {split($2, a, "/"); print a[1]}' "$OUT/$1.out"; }

# Both load the same scale into a database of their own, timed: pgbench -i (client-side COPY) and
# stacklab (server-side generate_series, like pgbench -i -I dtGvp).
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres stacklab_load
measure init-pgbench "${PGB[@]}" -i -s "$SCALE" -q postgres
measure init-stacklab "$STACKLAB" load "postgres://postgres@127.0.0.1:$PORT/stacklab_load" --transaction tpcb \
    --scale "$SCALE" -c 1 -t 1 -d 1s -q --json "$OUT/init-stacklab.json"
SL_LOAD_S=$(json init-stacklab "round(d['dataLoad']['seconds'], 2)")
"$PG_BIN/dropdb" -h 127.0.0.1 -p "$PORT" -U postgres stacklab_load
"${PGB[@]}" -c 1 -T 1 -n -M prepared postgres > "$OUT/warm.out" 2>&1 || true

echo "closed loop, $CONNECTIONS connections, 1 client thread, ${SECONDS_}s, scale $SCALE, $REPEATS runs each, alternating" >&2
declare -a PB_B PB_S SL_B SL_S PB_B_CPU PB_S_CPU SL_B_CPU SL_S_CPU SL_B_ERR
for run in $(seq "$REPEATS"); do
    measure "pgbench-tpcb-$run" "${PGB[@]}" -n -M prepared -c "$CONNECTIONS" -j 1 -T "$SECONDS_" postgres
    PB_B+=("$(pgb_tps pgbench-tpcb-$run)")
    PB_B_CPU+=("$(per_txn_us "$(cpu pgbench-tpcb-$run)" "$(pgb_txns pgbench-tpcb-$run)")")
    measure "stacklab-tpcb-$run" "$STACKLAB" load "$URL" --no-load --transaction tpcb --scale "$SCALE" \
        -c "$CONNECTIONS" -t 1 -d "${SECONDS_}s" -q --json "$OUT/stacklab-tpcb-$run.json"
    SL_B+=("$(json stacklab-tpcb-$run "round(d['achievedRate'])")")
    SL_B_CPU+=("$(per_txn_us "$(cpu stacklab-tpcb-$run)" "$(json stacklab-tpcb-$run "d['requests']['completed']")")")
    SL_B_ERR+=("$(json stacklab-tpcb-$run "sum(d['errors'].values())")")
    measure "pgbench-select-$run" "${PGB[@]}" -n -M prepared -S -c "$CONNECTIONS" -j 1 -T "$SECONDS_" postgres
    PB_S+=("$(pgb_tps pgbench-select-$run)")
    PB_S_CPU+=("$(per_txn_us "$(cpu pgbench-select-$run)" "$(pgb_txns pgbench-select-$run)")")
    measure "stacklab-select-$run" "$STACKLAB" load "$URL" --no-load --transaction point-select --scale "$SCALE" \
        -c "$CONNECTIONS" -t 1 -d "${SECONDS_}s" -q --json "$OUT/stacklab-select-$run.json"
    SL_S+=("$(json stacklab-select-$run "round(d['achievedRate'])")")
    SL_S_CPU+=("$(per_txn_us "$(cpu stacklab-select-$run)" "$(json stacklab-select-$run "d['requests']['completed']")")")
done
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)

# The TPC-B invariant after every run of both clients.
SUMS=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -Atc "SELECT (SELECT sum(abalance) FROM pgbench_accounts) \
    = (SELECT sum(delta) FROM pgbench_history) AND (SELECT sum(tbalance) FROM pgbench_tellers) \
    = (SELECT sum(delta) FROM pgbench_history) AND (SELECT sum(bbalance) FROM pgbench_branches) \
    = (SELECT sum(delta) FROM pgbench_history)" postgres)

m() { echo "$@" | median; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
cat <<TABLE
| figure (closed loop, $CONNECTIONS connections, 1 client thread, scale $SCALE, prepared) | stacklab | pgbench | ratio |
| --- | --- | --- | --- |
| TPC-B transactions/s (pgbench's default script) | $(m "${SL_B[@]}") (${SL_B[*]}) | $(m "${PB_B[@]}") (${PB_B[*]}) | $(ratio "$(m "${SL_B[@]}")" "$(m "${PB_B[@]}")") |
| select-only transactions/s (pgbench -S) | $(m "${SL_S[@]}") (${SL_S[*]}) | $(m "${PB_S[@]}") (${PB_S[*]}) | $(ratio "$(m "${SL_S[@]}")" "$(m "${PB_S[@]}")") |
| client CPU µs per TPC-B transaction | $(m "${SL_B_CPU[@]}") (${SL_B_CPU[*]}) | $(m "${PB_B_CPU[@]}") (${PB_B_CPU[*]}) | $(ratio "$(m "${SL_B_CPU[@]}")" "$(m "${PB_B_CPU[@]}")") |
| client CPU µs per select-only transaction | $(m "${SL_S_CPU[@]}") (${SL_S_CPU[*]}) | $(m "${PB_S_CPU[@]}") (${PB_S_CPU[*]}) | $(ratio "$(m "${SL_S_CPU[@]}")" "$(m "${PB_S_CPU[@]}")") |
| loading scale $SCALE, s (stacklab server-side generate; pgbench -i client-side COPY) | $SL_LOAD_S | $(wall init-pgbench) (wall) | |
| stacklab TPC-B errors per run | ${SL_B_ERR[*]} | | |
| TPC-B invariant (balances = sum of history deltas) after all runs | $SUMS | | |

load average at the end: $LOAD_AVG
TABLE
