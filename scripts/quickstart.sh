#!/usr/bin/env bash
# StackLab's main job on the embedded default: builds StackLab and the Swift reference app (release),
# then runs the built-in quickstart experiment. Arguments go to `stacklab run` (e.g. an experiment file).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
    echo "installing libsqlite3-dev (the reference app's SQLite) with apt-get" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libsqlite3-dev >/dev/null
fi
echo "building stacklab and stacklab-refapp (release; the first build takes about ten minutes)" >&2
swift build -c release --product stacklab-refapp >&2
swift build -c release --product stacklab >&2
exec "$(swift build -c release --show-bin-path)/stacklab" run "$@"
