#!/bin/sh
# The HTML report of the largest shipped example, examples/gateways.yaml in full (11 variants × 4 rates × 3
# repeats, 44 series), synthesized by the sample-report test, screenshot 1200 px wide in headless Chromium: the
# check that charts and tables stay readable at that size.
#
#   scripts/gateways-report-screenshot.sh [--install] [OUT_DIR] [HEIGHT]
#
# Needs a build with tests (swift build --build-tests). Writes OUT_DIR/gateways.html and OUT_DIR/gateways.png
# (default OUT_DIR /tmp/stacklab-sample-report, HEIGHT 12000). --install is passed to report-screenshot.sh,
# which installs Chromium only when asked.
set -eu

install=""
if [ "${1:-}" = "--install" ]; then install=--install; shift; fi
out=${1:-/tmp/stacklab-sample-report}
height=${2:-12000}
cd "$(dirname "$0")/.."
STACKLAB_SAMPLE_REPORT_DIR=$out swift test --skip-build --filter SampleReportTests >/dev/null
# shellcheck disable=SC2086 # $install is empty or one word
scripts/report-screenshot.sh $install "$out/gateways.html" "$out/gateways.png" 1200 "$height"
