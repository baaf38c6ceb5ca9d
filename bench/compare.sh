#!/usr/bin/env bash
# marketgen against Hugo on identical generated corpora, in one run on this machine.
#
#   bench/compare.sh [CONNECTORS]      (default 10000; RUNS=3 timed runs each)
#
# Prints the median wall time (hyperfine) and peak RSS (/usr/bin/time) of a fresh build by
# each tool, the time of `marketgen check`, and the ratios the targets in BENCHMARKS.md are
# stated in. Corpora and outputs live in a tmpfs so the disk does not time itself.
set -euo pipefail
cd "$(dirname "$0")/.."

connectors=${1:-10000}
runs=${RUNS:-3}
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/$connectors

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hugo hugo
need hyperfine hyperfine
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release --quiet --bin marketgen --example corpus
marketgen=$PWD/target/release/marketgen

if [ ! -f "$work/hugo/hugo.toml" ]; then
  rm -rf "$work"
  ./target/release/examples/corpus --connectors "$connectors" --out "$work/marketgen" --hugo "$work/hugo"
fi

mg_build="$marketgen build --root $work/marketgen --output $work/out-marketgen"
hugo_build="hugo --quiet --source $work/hugo --destination $work/out-hugo"
mg_check="$marketgen check --root $work/marketgen --format short"

hyperfine --style basic --runs "$runs" --export-json "$work/times.json" \
  --prepare "rm -rf $work/out-marketgen $work/out-hugo" \
  -n "marketgen build" "$mg_build" \
  -n "hugo" "$hugo_build" \
  -n "marketgen check" "$mg_check" >&2

# Peak RSS of one fresh run of each, which also leaves the outputs to count pages in.
peak() { rm -rf "$1"; shift; /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
mg_rss=$(peak "$work/out-marketgen" $mg_build)
hugo_rss=$(peak "$work/out-hugo" $hugo_build)
check_rss=$(peak "$work/none" $mg_check)
mg_pages=$(find "$work/out-marketgen" -name '*.html' | wc -l)
hugo_pages=$(find "$work/out-hugo" -name '*.html' | wc -l)

python3 - "$work/times.json" "$connectors" "$mg_rss" "$hugo_rss" "$check_rss" "$mg_pages" "$hugo_pages" "$(nproc)" <<'PY'
import json, sys
times, n, mg_rss, hugo_rss, check_rss, mg_pages, hugo_pages, cores = sys.argv[1:]
median = {r["command"]: r["median"] for r in json.load(open(times))["results"]}
mg, hugo, check = median["marketgen build"], median["hugo"], median["marketgen check"]
mib = lambda kib: int(kib) / 1024
print(f"corpus: {int(n):,} connectors; {int(mg_pages):,} HTML pages from marketgen, {int(hugo_pages):,} from Hugo; {cores} cores")
print(f"{'':18}{'median wall':>12}{'peak RSS':>12}")
print(f"{'marketgen build':18}{mg:>11.2f}s{mib(mg_rss):>8.0f} MiB")
print(f"{'hugo':18}{hugo:>11.2f}s{mib(hugo_rss):>8.0f} MiB")
print(f"{'marketgen check':18}{check:>11.2f}s{mib(check_rss):>8.0f} MiB")
print(f"ratio marketgen/hugo (build wall): {mg / hugo:.3f}  (Hugo takes {hugo / mg:.2f}x as long; target >= 4x)")
print(f"ratio check/build:                 {check / mg:.3f}  (check is {mg / check:.1f}x faster; target >= 5x)")
print(f"peak memory target (< 500 MiB):    {'met' if mib(mg_rss) < 500 else 'MISSED'} ({mib(mg_rss):.0f} MiB)")
PY
