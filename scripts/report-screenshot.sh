#!/usr/bin/env bash
# Renders a model's HTML report in headless Chromium and saves a screenshot of it.
#   scripts/report-screenshot.sh [model] [out.png]     (defaults: ResNet50, target/report-screenshots/<model>.png)
# Builds the examples when the report is missing; installs Debian's chromium when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

model=${1:-ResNet50}
out=${2:-target/report-screenshots/$model.png}
report=examples/target/classes/META-INF/modelcost/dev.modelcost.examples.$model.html

if [ ! -f "$report" ]; then
  mvn -B -q -DskipTests package
fi
if [ ! -f "$report" ]; then
  echo "no report for $model at $report" >&2
  exit 1
fi

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  apt-get update -q && apt-get install -y -q chromium
  chromium=$(command -v chromium)
fi

mkdir -p "$(dirname "$out")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1100,1400 \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" >/dev/null 2>&1

if [ ! -s "$out" ]; then
  echo "chromium wrote no screenshot" >&2
  exit 1
fi
echo "screenshot of $report: $out"
