#!/usr/bin/env bash
# Re-runs the examples whose results are stored under docs/results/ with the options they were run with, and sets
# each new report beside the stored one (bench/report-vs-report.py: achieved rate, p50, p90 and p99 per variant
# and offered rate, and whether the two runs' 95% intervals overlap). Records the steal the host took from this
# machine during each run (/proc/stat), which decides whether a run is worth comparing: run it with nothing else
# on the machine. About an hour on 2 cores (gateways 22 min, handshakes 3, databases 13, runtimes 16).
# Usage: bench/rerun-results.sh [EXAMPLE ...]  (default: gateways gateways-handshake databases runtimes).
# Needs a release build of stacklab and stacklab-refapp, `stacklab install nginx haproxy caddy traefik envoy
# postgres mariadb redis`, and the runtimes (scripts/install-runtimes.sh go rust node bun, apps/*/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

STACKLAB=${STACKLAB:-$(swift build -c release --show-bin-path)/stacklab}
OUT=${OUT:-bench/out/rerun}
[ -x "$STACKLAB" ] || { echo "no stacklab at $STACKLAB: swift build -c release --product stacklab" >&2; exit 1; }
mkdir -p "$OUT"

# The options each stored run was made with (its report's `repeats` and workload rows): the examples ask for 5
# repeats since issue 13, the stored runs predate that.
options() {
    case $1 in
        gateways) echo "--repeats 3" ;;
        gateways-handshake) echo "--repeats 2 --duration 5s" ;;
        databases) echo "--repeats 2" ;;
        runtimes) echo "--repeats 3" ;;
        *) echo "" ;;
    esac
}
pricing() {
    case $1 in
        runtimes) echo "--pricing examples/pricing/opencost-compute-only.yaml" ;;
        *) echo "" ;;
    esac
}
steal() { awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=(gateways gateways-handshake databases runtimes)
for example in "${examples[@]}"; do
    [ -f "docs/results/$example-report.md" ] || { echo "no docs/results/$example-report.md" >&2; exit 1; }
    echo "== $example: stacklab run examples/$example.yaml $(options "$example")" >&2
    read -r s0 t0 < <(steal)
    # shellcheck disable=SC2046
    "$STACKLAB" run "examples/$example.yaml" $(options "$example") | tee "$OUT/$example.out"
    read -r s1 t1 < <(steal)
    run=$(grep -oE '[0-9]{8}-[0-9]{6}-[a-z0-9-]+' "$OUT/$example.out" | head -n 1)
    # shellcheck disable=SC2046
    "$STACKLAB" report "$run" --format md $(pricing "$example") -o "$OUT/$example-report.md"
    awk -v a="$s0" -v b="$s1" -v c="$t0" -v d="$t1" -v n="$example" -v r="$run" \
        'BEGIN { printf "\n== %s: run %s, steal %.2f%% of CPU time\n", n, r, 100 * (b - a) / (d - c) }' | tee -a "$OUT/steal.txt"
    python3 bench/report-vs-report.py "docs/results/$example-report.md" "$OUT/$example-report.md" | tee "$OUT/$example-vs-stored.txt"
done
