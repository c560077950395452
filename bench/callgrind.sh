#!/usr/bin/env bash
# Instructions the load engine spends per request, counted by callgrind: reproducible on a busy machine, where
# wall-clock and CPU-time figures are not. For each path (raw-socket HTTP, SwiftNIO HTTP, Redis) it runs
# `stacklab load` under callgrind twice, for SHORT and LONG seconds (closed loop by default; RATE=N for an open
# loop at N/s, whose figure also carries the per-second work of the engine divided by N), and prints
# (instructions of the long run - instructions of the short run) / (requests of the long run - of the short run):
# start-up, connecting and loading records cancel out; only the worker threads are counted. Under valgrind epoll_pwait2 is missing and the engine
# falls back to epoll_wait's millisecond timeouts: compare figures from this script with each other only. nginx (bench/nginx.conf) and redis-server run on loopback.
# Usage: bench/callgrind.sh  (STACKLAB=path/to/stacklab RATE=max SHORT=2 LONG=4 CONNECTIONS=4 PATHS="sockets nio
# redis" override the defaults; EXTRA="--timer-slack 200us" is passed to every run). Needs valgrind, nginx,
# redis-server and a release build (`swift build -c release --product stacklab`).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-max}
SHORT=${SHORT:-2}
LONG=${LONG:-4}
CONNECTIONS=${CONNECTIONS:-4}
PATHS=${PATHS:-sockets nio redis}
EXTRA=${EXTRA:-}
HTTP_PORT=${HTTP_PORT:-18091}
REDIS_PORT=${REDIS_PORT:-16391}
OUT=bench/out/callgrind
STACKLAB=${STACKLAB:-$(swift build -c release --show-bin-path)/stacklab}

for tool in valgrind objcopy cc nginx redis-server python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "callgrind.sh needs $tool" >&2; exit 1; }
done
[ -x "$STACKLAB" ] || { echo "no stacklab at $STACKLAB: swift build -c release --product stacklab" >&2; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# valgrind 3.19 cannot read the debug information swiftc writes; symbols are enough for the counts.
objcopy --strip-debug "$STACKLAB" "$OUT/stacklab"
# …and crashes when libdispatch parks the main thread in sigsuspend; a preloaded shim avoids it.
cc -shared -fPIC -O2 -o "$OUT/sigsuspend-shim.so" bench/sigsuspend-shim.c
sed -e "s|__DIR__|$OUT|g" -e "s|__PORT__|$HTTP_PORT|g" bench/nginx.conf > "$OUT/nginx.conf"
nginx -c "$OUT/nginx.conf" -p "$OUT" &
NGINX=$!
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" \
    --logfile "$OUT/redis.log" &
REDIS=$!
trap 'kill $NGINX $REDIS 2>/dev/null; wait $NGINX $REDIS 2>/dev/null || true' EXIT
for port in "$HTTP_PORT" "$REDIS_PORT"; do
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
done

# run NAME SECONDS ARGS…: one run under callgrind, a profile per thread; prints "instructions requests", the
# instructions of the worker threads only (epoll worker or SwiftNIO event loop): the engine's once-a-second
# work (progress, percentiles) runs elsewhere and would otherwise count as per-request cost.
run() {
    local name=$1 seconds=$2; shift 2
    # shellcheck disable=SC2086
    LD_PRELOAD="$OUT/sigsuspend-shim.so" valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$OUT/$name.callgrind" --dump-instr=no \
        "$OUT/stacklab" load "$@" -t 1 -c "$CONNECTIONS" -r "$RATE" -d "${seconds}s" -q $EXTRA \
        --json "$OUT/$name.json" > "$OUT/$name.out" 2>&1
    local instructions=0 requests
    for file in "$OUT/$name.callgrind"-*; do
        grep -qE 'Socket(HTTP)?Worker.*runLoop|SelectableEventLoop.*run' "$file" || continue
        instructions=$((instructions + $(awk '/^(summary|totals):/ {print $2; exit}' "$file")))
    done
    requests=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['requests']['completed'])" \
        "$OUT/$name.json")
    echo "$instructions $requests"
}

echo "| path | requests (short, long) | instructions per request |"
echo "|---|---|---|"
for path in $PATHS; do
    case $path in
    sockets) args=("http://127.0.0.1:$HTTP_PORT/") ;;
    nio) args=("http://127.0.0.1:$HTTP_PORT/" --io nio) ;;
    redis) args=("redis://127.0.0.1:$REDIS_PORT" --records 1000 --mix ycsb-a) ;;
    *) echo "unknown path $path (sockets, nio, redis)" >&2; exit 1 ;;
    esac
    read -r short_ir short_n < <(run "$path-short" "$SHORT" "${args[@]}")
    read -r long_ir long_n < <(run "$path-long" "$LONG" "${args[@]}")
    # A busy machine can let the long run through fewer requests than the short one: the difference then means
    # nothing, so say so instead of printing it.
    if [ $((long_n - short_n)) -lt $((short_n / 2)) ]; then
        echo "| $path | $short_n, $long_n | unreliable: the long run did not get enough more requests; run again |"
        continue
    fi
    per=$(python3 -c "print(round(($long_ir - $short_ir) / max(1, $long_n - $short_n)))")
    echo "| $path | $short_n, $long_n | $per |"
done
