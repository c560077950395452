#!/usr/bin/env bash
# Issue 14's list re-run as a hostile user and an unlucky operator would, against the built binary: signals
# at every stage, a SIGKILL mid data load, concurrent runs, overflowing and absurd inputs, injected bytes,
# file modes, PostgreSQL's logins, Markdown escaping and special output files. Each check prints PASS or
# FAIL with what it saw; the script exits 1 if any failed.
#
#   scripts/hostile-check.sh                      # STACKLAB=.build/debug/stacklab by default
#   STACKLAB=.build/release/stacklab scripts/hostile-check.sh
#
# ONLY="start terminate" runs those sections (their names are at the end). Loopback only; every wait is
# bounded; about 5 minutes on 2 cores. Runs use a store and a runs directory of their own under a temporary directory, removed at the end (KEEP=1 keeps it). A character device is checked
# on a copy of /dev/null made with mknod in that directory, never on /dev/null itself.
set -u

STACKLAB=$(realpath "${STACKLAB:-.build/debug/stacklab}")
[ -x "$STACKLAB" ] || { echo "no stacklab at $STACKLAB; run 'swift build' first" >&2; exit 2; }
work=$(mktemp -d /tmp/stacklab-hostile.XXXXXX)
export STACKLAB_HOME="$work/home" STACKLAB_STORE="$work/default.sqlite"
background=()
cleanup() {
    for pid in "${background[@]}"; do kill "$pid" 2>/dev/null; done
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# check NAME CONDITION-STATUS WHAT-WAS-SEEN: PASS when the status is 0.
check() {
    if [ "$2" -eq 0 ]; then
        echo "PASS  $1: $3"
        passed=$((passed + 1))
    else
        echo "FAIL  $1: $3"
        failed=$((failed + 1))
    fi
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# wait_for SECONDS COMMAND…: polls COMMAND every 0.1 s; its status.
wait_for() {
    local deadline
    deadline=$(awk -v t="$(now)" -v s="$1" 'BEGIN { printf "%.1f", t + s }')
    shift
    until "$@"; do
        less "$(now)" "$deadline" || return 1
        sleep 0.1
    done
}
alive() { kill -0 "$1" 2>/dev/null; }
gone() { ! alive "$1"; }
# exit_code PID SECONDS: waits for the background job PID and sets `code` to its exit status, or to "none"
# (and kills it) when it has not ended by then.
exit_code() {
    local deadline
    deadline=$(awk -v t="$(now)" -v s="$2" 'BEGIN { printf "%.1f", t + s }')
    while alive "$1" && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; do
        less "$(now)" "$deadline" || { kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; code=none; return; }
        sleep 0.05
    done
    wait "$1"
    code=$?
}
descendants() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root && p != root) print p } }'
}
running() { for pid in "$@"; do ps -o pid= -p "$pid" 2>/dev/null; done | tr -d ' ' | xargs; }
none_running() { [ -z "$(running "$@")" ]; }
# has_descendant PID FIELD REGEX: a process below PID whose `ps -o FIELD` (comm, args) matches REGEX.
has_descendant() { descendants "$1" | xargs -r ps -o "$2"= -p 2>/dev/null | grep -Eq "$3"; }
clusters_of() { ls -d /tmp/stacklab-postgres-"$1".* 2>/dev/null | xargs; }
no_clusters_of() { [ -z "$(clusters_of "$1")" ]; }
sql() { sqlite3 -batch "$1" "$2" 2>/dev/null; }
trials_in() { sql "$1" "select count(*) from trials" || echo 0; }
has_trials() { [ "$(trials_in "$1")" -ge "$2" ] 2>/dev/null; }
# stored_or_gone STORE PID: a trial is stored, or the run ended (a wait that need not last its bound).
stored_or_gone() { has_trials "$1" 1 || gone "$2"; }
lines_of() { grep -c '' "$1"; }
# one_line NAME COMMAND…: exit 2 and one line per problem (`validate` heads them with "stacklab: N problems:"),
# none longer than 600 characters, never a trap or a raw Foundation error.
one_line() {
    local name=$1 code count problems longest
    shift
    timeout 30 "$STACKLAB" "$@" >"$work/out" 2>"$work/err"
    code=$?
    count=$(lines_of "$work/err")
    problems=$(sed -n '1s/^stacklab: \([0-9]*\) problems*:$/\1/p' "$work/err")
    longest=$(awk '{ if (length > n) n = length } END { print n + 0 }' "$work/err")
    ! grep -Eq 'Fatal error|NSCocoaError|DecodingError|Swift runtime' "$work/err" && [ "$code" = 2 ] \
        && [ "$count" = $(( ${problems:-0} + 1 )) ] && [ "$longest" -lt 600 ]
    check "$name" $? "exit $code, $count line(s): $(tail -1 "$work/err" | head -c 200)"
}
hard_limit=$(ulimit -Hn)
[ "$hard_limit" = unlimited ] && hard_limit=1048576
read -r low high </proc/sys/net/ipv4/ip_local_port_range
max_connections=$(( hard_limit - 256 < high - low + 1 ? hard_limit - 256 : high - low + 1 ))

