#!/bin/sh
# Screenshot of a StackLab HTML report in headless Chromium, and a check that it rendered.
#
#   scripts/report-screenshot.sh [--install] REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# Needs Debian's `chromium`. When it is missing, nothing is installed silently: with --install it is installed
# with apt-get (as root, or with sudo); at a terminal the script asks first; under CI (CI=true) or without a
# terminal it stops and prints the command to run. Fails (exit 1) when the screenshot is missing, has the wrong
# size, or is nearly blank: a rendered report with its charts has hundreds of distinct colours (anti-aliased text
# and lines in the chart palette), a blank page one or two.
set -eu

install=no
if [ "${1:-}" = "--install" ]; then install=yes; shift; fi
if [ $# -lt 2 ]; then
    echo "usage: $0 [--install] REPORT.html OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
report=$1
out=$2
width=${3:-1200}
height=${4:-3600}

[ -f "$report" ] || { echo "error: no such file: $report" >&2; exit 2; }

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo "; else sudo=""; fi
    command="${sudo}apt-get update && ${sudo}apt-get install chromium"
    what="Chromium is not installed. It comes from Debian's 'chromium' package, which pulls in about a hundred \
other packages and may upgrade installed ones (systemd, perl)."
    if [ "$install" = no ]; then
        if [ "${CI:-}" = true ] || [ ! -t 0 ] || [ ! -t 2 ]; then
            echo "error: $what Install it with: $command (or run $0 --install …)" >&2
            exit 2
        fi
        printf '%s\nInstall it now with: %s ? [y/N] ' "$what" "$command" >&2
        read -r answer || answer=""
        case "$answer" in
            y | Y | yes | Yes) ;;
            *) echo "error: not installed; install it with: $command" >&2; exit 2 ;;
        esac
    fi
    echo "installing chromium: $command" >&2
    ${sudo}apt-get update -q
    DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -q chromium
    browser=chromium
fi

path=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
# --no-sandbox: root in a container has no user namespaces; the page is a local file without scripts.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "file://$path" >/dev/null 2>&1 || true

python3 - "$out" "$width" "$height" <<'PY'
import struct, sys, zlib

path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    data = open(path, "rb").read()
except OSError:
    sys.exit(f"error: no screenshot was written to {path}")
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"error: {path} is not a PNG")
chunks, pos = {}, 8
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunks.setdefault(kind, []).append(data[pos + 8:pos + 8 + length])
    pos += 12 + length
w, h, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
if (w, h) != (width, height):
    sys.exit(f"error: screenshot is {w}x{h}, expected {width}x{height}")
if depth != 8 or colour not in (2, 6):
    sys.exit(f"error: unexpected PNG format (depth {depth}, colour type {colour})")
channels = 3 if colour == 2 else 4
raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
stride = w * channels
previous = bytearray(stride)
colours, pos = set(), 0
for _ in range(h):
    kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
    pos += 1 + stride
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up = previous[i]
        corner = previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    for x in range(0, stride, channels * 2):
        colours.add(bytes(line[x:x + 3]))
    previous = line
if len(colours) < 50:
    sys.exit(f"error: the screenshot looks blank ({len(colours)} distinct colours)")
print(f"{path}: {w}x{h}, {len(colours)} distinct colours, {len(data)} bytes")
PY
