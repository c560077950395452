#!/usr/bin/env bash
# Builds the Rust reference app offline into apps/rust/.build-out/stacklab-rust and prints that path.
#
# Crates come from Debian's librust-*-dev packages through the directory source in .cargo/config.toml
# (scripts/install-runtimes.sh rust installs them); cargo never reaches crates.io.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cargo=${CARGO:-$(command -v cargo || echo "$HOME/.cargo/bin/cargo")}
if [ ! -x "$cargo" ]; then
    echo "build.sh: no cargo; the Rust toolchain is expected on the machine" >&2
    exit 1
fi
if [ ! -d /usr/share/cargo/registry ] || ! ls -d /usr/share/cargo/registry/tokio-postgres-* >/dev/null 2>&1; then
    echo "build.sh: Debian's crates are missing; run scripts/install-runtimes.sh rust" >&2
    exit 1
fi
out=$here/.build-out
mkdir -p "$out"
cd "$here"
CARGO_TARGET_DIR=$out/target CARGO_NET_OFFLINE=true "$cargo" build --release --offline --quiet
cp "$out/target/release/stacklab-rust" "$out/stacklab-rust"
echo "$out/stacklab-rust"
