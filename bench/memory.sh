#!/usr/bin/env bash
# Peak memory of a build and a check of the corpus with screenshots: does anything hold every
# image for the whole run? Three connectors in ten have two PNG screenshots of real catalogues'
# sizes (744 to 2,514 pixels wide, 60-200 KB).
#
#   bench/memory.sh [CONNECTORS]        (default: 10000; target: build under 500 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/$n-screenshots
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# The generator is built in debug: a release example would build the dev-dependencies (the
# browser tests' chromiumoxide) in release too, for no gain in writing files.
cargo build --release --quiet --bin marketgen
cargo build --quiet --example corpus
[ -f "$work/marketgen/site.yaml" ] || ./target/debug/examples/corpus --connectors "$n" --screenshots --out "$work/marketgen"
shots=$(find "$work/marketgen/content/connectors" -name '*.png' | wc -l)
rm -rf "$work/out"
for step in build check; do
  args=(--root "$work/marketgen")
  [ "$step" = build ] && args+=(--output "$work/out")
  /usr/bin/time -f '%M %e' ./target/release/marketgen "$step" "${args[@]}" 2>"$work/$step.time" >/dev/null
  read -r kib secs < <(tail -1 "$work/$step.time")
  printf '%-6s %6d connectors, %5d screenshots: peak RSS %5d MiB, %6.2f s\n' "$step" "$n" "$shots" $((kib / 1024)) "$secs"
done
rm -rf "$work/out"
