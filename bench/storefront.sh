#!/usr/bin/env bash
# The catalogue at the sizes real marketplaces reach (issue 17), as a visitor's browser sees
# it, next to Pagefind indexing and searching the same pages.
#
#   bench/storefront.sh [SIZES...]        (default: 1000 10000)
#
# Per size: the compressed weight of the catalogue's first view, the time until its search
# is ready, and each keystroke's time (typing four queries key by key) in chromium; then
# Pagefind's indexing time, what its searches fetch, and its keystroke times.
# PROFILE=debug uses debug binaries instead of a release build: the output, so every figure
# but none of the build, is the same.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BENCH_DIR:-/dev/shm/marketgen-storefront}
profile=${PROFILE:-release}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
python3 -m pagefind_bin --version >/dev/null 2>&1 || pip install -q pagefind-bin
if [ "$profile" = release ]; then
  cargo build --release --quiet --bin marketgen --example corpus --example catalogue_bench
else
  cargo build --quiet --bin marketgen --example corpus --example catalogue_bench
fi
bin=$PWD/target/$profile
now() { python3 -c 'import time; print(time.monotonic())'; }

for n in "${sizes[@]}"; do
  work=$base/$n
  [ -f "$work/site/site.yaml" ] || "$bin/examples/corpus" --connectors "$n" --out "$work/site"
  "$bin/marketgen" build --force --root "$work/site" --output "$work/out" >/dev/null
  echo "== $n connectors"
  pages=$(find "$work/out/connectors/page" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
  echo "marketgen: the catalogue in $((pages + 1)) server-rendered pages of results"
  start=$(now)
  python3 -m pagefind_bin --site "$work/out" >/dev/null
  end=$(now)
  python3 -c "print(f'pagefind: indexed in {$end - $start:.1f} s, {int(\"$(du -sk "$work/out/pagefind" | cut -f1)\")} KB on disk')"
  "$bin/examples/catalogue_bench" --site "$work/out" --pagefind
done
