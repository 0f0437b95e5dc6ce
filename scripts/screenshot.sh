#!/usr/bin/env bash
# Renders an SVG or HTML file (a forecast plot, a stability report or one of its charts) to a PNG with
# headless Chromium, to look at what Ballast draws.
#
#   scripts/screenshot.sh FILE [OUT.png] [WIDTHxHEIGHT]
#
# OUT defaults to FILE with .png; the window defaults to 1200x900 for an SVG and 1000x4000 for an HTML
# page (a stability report is long). Needs chromium (apt-get install -y chromium). Chromium runs with a
# throw-away profile and no network features; the file is opened from disk.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 3 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
in="$1"
if [ ! -f "$in" ]; then
  echo "screenshot: no file $in" >&2
  exit 2
fi
out="${2:-${in%.*}.png}"
case "$in" in
  *.html|*.htm) size="${3:-1000x4000}" ;;
  *) size="${3:-1200x900}" ;;
esac
if ! [[ "$size" =~ ^[0-9]+x[0-9]+$ ]]; then
  echo "screenshot: size must be WIDTHxHEIGHT, got '$size'" >&2
  exit 2
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "screenshot: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi
abs_in="$(cd "$(dirname "$in")" && pwd)/$(basename "$in")"
mkdir -p "$(dirname "$out")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --force-device-scale-factor=1 --user-data-dir="$profile" \
  --screenshot="$abs_out" --window-size="${size/x/,}" "file://$abs_in" >/dev/null 2>&1 || true
if [ ! -s "$abs_out" ]; then
  echo "screenshot: chromium wrote no $abs_out" >&2
  exit 1
fi
echo "$abs_out"
