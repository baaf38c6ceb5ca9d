#!/usr/bin/env bash
# marketgen against Hugo on identical generated corpora, in one run on this machine, then on
# the real corpus (bench/real.sh, cold and warm) when it is there.
#
#   bench/compare.sh [CONNECTORS]      (default 10000; RUNS=5 alternating rounds)
#   CORPUS_FLAGS="--raster-logos --screenshots --code-heavy" bench/compare.sh 10000
#                                      (the highlighting stress corpus)
#   REAL=0 bench/compare.sh            (the generated corpus only)
#
# The generated corpus has raster logos and screenshots of the real corpus's sizes unless
# CORPUS_FLAGS says otherwise (`--raster-logos --screenshots` by default: five logos in eight
# are PNGs, up to 8,259 pixels wide, which both tools make into 192 and 96 pixel copies).
#
# Prints the median wall time and the peak RSS (/usr/bin/time) of fresh builds by each tool,
# taken in alternation, the time of `marketgen check`, and the ratios the targets in
# BENCHMARKS.md are stated in. Corpora and outputs live in a tmpfs so the disk does not time
# itself.
set -euo pipefail
cd "$(dirname "$0")/.."

connectors=${1:-10000}
runs=${RUNS:-5}
corpus_flags=${CORPUS_FLAGS---raster-logos --screenshots}
# Each kind of corpus keeps its own folder, so a stress run never reuses a plain corpus.
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/$connectors${corpus_flags// /}

source bench/hugo.sh
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

# The `dist` profile (fat LTO): the published binaries, which the targets are stated for.
cargo build --profile dist --quiet --bin marketgen --example corpus
marketgen=$PWD/target/dist/marketgen

if [ ! -f "$work/hugo/hugo.toml" ]; then
  rm -rf "$work"
  ./target/dist/examples/corpus --connectors "$connectors" $corpus_flags --out "$work/marketgen" --hugo "$work/hugo"
fi

mg_build="$marketgen build --root $work/marketgen --output $work/out-marketgen"
hugo_build="$hugo --quiet --source $work/hugo --destination $work/out-hugo"
mg_check="$marketgen check --root $work/marketgen --format short"

# Fresh builds in alternation (marketgen, Hugo, check; then again), so that a shared
# machine's drift falls on both tools alike; each line holds one round's wall seconds and
# peak RSS (KiB) of each, measured by /usr/bin/time.
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
: > "$work/rounds"
for round in $(seq "$runs"); do
  rm -rf "$work/out-marketgen" "$work/out-hugo" "$work/hugo/resources/_gen"
  mg=$(measure $mg_build)
  hugo=$(measure $hugo_build)
  check=$(measure $mg_check)
  echo "$mg $hugo $check" >> "$work/rounds"
  echo "round $round: marketgen ${mg%% *} s, hugo ${hugo%% *} s, check ${check%% *} s" >&2
done
mg_pages=$(find "$work/out-marketgen" -name '*.html' | wc -l)
hugo_pages=$(find "$work/out-hugo" -name '*.html' | wc -l)

python3 - "$work/rounds" "$connectors" "$mg_pages" "$hugo_pages" "$(nproc)" <<'PY'
import statistics, sys
rounds, n, mg_pages, hugo_pages, cores = sys.argv[1:]
rows = [list(map(float, line.split())) for line in open(rounds)]
mg, mg_rss, hugo, hugo_rss, check, check_rss = (
    statistics.median(r[i] for r in rows) for i in range(6))
peak = lambda i: max(r[i] for r in rows) / 1024
ratios = [r[2] / r[0] for r in rows]
print(f"corpus: {int(n):,} connectors; {int(mg_pages):,} HTML pages from marketgen, {int(hugo_pages):,} from Hugo; {cores} cores; {len(rows)} alternating rounds")
print(f"{'':18}{'median wall':>12}{'peak RSS':>12}")
print(f"{'marketgen build':18}{mg:>11.2f}s{peak(1):>8.0f} MiB")
print(f"{'hugo':18}{hugo:>11.2f}s{peak(3):>8.0f} MiB")
print(f"{'marketgen check':18}{check:>11.2f}s{peak(5):>8.0f} MiB")
print(f"Hugo / marketgen, each round:      {', '.join(f'{r:.2f}x' for r in ratios)}")
print(f"ratio marketgen/hugo (build wall): {mg / hugo:.3f}  (Hugo takes {hugo / mg:.2f}x as long; median of rounds {statistics.median(ratios):.2f}x; target >= 4x)")
print(f"ratio check/build:                 {check / mg:.3f}  (check is {mg / check:.1f}x faster; target >= 5x)")
print(f"peak memory target (< 500 MiB):    {'met' if peak(1) < 500 else 'MISSED'} ({peak(1):.0f} MiB)")
PY

if [ "${REAL:-1}" = 1 ] && [ -d "${CORPUS:-../shared/corpus/real}" ]; then
  MARKETGEN=$marketgen bench/real.sh
fi
