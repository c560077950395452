#!/usr/bin/env bash
# Assembles the Node.js reference app into app/ in its build directory (server.js, package.json and a
# node_modules link to Debian's node-pg) and prints the path of server.js; run it with `node PATH`.
# Writes only to its build directory: $STACKLAB_APP_OUT, else $STACKLAB_BUILD_DIR/node, else
# ${STACKLAB_HOME:-~/.stacklab}/apps/node; never into the checkout, which may be read-only.
#
# node-pg is unpacked from its Debian package into ${STACKLAB_HOME:-~/.stacklab}/node/node_modules by
# scripts/install-runtimes.sh node (the image's Node.js is not Debian's, so apt cannot install node-pg
# as a package); nothing is fetched here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
modules=${STACKLAB_HOME:-$HOME/.stacklab}/node/node_modules
if [ ! -f "$modules/pg/package.json" ]; then
    echo "build.sh: node-pg is missing from $modules; run scripts/install-runtimes.sh node" >&2
    exit 1
fi
command -v node >/dev/null 2>&1 || { echo "build.sh: no node on PATH" >&2; exit 1; }
out=${STACKLAB_APP_OUT:-${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/node}/app
rm -rf "$out"
mkdir -p "$out"
cp "$here/server.js" "$here/package.json" "$out/"
ln -s "$modules" "$out/node_modules"
node --check "$out/server.js"
(cd "$out" && node -e 'require("pg")') || { echo "build.sh: pg does not load" >&2; exit 1; }
echo "$out/server.js"
