#!/usr/bin/env bash
# Checks a running reference app against the standard app API (docs/app-api.md) with curl.
#
#   scripts/verify-app.sh URL [--database-url URL | --no-database]
#
# URL is the app's base, e.g. http://127.0.0.1:8080. With --database-url (the app's own database) it
# also checks that /updates wrote what it returned, and changed every row, by reading World with psql.
# With --no-database it expects the database endpoints to answer 503 (an app started without
# DATABASE_URL). Prints one line per check and closes with "N passed, N failed"; exits 1 on a failure.
set -uo pipefail

usage() { echo "usage: $0 URL [--database-url URL | --no-database]" >&2; exit 2; }
[ $# -ge 1 ] || usage
base=${1%/}
shift
database_url=
database=yes
while [ $# -gt 0 ]; do
    case $1 in
        --database-url) [ $# -ge 2 ] || usage; database_url=$2; shift 2 ;;
        --database-url=*) database_url=${1#*=}; shift ;;
        --no-database) database=no; shift ;;
        *) usage ;;
    esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# fetch PATH: sets status, body, and the headers in $work/headers (names lower-cased).
fetch() {
    status=$(curl -sS --max-time 30 -o "$work/body" -D "$work/raw" -w '%{http_code}' "$base$1" 2>"$work/err") \
        || status="curl failed: $(cat "$work/err")"
    tr -d '\r' <"$work/raw" | awk 'NR > 1 && /:/ { i = index($0, ":"); n = tolower(substr($0, 1, i - 1));
        v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print n "\t" v }' >"$work/headers"
    body=$(cat "$work/body")
}
header() { awk -F'\t' -v n="$1" '$1 == n { print $2; exit }' "$work/headers"; }

