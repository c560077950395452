#!/usr/bin/env bash
# Publishes the .NET reference app into its build directory (framework-dependent) and prints the path
# of stacklab-dotnet.dll; run it with `dotnet PATH`.
# Writes only to its build directory: $STACKLAB_APP_OUT, else $STACKLAB_BUILD_DIR/dotnet, else
# ${STACKLAB_HOME:-~/.stacklab}/apps/dotnet; never into the checkout, which may be read-only.
#
# Needs Microsoft's .NET 8 SDK (or later) on PATH: Debian 12 has no package for it, so StackLab does not
# install it; `stacklab components` says so, and a run skips the variants that use `runtime: dotnet`.
# Npgsql comes from NuGet through dotnet's own restore (the SDK's ordinary client).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v dotnet >/dev/null 2>&1 || {
    echo "build.sh: no dotnet SDK on PATH (Debian 12 has no package; install Microsoft's SDK and re-run)" >&2
    exit 1
}
out=${STACKLAB_APP_OUT:-${STACKLAB_BUILD_DIR:-${STACKLAB_HOME:-$HOME/.stacklab}/apps}/dotnet}
# dotnet writes obj/ and bin/ beside the project: build a copy (times kept) in the build directory.
src=$out/src
mkdir -p "$src"
cp -p "$here/Program.cs" "$here/stacklab-dotnet.csproj" "$src/"
cd "$src"
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet publish stacklab-dotnet.csproj -c Release -o "$out" --nologo -v quiet >&2
echo "$out/stacklab-dotnet.dll"
