#!/usr/bin/env bash
# Builds the Rust reference app offline into its build directory as stacklab-rust and prints that path.
# Writes only to its build directory: $STACKLAB_APP_OUT, else $STACKLAB_BUILD_DIR/rust, else
# ${STACKLAB_HOME:-~/.stacklab}/apps/rust; never into the checkout, which may be read-only.
# Cargo writes Cargo.lock beside Cargo.toml, so the sources are copied there first (times kept, so an
# unchanged source is not rebuilt); target/ there is the cache to keep between CI runs.
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
out=${STACKLAB_APP_OUT:-${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/rust}
src=$out/src
mkdir -p "$src"
rm -rf "$src/src" "$src/.cargo"
cp -p "$here/Cargo.toml" "$src/"
cp -Rp "$here/src" "$here/.cargo" "$src/"
cd "$src"
CARGO_TARGET_DIR=$out/target CARGO_NET_OFFLINE=true "$cargo" build --release --offline --quiet
cp "$out/target/release/stacklab-rust" "$out/stacklab-rust"
echo "$out/stacklab-rust"