# A loopback HTTP server (python3's), a port whose backlog is full, and a listener that records what it gets.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work" "$http_port" >/dev/null 2>&1 &
background+=($!)
# A fresh one for each use: the connections a load leaves in its accept queue keep it full.
backlog_listener() {
    rm -f "$work/backlog.port"
    python3 -u -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1]); time.sleep(3600)' >"$work/backlog.port" &
    background+=($!)
    wait_for 10 test -s "$work/backlog.port"
    backlog_port=$(cat "$work/backlog.port")
}
python3 -u -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.settimeout(2)
    with open(sys.argv[1], "ab") as log:
        log.write(b"<connection>")
        try:
            while (data := c.recv(65536)): log.write(data)
        except OSError: pass
    c.close()' "$work/recorder.log" >"$work/recorder.port" &
background+=($!)
wait_for 10 test -s "$work/recorder.port"
http_up() { python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$http_port/', timeout=1)" 2>/dev/null; }
wait_for 10 http_up
recorder_port=$(cat "$work/recorder.port")
touch "$work/recorder.log"

# Experiment files.
spec_with() { # NAME-LINE WORKLOAD-EXTRA COMPONENT-EXTRA
    printf 'name: %s\nworkload: { path: /json, rate: 100%s }\ncomponents:\n  app: { kind: app, runtime: swift%s }\nvariants:\n  direct: [app]\n' \
        "$1" "$2" "$3"
}
app_spec() { # NAME DESCRIPTION RATES
    cat <<EOF
name: $1
description: "$2"
repeats: 1
workload: { path: /json, rates: [$3], connections: 2, duration: 2s, warmup: 0s }
components:
  app: { kind: app, runtime: swift }
variants:
  direct: [app]
EOF
}
pg_spec() { # SCALE RATES
    cat <<EOF
name: hostile-pg
repeats: 1
workload: { protocol: postgres, transaction: tpcb, scale: $1, rates: [$2], connections: 2, threads: 1, duration: 2s,
            warmup: 0s }
components:
  db: { kind: postgres, resources: { memory: 256Mi } }
variants:
  pg: [db]
EOF
}
pg_spec 1 "50, 60, 70, 80" >"$work/pg.yaml"
pg_spec 100 50 >"$work/pg-big.yaml"
app_spec hostile-app "plain" "50, 60, 70, 80" >"$work/app.yaml"
payload='<script>alert(1)</script> <img src=x onerror=alert(2)> <svg onload=alert(3)>'
app_spec hostile-twins "$payload" 50 >"$work/twins.yaml"

echo "stacklab: $STACKLAB ($("$STACKLAB" --version 2>/dev/null)); work: $work"

# 1. Ctrl-C timings ------------------------------------------------------------------------------------------
section_ctrlc() {
    store="$work/ctrlc.sqlite"
    "$STACKLAB" run "$work/app.yaml" --runs-dir "$work/runs-ctrlc" --store "$store" -q >/dev/null 2>&1 &
    pid=$!
    if wait_for 180 stored_or_gone "$store" "$pid" && alive "$pid"; then
        sleep 0.5
        start=$(now)
        kill -INT "$pid"
        exit_code "$pid" 30
        took=$(since "$start")
        status=$(sql "$store" "select status || ' (' || coalesce(abort_reason, '') || ')' from runs")
        [ "$code" = 130 ] && less "$took" 2 && [ "$status" = "aborted (interrupted (Ctrl-C))" ]
        check "ctrl-c mid-trial" $? "exit $code ${took}s after Ctrl-C, run $status"
    else
        exit_code "$pid" 0
        check "ctrl-c mid-trial" 1 "no trial stored within 180 s, or the run ended: exit $code"
    fi

    "$STACKLAB" load "http://127.0.0.1:$http_port/" --rate 50 -d 60s -c 2 -q >"$work/load-int.out" 2>&1 &
    pid=$!
    sleep 2
    start=$(now)
    kill -INT "$pid"
    exit_code "$pid" 30
    took=$(since "$start")
    [ "$code" = 0 ] && less "$took" 2 && grep -q "interrupted after" "$work/load-int.out"
    check "ctrl-c during load" $? "exit $code ${took}s after Ctrl-C, $(grep -o 'interrupted after [^ ]*' "$work/load-int.out")"

    connections=$(( max_connections < 19000 ? max_connections : 19000 ))
    for signal in INT TERM; do
        backlog_listener
        "$STACKLAB" load "http://127.0.0.1:$backlog_port/" --connections "$connections" --timeout 30s -d 60s -q \
            >"$work/load-connect.out" 2>&1 &
        pid=$!
        wait_for 60 bash -c "[ \$(ls /proc/$pid/fd 2>/dev/null | wc -l) -gt $(( connections / 4 < 3000 ? connections / 4 : 3000 )) ] || ! kill -0 $pid"
        opened=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
        start=$(now)
        kill -"$signal" "$pid"
        exit_code "$pid" 60
        took=$(since "$start")
        [ "$code" = 0 ] && less "$took" 3
        check "SIG$signal during a long connect phase" $? \
            "$connections connections to a full backlog, $opened descriptors open: exit $code ${took}s after the signal"
    done

}

# 2, 12. SIGTERM and SIGHUP mid-trial (PostgreSQL), and PostgreSQL's logins during the run ---------------------
section_terminate() {
    for signal in TERM HUP; do
        store="$work/sig-$signal.sqlite"
        runs="$work/runs-$signal"
        "$STACKLAB" run "$work/pg.yaml" --runs-dir "$runs" --store "$store" -q >/dev/null 2>&1 &
        pid=$!
        if ! { wait_for 240 stored_or_gone "$store" "$pid" && alive "$pid"; }; then
            exit_code "$pid" 0
            check "SIG$signal mid-trial" 1 "no trial stored within 240 s, or the run ended: exit $code"
            continue
        fi
        if [ "$signal" = TERM ]; then
            conf=$(ls "$runs"/*/*/*/data/stacklab.conf /tmp/stacklab-postgres-"$pid".*/data/stacklab.conf 2>/dev/null | head -1)
            port=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$conf" 2>/dev/null | head -1)
            login=$(PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "${port:-0}" -U postgres -w -d postgres -Atc 'select 1' 2>&1)
            [ -n "$port" ] && [ "$login" != 1 ] && echo "$login" | grep -qi "password"
            check "postgres refuses a passwordless login" $? "psql -h 127.0.0.1 -p ${port:-?} -U postgres: $(echo "$login" | head -1)"
        fi
        family=$(descendants "$pid")
        start=$(now)
        kill -"$signal" "$pid"
        exit_code "$pid" 30
        took=$(since "$start")
        expected=$([ "$signal" = TERM ] && echo 143 || echo 129)
        status=$(sql "$store" "select status || ' (' || coalesce(abort_reason, '') || ')' from runs")
        # shellcheck disable=SC2086
        wait_for 10 none_running $family
        left=$(running $family)
        wait_for 10 no_clusters_of "$pid"
        clusters=$(clusters_of "$pid")
        [ "$code" = "$expected" ] && [ "$status" = "aborted (interrupted (SIG$signal))" ] && [ -z "$left" ] && [ -z "$clusters" ]
        check "SIG$signal mid-trial" $? \
            "exit $code ${took}s after, run $status, left running: [${left}], clusters left: [${clusters}]"
    done

}

# 3. SIGKILL during a PostgreSQL data load ----------------------------------------------------------------------
section_kill() {
    runs="$work/runs-kill"
    "$STACKLAB" run "$work/pg-big.yaml" --runs-dir "$runs" --store "$work/kill.sqlite" -q >/dev/null 2>&1 &
    pid=$!
    if wait_for 240 has_descendant "$pid" args '^postgres: postgres postgres 127.0.0.1'; then
        sleep 1
        family=$(descendants "$pid")
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        # shellcheck disable=SC2086
        wait_for 15 none_running $family
        left=$(running $family)
        orphans=$(ps -e -o ppid=,pid=,args= | awk '$1 == 1 && $3 ~ /^postgres:/' | grep -wF -f <(echo "$family" | tr ' ' '\n') | xargs)
        wait_for 10 no_clusters_of "$pid"
        clusters=$(clusters_of "$pid")
        [ -z "$left" ] && [ -z "$orphans" ] && [ -z "$clusters" ]
        check "SIGKILL during a data load" $? \
            "$(echo "$family" | wc -w) processes of the run; after the watchdog: left [$left], orphaned backends [$orphans], clusters [$clusters]"
    else
        kill -9 "$pid" 2>/dev/null
        check "SIGKILL during a data load" 1 "no backend loading within 240 s"
    fi

}

# 4. Ctrl-C during component start ------------------------------------------------------------------------------
section_start() {
    store="$work/start.sqlite"
    "$STACKLAB" run "$work/pg.yaml" --runs-dir "$work/runs-start" --store "$store" -q >/dev/null 2>&1 &
    pid=$!
    if wait_for 120 has_descendant "$pid" comm '^(initdb|postgres|pg_ctl)'; then
        family=$(descendants "$pid")
        start=$(now)
        kill -INT "$pid"
        exit_code "$pid" 30
        took=$(since "$start")
        trials=$(trials_in "$store")
        # shellcheck disable=SC2086
        wait_for 10 none_running $family
        left=$(running $family)
        [ "$code" = 130 ] && less "$took" 1 && [ "${trials:-0}" = 0 ] && [ -z "$left" ]
        check "ctrl-c during component start" $? "exit $code ${took}s after Ctrl-C, $trials trials stored, left [$left]"
    else
        kill -9 "$pid" 2>/dev/null
        check "ctrl-c during component start" 1 "PostgreSQL did not start within 120 s"
    fi

}

# 5, 13. Two runs in the same second; Markdown escaping of what they stored --------------------------------------
section_twins() {
    store="$work/twins.sqlite"
    "$STACKLAB" run "$work/twins.yaml" --runs-dir "$work/runs-twins" --store "$store" -q >"$work/twin1.out" 2>&1 &
    first=$!
    "$STACKLAB" run "$work/twins.yaml" --runs-dir "$work/runs-twins" --store "$store" -q >"$work/twin2.out" 2>&1 &
    second=$!
    exit_code "$first" 240; code1=$code
    exit_code "$second" 240; code2=$code
    ids=$(sql "$store" "select id from runs where status = 'completed'" | xargs)
    [ "$code1" = 0 ] && [ "$code2" = 0 ] && [ "$(echo "$ids" | wc -w)" = 2 ]
    check "two runs in the same second" $? "exits $code1 and $code2, runs stored: [$ids] $(grep -h stacklab: "$work"/twin?.out | head -1)"

    markdown=$("$STACKLAB" report latest --format md --store "$store" 2>&1)
    raw=$(echo "$markdown" | grep -Eo '<(script|img|svg)[^>]*>' | head -3 | xargs)
    [ -n "$markdown" ] && [ -z "$raw" ] && echo "$markdown" | grep -q 'alert(1)'
    check "markdown escapes HTML" $? "raw tags in --format md: [${raw}], $(echo "$markdown" | grep -o '.\{0,12\}script.\{0,12\}' | head -1)"

}

# 6. Overflowing inputs -------------------------------------------------------------------------------------------
section_overflow() {
        spec_with overflow ", duration: 10000000000000000000" "" >"$work/o1.yaml"
    one_line "bare duration 1e19" validate "$work/o1.yaml"
    cat >"$work/o2.yaml" <<'EOF'
name: overflow
workload:
  requests: [{ path: /a, weight: 9223372036854775807 }, { path: /b, weight: 9223372036854775807 }]
  rate: 100
components: { app: { kind: app, runtime: swift } }
variants: { direct: [app] }
EOF
    timeout 30 "$STACKLAB" validate "$work/o2.yaml" >/dev/null 2>"$work/err"
    code=$?
    [ "$code" = 2 ] && ! grep -q 'Fatal error' "$work/err" && grep -q 'weight: must be at most' "$work/err"
    check "weight 2^63-1" $? "exit $code: $(head -1 "$work/err" | head -c 160)"
    spec_with overflow ", connections: 9223372036854775807" "" >"$work/o3.yaml"
    one_line "connections 2^63-1" validate "$work/o3.yaml"
    spec_with overflow "" ", resources: { cpu: 1e308 }" >"$work/o4.yaml"
    one_line "cpu 1e308" validate "$work/o4.yaml"
    printf 'name: overflow\nworkload: { protocol: postgres, scale: 9223372036854775807, rate: 100 }\ncomponents: { db: { kind: postgres } }\nvariants: { pg: [db] }\n' >"$work/o5.yaml"
    one_line "scale 2^63-1" validate "$work/o5.yaml"
    one_line "--duration 9223372036854775808" load "http://127.0.0.1:$recorder_port/" --duration 9223372036854775808
    one_line "--stages 1s:1e308" load "http://127.0.0.1:$recorder_port/" --stages 1s:1e308
    python3 -c 'import sys; print("name: " + "a" * 1048576 + "\nworkload: { path: /json, rate: 100 }\ncomponents: { app: { kind: app, runtime: swift } }\nvariants: { direct: [app] }")' >"$work/o6.yaml"
    one_line "1 MB name" validate "$work/o6.yaml"

}

# 7. Absurd sizes --------------------------------------------------------------------------------------------------
section_absurd() {
    printf 'name: absurd\nworkload: { protocol: postgres, scale: 1e12, rate: 100 }\ncomponents: { db: { kind: postgres } }\nvariants: { pg: [db] }\n' >"$work/a1.yaml"
    one_line "scale 1e12 (validate)" validate "$work/a1.yaml"
    start=$(now)
    timeout 60 "$STACKLAB" run "$work/a1.yaml" --runs-dir "$work/runs-absurd" --store "$work/absurd.sqlite" -q >/dev/null 2>"$work/err" &
    pid=$!
    exit_code "$pid" 60
    took=$(since "$start")
    [ "$code" = 2 ] && less "$took" 10 && [ "$(ls "$work/runs-absurd" 2>/dev/null | wc -l)" = 0 ]
    check "scale 1e12 (run)" $? "exit $code after ${took}s, nothing started: $(head -1 "$work/err" | head -c 140)"
    printf 'name: absurd\nworkload: { protocol: postgres, scale: 1000000000000, rate: 100 }\ncomponents: { db: { kind: postgres } }\nvariants: { pg: [db] }\n' >"$work/a2.yaml"
    one_line "scale 1000000000000" validate "$work/a2.yaml"
    # 100,000 is within the bound on scale, but 1.5 TB is more than most disks hold: refused before a start.
    printf 'name: absurd\nworkload: { protocol: postgres, scale: 100000, rate: 100 }\ncomponents: { db: { kind: postgres } }\nvariants: { pg: [db] }\n' >"$work/a3.yaml"
    free=$(df -Pk "$work" | awk 'NR == 2 { print $4 * 1024 }')
    if [ "$free" -lt 1500000000000 ]; then
        start=$(now)
        timeout 60 "$STACKLAB" run "$work/a3.yaml" --runs-dir "$work/runs-disk" --store "$work/absurd.sqlite" -q \
            >/dev/null 2>"$work/err"
        code=$?
        [ "$code" = 2 ] && less "$(since "$start")" 10
        check "scale 100,000 on a smaller disk" $? "exit $code after $(since "$start")s: $(head -1 "$work/err" | head -c 200)"
    fi
    start=$(now)
    one_line "--connections 100000" load "http://127.0.0.1:$recorder_port/" --connections 100000 -d 1s
    less "$(since "$start")" 10
    check "--connections 100000 is refused at once" $? "$(since "$start")s"

}

# 8. validate and run agree -----------------------------------------------------------------------------------------
section_agree() {
    cat >"$work/refused.yaml" <<'EOF'
name: refused
pricing: nowhere
workload: { path: /json, rate: 100 }
components:
  app: { kind: app, runtime: swift }
  front: { kind: nginx }
  back: { kind: envoy, tls: true }
variants:
  last: [app, front]
  second: [front, back, app]
EOF
    timeout 30 "$STACKLAB" validate "$work/refused.yaml" >/dev/null 2>"$work/validate.err"
    vcode=$?
    timeout 60 "$STACKLAB" run "$work/refused.yaml" -q --runs-dir "$work/runs-refused" --store "$work/refused.sqlite" \
        >/dev/null 2>"$work/run.err"
    rcode=$?
    problems=$(grep -c '^/.*refused.yaml:' "$work/validate.err")
    missing=$(grep '^/.*refused.yaml:' "$work/validate.err" | while read -r line; do
        grep -qF -- "$line" "$work/run.err" || echo "$line"
    done | wc -l)
    [ "$vcode" = 2 ] && [ "$rcode" = 2 ] && [ "$problems" -ge 3 ] && [ "$missing" = 0 ]
    check "validate and run agree" $? "validate exit $vcode with $problems problems, run exit $rcode, $missing of them missing from run's"

}

# 9. Messages ---------------------------------------------------------------------------------------------------------
section_messages() {
    spec_with '"evil\nstacklab: all good"' "" "" >"$work/m1.yaml"
    one_line "a value with a newline" validate "$work/m1.yaml"
    ! grep -q '^stacklab: all good' "$work/err" && grep -qF "'evil\nstacklab: all good'" "$work/err"
    check "a newline does not split the message" $? "$(tail -1 "$work/err" | head -c 160)"
    spec_with five-k ", protocol: $(head -c 5000 /dev/zero | tr '\0' x)" "" >"$work/m2.yaml"
    one_line "a 5 KB value" validate "$work/m2.yaml"
    longest=$(awk '{ if (length > n) n = length } END { print n + 0 }' "$work/err")
    [ "$longest" -lt 600 ] && grep -q '(5,000 characters)' "$work/err"
    check "a 5 KB value is cut" $? "longest line $longest characters"
    ln -s "$work/loop-b.yaml" "$work/loop-a.yaml"
    ln -s "$work/loop-a.yaml" "$work/loop-b.yaml"
    one_line "a symlink loop" validate "$work/loop-a.yaml"
    grep -q 'symbolic links' "$work/err"
    check "a symlink loop is named" $? "$(tail -1 "$work/err" | head -c 160)"
    one_line "--rate -5" load "http://127.0.0.1:$recorder_port/" --rate -5
    grep -q 'must be more than 0' "$work/err"
    check "--rate -5 says why" $? "$(tail -1 "$work/err" | head -c 160)"
    cp "$work/twins.sqlite" "$work/corrupt.sqlite"
    sql "$work/corrupt.sqlite" "update runs set spec_json = '{\"name\": 5}'"
    timeout 30 "$STACKLAB" show latest --store "$work/corrupt.sqlite" >/dev/null 2>"$work/err"
    code=$?
    ! grep -Eq 'DecodingError|CodingKeys|Fatal error' "$work/err" && [ "$code" != 0 ] && [ "$(lines_of "$work/err")" = 1 ] \
        && grep -q 'cannot be read' "$work/err"
    check "a corrupted store is one line" $? "exit $code: $(tail -1 "$work/err" | head -c 160)"

}

# 10. Header injection and request smuggling ----------------------------------------------------------------------------
section_injection() {
    : >"$work/recorder.log"
    one_line "-H with CRLF" load "http://127.0.0.1:$recorder_port/" -d 1s -c 1 -q -H $'X-A: b\r\nX-Injected: 1'
    one_line "-H with a bare LF" load "http://127.0.0.1:$recorder_port/" -d 1s -c 1 -q -H $'X-A: b\nX-Injected: 1'
    one_line "-X with CRLF" load "http://127.0.0.1:$recorder_port/" -d 1s -c 1 -q -X $'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET'
    sleep 0.5
    [ ! -s "$work/recorder.log" ]
    check "nothing refused reached the server" $? "$(wc -c <"$work/recorder.log") bytes received"
    spec_with headers ", headers: { X-A: \"b\\r\\nX-Injected: 1\" }" "" >"$work/h1.yaml"
    one_line "YAML headers with CRLF" validate "$work/h1.yaml"

}

# 11. File modes of secrets --------------------------------------------------------------------------------------------
section_modes() {
    cat >"$work/secrets.yaml" <<'EOF'
name: secrets
repeats: 1
workload: { path: /json, rates: [50], connections: 2, duration: 1s, warmup: 0s }
components:
  app: { kind: app, runtime: swift }
  edge: { kind: nginx, tls: true }
variants:
  tls: [edge, app]
EOF
    cat >"$work/maria.yaml" <<'EOF'
name: secrets-maria
repeats: 1
workload: { protocol: sql, transaction: point-select, scale: 1, rates: [50], connections: 2, duration: 1s, warmup: 0s }
components:
  db: { kind: mariadb, resources: { memory: 512Mi } }
variants:
  maria: [db]
EOF
    runs="$work/runs-secrets"
    timeout 300 "$STACKLAB" run "$work/secrets.yaml" --runs-dir "$runs" --store "$work/secrets.sqlite" -q >/dev/null 2>"$work/tls.err"
    tls_code=$?
    timeout 300 "$STACKLAB" run "$work/maria.yaml" --runs-dir "$runs" --store "$work/secrets.sqlite" -q >/dev/null 2>"$work/maria.err"
    maria_code=$?
    secrets=$(find "$runs" \( -name '*.pem' -o -name 'init.sql' -o -name '*password*' -o -name '*.key' \) 2>/dev/null)
    bad=""
    # A secret 0600 (a certificate is public), in a directory 0700, in a run directory 0700.
    for file in $secrets; do
        mode=$(stat -c %a "$file")
        case "$(basename "$file")" in cert.pem) ;; *) [ "$mode" = 600 ] || bad="$bad $file:$mode" ;; esac
        for directory in "$(dirname "$file")" "$runs/$(realpath --relative-to="$runs" "$file" | cut -d/ -f1)"; do
            mode=$(stat -c %a "$directory")
            [ "$mode" = 700 ] || bad="$bad $directory:$mode"
        done
    done
    found=$(for file in $secrets; do basename "$file"; done | sort -u | xargs)
    echo "$found" | grep -q key.pem && echo "$found" | grep -q bundle.pem && echo "$found" | grep -q init.sql && [ -z "$bad" ]
    check "secrets 0600 in 0700 directories" $? \
        "runs exit $tls_code and $maria_code; found [$found]; wrong modes: [$(echo $bad | tr ' ' '\n' | sort -u | xargs)]"

}