# The headers every response carries: Server, Date (RFC 1123), Content-Type, Content-Length = body size.
check_headers() {
    local what=$1 type_pattern=$2 problems=()
    [ -n "$(header server)" ] || problems+=("no Server")
    local date
    date=$(header date)
    [[ $date =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ GMT$ ]] \
        || problems+=("Date '$date' is not RFC 1123")
    local type
    type=$(header content-type)
    [[ $type =~ $type_pattern ]] || problems+=("Content-Type '$type'")
    local length size
    length=$(header content-length)
    size=$(wc -c <"$work/body" | tr -d ' ')
    [ "$length" = "$size" ] || problems+=("Content-Length '$length' but the body has $size bytes")
    if [ ${#problems[@]} -eq 0 ]; then pass "$what headers"; else fail "$what headers" "${problems[*]}"; fi
}

text_type='^text/plain(; ?charset=(UTF|utf)-8)?$'
json_type='^application/json(; ?charset=(UTF|utf)-8)?$'
world='\{"id":([0-9]+),"randomNumber":([0-9]+)\}'

# expect_text PATH STATUS BODY
expect_text() {
    fetch "$1"
    if [ "$status" = "$2" ] && [ "$body" = "$3" ]; then pass "GET $1 -> $2 '$3'"; else
        fail "GET $1" "expected $2 '$3', got $status '${body:0:200}'"; fi
    check_headers "GET $1" "$text_type"
}

# worlds_in BODY: prints "id value" per row when BODY is a JSON array of World objects, else fails.
worlds_in() {
    local compact
    compact=$(printf '%s' "$1" | tr -d ' \n\t\r')
    [[ $compact =~ ^\[($world(,$world)*)?\]$ ]] || return 1
    printf '%s' "$compact" | grep -oE "$world" | sed -E "s/$world/\\1 \\2/"
}

in_range() { [ "$1" -ge 1 ] && [ "$1" -le 10000 ]; }

# expect_rows PATH COUNT: an array of COUNT rows with ids and values in 1...10000.
expect_rows() {
    fetch "$1"
    local rows count bad
    if [ "$status" != 200 ]; then fail "GET $1" "status $status '${body:0:200}'"; return; fi
    if ! rows=$(worlds_in "$body"); then fail "GET $1" "not an array of {\"id\":N,\"randomNumber\":M}: '${body:0:200}'"; return; fi
    count=$(printf '%s' "$rows" | grep -c . || true)
    bad=$(printf '%s\n' "$rows" | awk 'NF == 2 && ($1 < 1 || $1 > 10000 || $2 < 1 || $2 > 10000)' | head -n 1)
    if [ "$count" = "$2" ] && [ -z "$bad" ]; then pass "GET $1 -> $2 rows"; else
        fail "GET $1" "expected $2 rows in range, got $count${bad:+, out of range: $bad}"; fi
    check_headers "GET $1" "$json_type"
}

expect_text /plaintext 200 'Hello, World!'
expect_text /health 200 ok

fetch /json
if [ "$status" = 200 ] && [ "$(printf '%s' "$body" | tr -d ' \n\t\r')" = '{"message":"Hello,World!"}' ] \
    && [[ $body == *'Hello, World!'* ]]; then pass 'GET /json -> {"message":"Hello, World!"}'; else
    fail "GET /json" "got $status '${body:0:200}'"; fi
check_headers "GET /json" "$json_type"

fetch /no-such-path
if [ "$status" = 404 ]; then pass "GET /no-such-path -> 404"; else fail "GET /no-such-path" "status $status"; fi
check_headers "GET /no-such-path" "$text_type"

# Sized bodies (Istio's 1 KiB responses): exactly N bytes of x; a count that is not 0 ... 1 MiB in digits is a 404.
for count in 1024 0; do
    fetch "/bytes/$count"
    size=$(wc -c <"$work/body" | tr -d ' ')
    if [ "$status" = 200 ] && [ "$size" = "$count" ] && [ -z "$(tr -d x <"$work/body")" ]; then
        pass "GET /bytes/$count -> 200, $count bytes of x"; else
        fail "GET /bytes/$count" "expected 200 and $count bytes of x, got $status and $size bytes"; fi
    check_headers "GET /bytes/$count" "$text_type"
done
for path in /bytes/1048577 /bytes/1k; do
    fetch "$path"
    if [ "$status" = 404 ]; then pass "GET $path -> 404"; else fail "GET $path" "status $status"; fi
done

# Date is current, not cached: two answers two seconds apart differ.
fetch /plaintext
first_date=$(header date)
sleep 2
fetch /plaintext
if [ -n "$first_date" ] && [ "$(header date)" != "$first_date" ]; then pass "Date changes over time"; else
    fail "Date changes over time" "still '$first_date' after 2 s"; fi

if [ "$database" = no ]; then
    for path in /db "/queries?queries=2" "/updates?queries=2"; do
        fetch "$path"
        if [ "$status" = 503 ] && [ -n "$body" ]; then pass "GET $path -> 503 without a database"; else
            fail "GET $path" "expected 503 without a database, got $status '${body:0:200}'"; fi
        check_headers "GET $path" "$text_type"
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

fetch /db
compact=$(printf '%s' "$body" | tr -d ' \n\t\r')
if [ "$status" = 200 ] && [[ $compact =~ ^$world$ ]] && in_range "${BASH_REMATCH[1]}" && in_range "${BASH_REMATCH[2]}"; then
    pass "GET /db -> one row"; else fail "GET /db" "got $status '${body:0:200}'"; fi
check_headers "GET /db" "$json_type"

# The clamping rule: missing, empty, 0, negative, non-numeric -> 1; above 500 -> 500.
for case in "/queries 1" "/queries?queries= 1" "/queries?queries=0 1" "/queries?queries=-5 1" \
    "/queries?queries=foo 1" "/queries?queries=5abc 1" "/queries?queries=2 2" "/queries?queries=20 20" \
    "/queries?queries=500 500" "/queries?queries=501 500" "/queries?queries=1000 500" \
    "/queries?queries=99999999999999999999999 500" "/updates 1" "/updates?queries=0 1" \
    "/updates?queries=foo 1" "/updates?queries=1000 500"; do
    expect_rows ${case% *} ${case#* }
done

# /updates writes what it returns, into distinct rows, each given a new value.
if [ -z "$database_url" ]; then
    echo "skip /updates persistence: no --database-url given"
elif ! command -v psql >/dev/null 2>&1; then
    echo "skip /updates persistence: psql is not installed"
else
    snapshot() { psql -X -q -A -t -F ' ' -d "$database_url" -c 'SELECT id, randomNumber FROM World ORDER BY id' >"$1"; }
    if snapshot "$work/before"; then
        fetch "/updates?queries=20"
        rows=$(worlds_in "$body") || rows=
        printf '%s\n' "$rows" | grep . >"$work/returned" || true
        snapshot "$work/after"
        returned=$(wc -l <"$work/returned" | tr -d ' ')
        distinct=$(cut -d ' ' -f 1 "$work/returned" | sort -u | wc -l | tr -d ' ')
        # Returned rows that the table now holds, and of those, rows whose value changed.
        stored=$(awk 'NR == FNR { after[$1] = $2; next } after[$1] == $2' "$work/after" "$work/returned" | wc -l | tr -d ' ')
        changed=$(awk 'NR == FNR { before[$1] = $2; next } before[$1] != $2' "$work/before" "$work/returned" | wc -l | tr -d ' ')
        if [ "$returned" = 20 ] && [ "$distinct" = 20 ] && [ "$stored" = 20 ] && [ "$changed" = 20 ]; then
            pass "/updates?queries=20 wrote 20 distinct rows, all changed"
        else
            fail "/updates?queries=20" "returned $returned rows, $distinct distinct, $stored stored as returned, $changed changed"
        fi
        total=$(wc -l <"$work/after" | tr -d ' ')
        if [ "$total" = 10000 ]; then pass "World holds 10000 rows"; else fail "World rows" "$total rows"; fi
    else
        fail "/updates persistence" "psql could not read World from $database_url"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
