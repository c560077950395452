#!/usr/bin/env bash
# The client CPU cost of a sleep and wake-up on this machine (BENCHMARKS.md, issue 2), measured by a
# minimal C client (bench/wake-cost.c) against nginx: client on CPU 1, nginx on CPU 0, 10,000 requests/s
# over 50 connections, with the client waking for every request and then at most once per 200 µs and 1 ms.
# Usage: bench/wake-cost.sh  (RATE=10000 SECONDS_=10 override the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-10000}
SECONDS_=${SECONDS_:-10}
PORT=${PORT:-18081}
OUT=bench/out/wake-cost
if ! command -v nginx >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
    echo "installing nginx and gcc with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light gcc libc6-dev >/dev/null
fi
rm -rf "$OUT" && mkdir -p "$OUT"
gcc -O2 -o "$OUT/wake-cost" bench/wake-cost.c
sed -e "s|__DIR__|$PWD/$OUT|g" -e "s|__PORT__|$PORT|g" bench/nginx.conf > "$OUT/nginx.conf"
taskset -c 0 nginx -c "$PWD/$OUT/nginx.conf" &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; wait $NGINX 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
for slack in 0 200 1000; do
    taskset -c 1 "$OUT/wake-cost" "$PORT" 50 "$RATE" "$slack" "$SECONDS_"
done