# 14. Output files: a character device, a FIFO, a symlink ---------------------------------------------------------------
section_outputs() {
    device="$work/null"
    mknod "$device" c 1 3 2>/dev/null || device=/dev/null
    [ "$(id -u)" = 0 ] && [ "$device" = /dev/null ] && device=""  # never risk the real /dev/null as root
    mkfifo "$work/fifo"
    echo old >"$work/target.txt"
    ln -s "$work/target.txt" "$work/link.txt"
    is_char() { [ -c "$1" ]; }
    outputs_ok() { # what the four paths are after a command wrote to them
        local ok=0
        [ -z "$device" ] || is_char "$device" || ok=1
        [ -p "$work/fifo" ] || ok=1
        [ -L "$work/link.txt" ] || ok=1
        return $ok
    }
    (cat "$work/fifo" >"$work/fifo.read") &
    reader=$!
    if [ -n "$device" ]; then timeout 30 "$STACKLAB" report latest --store "$work/twins.sqlite" -o "$device" >/dev/null 2>"$work/err"; fi
    d_code=$?
    timeout 30 "$STACKLAB" report latest --store "$work/twins.sqlite" -o "$work/fifo" >/dev/null 2>>"$work/err"
    f_code=$?
    timeout 30 "$STACKLAB" report latest --store "$work/twins.sqlite" -o "$work/link.txt" >/dev/null 2>>"$work/err"
    l_code=$?
    wait_for 5 gone "$reader"
    kill "$reader" 2>/dev/null
    outputs_ok && [ -s "$work/fifo.read" ] && ! grep -qx old "$work/target.txt" && [ "$d_code$f_code$l_code" = 000 ]
    check "report -o a device, a FIFO, a symlink" $? \
        "exits $d_code $f_code $l_code; device ${device:+still a device}; fifo read $(wc -c <"$work/fifo.read") bytes; link $([ -L "$work/link.txt" ] && echo kept) -> $(wc -c <"$work/target.txt") bytes"
    echo old >"$work/target.txt"
    (cat "$work/fifo" >"$work/fifo.read") &
    reader=$!
    timeout 60 "$STACKLAB" load "http://127.0.0.1:$http_port/" --rate 20 -d 1s -c 1 -q --csv "$work/fifo" \
        --hgrm "$work/link.txt" ${device:+--json "$device"} >/dev/null 2>"$work/err"
    code=$?
    wait_for 5 gone "$reader"
    kill "$reader" 2>/dev/null
    outputs_ok && grep -q '^second,' "$work/fifo.read" && ! grep -qx old "$work/target.txt" && [ "$code" = 0 ]
    check "load --json/--csv/--hgrm to a device, a FIFO, a symlink" $? \
        "exit $code; fifo got $(head -c 30 "$work/fifo.read" | head -1); link $([ -L "$work/link.txt" ] && echo kept) -> $(head -c 40 "$work/target.txt" | head -1)"

}

# Sections run in this order; ONLY="ctrlc start" runs some (messages and outputs read the runs of twins).
for section in ${ONLY:-ctrlc terminate kill start twins overflow absurd agree messages injection modes outputs}; do
    "section_$section"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
