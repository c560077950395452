#!/usr/bin/env bash
# Installs what the tests need, builds once, runs every test from that build, and checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."

# Servers and tools the tests start for real (Debian packages; see DESIGN.md).
packages=()
command -v nginx >/dev/null 2>&1 || packages+=(nginx-light)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || packages+=(libsqlite3-dev)
if [ ${#packages[@]} -gt 0 ]; then
    echo "installing ${packages[*]} with apt-get" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi

swift build --build-tests
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt | grep -vE '^(􀟈|◇|↳)|^✔ Test .* (started|passed)' || true
status=${PIPESTATUS[0]}
grep -E '^✔ Test run|^✘ Test run|Executed [0-9]+ tests' .build/test-output.txt || true
if [ "$status" -ne 0 ]; then exit "$status"; fi

echo "checking formatting (swift format lint --strict)" >&2
swift format lint --strict --recursive Package.swift Sources Tests
