#!/usr/bin/env bash
# Lighthouse's mobile scores for the real corpus (issue 23): the home page, the catalogue and
# the connector page with the longest docs, as Lighthouse's default mobile run sees them
# (a mid-range phone, throttled network and CPU).
#
#   bench/lighthouse.sh [CORPUS]          (default: ../shared/corpus/real)
#
# Prints, per page, the four category scores and the layout shift (CLS). Lighthouse is
# installed with npm into a folder of its own (LIGHTHOUSE_DIR, default under /tmp), never
# into the repository; it drives Debian's chromium (CHROME_PATH), headless, without a sandbox.
# PROFILE=debug (the default) builds with the debug binary: the site written is the same.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/real}
work=${BENCH_DIR:-/tmp/marketgen-lighthouse}
tools=${LIGHTHOUSE_DIR:-/tmp/marketgen-lighthouse-npm}
profile=${PROFILE:-debug}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

command -v "$CHROME_PATH" >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -x "$tools/node_modules/.bin/lighthouse" ] || {
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund lighthouse@12 >/dev/null
}
if [ "$profile" = release ]; then cargo build --release --quiet --bin marketgen; else cargo build --quiet --bin marketgen; fi

# The corpus with the marketplace's own settings, as tests/it/corpus.rs builds it.
rm -rf "$work" && mkdir -p "$work"
cp -r "$corpus" "$work/site" && chmod -R u+w "$work/site"
printf '\nmarkdown:\n  image_hosts: [raw.githubusercontent.com]\nlimits:\n  svg_kib: 512\n' >>"$work/site/site.yaml"
"target/$profile/marketgen" build --force --color never --root "$work/site" --output "$work/out" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }

# The connector page with the most docs (its folder's largest index.html).
long=$(cd "$work/out/connectors" && ls -S */index.html | awk -F/ 'NR == 1 { print $1 }')

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/out" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1

flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync"
printf '%-32s %6s %6s %6s %6s %7s\n' page perf a11y best seo CLS
for path in / /connectors/ "/connectors/$long/"; do
  report=$work/report-$(echo "$path" | tr / _).json
  "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$path" --quiet \
    --output=json --output-path="$report" --chrome-flags="$flags" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    const cls = r.audits["cumulative-layout-shift"].numericValue;
    console.log(process.argv[2].padEnd(32), ...["performance", "accessibility", "best-practices", "seo"]
      .map((k) => String(s(k)).padStart(6)), cls.toFixed(3).padStart(7));
    const failed = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
    if (failed.length) console.log("  failing:", failed.map((a) => a.id).join(", "));
  ' "$report" "$path"
done
