#!/usr/bin/env bash
# Publishes the .NET reference app into apps/dotnet/.build-out (framework-dependent) and prints the path
# of stacklab-dotnet.dll; run it with `dotnet PATH`.
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
out=$here/.build-out
mkdir -p "$out"
cd "$here"
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet publish stacklab-dotnet.csproj -c Release -o "$out" --nologo -v quiet >&2
echo "$out/stacklab-dotnet.dll"
