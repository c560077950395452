#!/usr/bin/env bash
# stacklab load beside redis-benchmark, against one redis-server on loopback: same server, same
# connections, one client thread each, closed loop, GET and SET of 100-byte values.
# redis-server is pinned to CPU 0 and each client to CPU 1. Prints a Markdown table and keeps the raw
# outputs under bench/out/redis/. Usage: bench/redis-vs-redis-benchmark.sh  (REPEATS=3 CONNECTIONS=50
# SECONDS_=10 RECORDS=100000 PIPELINE=1 override the defaults).
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-50}
SECONDS_=${SECONDS_:-10}
RECORDS=${RECORDS:-100000}
PIPELINE=${PIPELINE:-1}
PORT=${PORT:-16379}
OUT=bench/out/redis

need() { command -v "$1" >/dev/null 2>&1; }
if ! need redis-server || ! need redis-benchmark || [ ! -x /usr/bin/time ]; then
    echo "installing redis-server, redis-tools and time with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools time >/dev/null
fi
if [ "$(nproc)" -lt 2 ]; then echo "needs 2 CPUs to pin server and client apart; found $(nproc)" >&2; exit 1; fi

if [ -z "${STACKLAB:-}" ]; then
    echo "building stacklab (release)" >&2
    swift build -c release --product stacklab >/dev/null
    STACKLAB=$(swift build -c release --show-bin-path)/stacklab
fi

rm -rf "$OUT" && mkdir -p "$OUT"
taskset -c 0 redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD/$OUT" \
    --logfile "$PWD/$OUT/redis.log" &
REDIS=$!
trap 'kill $REDIS 2>/dev/null; wait $REDIS 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
URL="redis://127.0.0.1:$PORT"

measure() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" taskset -c 1 "$@" > "$OUT/$name.out" 2>&1
}
cpu() { awk '{print $2 + $3}' "$OUT/$1.time"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$OUT/$1.json" "$2"; }
per_request_us() { python3 -c "print(f'{$1 * 1e6 / $2:.2f}')"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# redis-benchmark --csv: "test","rps",… ; the rps of TEST.
rb_rps() { awk -F'"' -v t="$2" '$2 == t {print int($4)}' "$OUT/$1.out"; }

# Load once, timed, so both clients read keys that exist; redis-benchmark's keys are its own (key:…).
measure load "$STACKLAB" load "$URL" --records "$RECORDS" --mix ycsb-c -c 1 -t 1 -d 1s -q --json "$OUT/load.json"
LOAD_S=$(json load "round(d['dataLoad']['seconds'], 2)")
LOAD_RATE=$(json load "round(d['dataLoad']['records'] / d['dataLoad']['seconds'])")

# Requests redis-benchmark sends per test: about SECONDS_ at the rate it reaches (measured first).
measure probe redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$CONNECTIONS" -n 200000 -t get -d 100 -P "$PIPELINE" --csv
N=$(( $(rb_rps probe GET) * SECONDS_ ))

echo "closed loop, $CONNECTIONS connections, pipeline $PIPELINE, ${SECONDS_}s, $REPEATS runs each, alternating" >&2
declare -a SL_C SL_A RB_GET RB_SET SL_C_CPU RB_GET_CPU SL_C_P99 SL_A_P99
for run in $(seq "$REPEATS"); do
    measure "rb-get-$run" redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$CONNECTIONS" -n "$N" -r "$RECORDS" -t get -d 100 \
        -P "$PIPELINE" --csv
    RB_GET+=("$(rb_rps rb-get-$run GET)")
    RB_GET_CPU+=("$(per_request_us "$(cpu rb-get-$run)" "$N")")
    measure "rb-set-$run" redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$CONNECTIONS" -n "$N" -r "$RECORDS" -t set -d 100 \
        -P "$PIPELINE" --csv
    RB_SET+=("$(rb_rps rb-set-$run SET)")
    measure "sl-c-$run" "$STACKLAB" load "$URL" --no-load --records "$RECORDS" --mix ycsb-c -c "$CONNECTIONS" -t 1 \
        -P "$PIPELINE" -d "${SECONDS_}s" -q --json "$OUT/sl-c-$run.json"
    SL_C+=("$(json sl-c-$run "round(d['achievedRate'])")")
    SL_C_CPU+=("$(per_request_us "$(cpu sl-c-$run)" "$(json sl-c-$run "d['requests']['completed']")")")
    SL_C_P99+=("$(json sl-c-$run "d['serviceTime']['p99']")")
    measure "sl-a-$run" "$STACKLAB" load "$URL" --no-load --records "$RECORDS" --mix ycsb-a -c "$CONNECTIONS" -t 1 \
        -P "$PIPELINE" -d "${SECONDS_}s" -q --json "$OUT/sl-a-$run.json"
    SL_A+=("$(json sl-a-$run "round(d['achievedRate'])")")
    SL_A_P99+=("$(json sl-a-$run "d['serviceTime']['p99']")")
done

m() { echo "$@" | median; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
RB_MIX=$(python3 -c "g=$(m "${RB_GET[@]}"); s=$(m "${RB_SET[@]}"); print(round(2 / (1 / g + 1 / s)))")
cat <<TABLE
| figure (closed loop, $CONNECTIONS connections, pipeline $PIPELINE, 1 client thread) | stacklab | redis-benchmark | ratio |
| --- | --- | --- | --- |
| GET/s: stacklab ycsb-c (zipfian over $RECORDS keys) vs redis-benchmark -t get -r $RECORDS | $(m "${SL_C[@]}") (${SL_C[*]}) | $(m "${RB_GET[@]}") (${RB_GET[*]}) | $(ratio "$(m "${SL_C[@]}")" "$(m "${RB_GET[@]}")") |
| 50/50 GET+SET ops/s: stacklab ycsb-a vs redis-benchmark's GET and SET rates combined (harmonic mean) | $(m "${SL_A[@]}") (${SL_A[*]}) | $RB_MIX (SET ${RB_SET[*]}) | $(ratio "$(m "${SL_A[@]}")" "$RB_MIX") |
| client CPU µs per GET | $(m "${SL_C_CPU[@]}") (${SL_C_CPU[*]}) | $(m "${RB_GET_CPU[@]}") (${RB_GET_CPU[*]}) | $(ratio "$(m "${SL_C_CPU[@]}")" "$(m "${RB_GET_CPU[@]}")") |
| stacklab service time p99, µs (ycsb-c / ycsb-a) | $(m "${SL_C_P99[@]}") / $(m "${SL_A_P99[@]}") | | |
| stacklab data load: $RECORDS records of 100 B | ${LOAD_S}s, $LOAD_RATE records/s | | |
TABLE
