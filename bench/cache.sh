#!/usr/bin/env bash
# The build cache at scale: a cold build (empty cache), an unchanged rebuild, a rebuild after
# one connector's summary and after one docs page changed, and peak memory of each.
#
#   bench/cache.sh [CONNECTORS]        (default 10000; RUNS=3 timed runs of each warm case)
#
# Uses target/release (CARGO_TARGET_DIR to build elsewhere). Prints seconds and peak MiB, and
# each warm case as a fraction of the cold build.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${RUNS:-3}
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/cache-$n
target=${CARGO_TARGET_DIR:-target}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin marketgen --example corpus
marketgen=$target/release/marketgen
rm -rf "$work"
"$target/release/examples/corpus" --connectors "$n" --out "$work/site"
site=$work/site
export SOURCE_DATE_EPOCH=1765152000
build() { /usr/bin/time -f '%e %M' "$marketgen" build --root "$site" --output "$work/out" --cache-dir "$work/cache" 2>&1 >/dev/null | tail -1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# One timed build per line: "seconds peak-KiB".
cold=$(build)
echo "cold: $cold (cache $(du -sh "$work/cache" | cut -f1))"
warm() {
  local name=$1 edit=$2 lines=""
  for _ in $(seq "$runs"); do
    eval "$edit"
    lines+="$(build)"$'\n'
  done
  local secs mib
  secs=$(printf '%s' "$lines" | cut -d' ' -f1 | median)
  mib=$(printf '%s' "$lines" | cut -d' ' -f2 | sort -n | tail -1)
  printf '%-28s %8.2f s %8.0f MiB  1/%.0f of cold\n' "$name" "$secs" "$((mib / 1024))" "$(echo "${cold% *} / $secs" | bc -l)"
}
first=$(ls "$site/content/connectors" | head -1)
record=$site/content/connectors/$first/connector.yaml
page=$(ls "$site/content/connectors/$first/docs/"*.md | head -1)
printf '%-28s %8.2f s %8.0f MiB\n' "cold (empty cache)" "${cold% *}" "$(( ${cold#* } / 1024 ))"
warm "unchanged rebuild" ":"
warm "one summary edited" 'sed -i "s/^summary: .*/summary: Edited at $RANDOM./" "$record"'
warm "one docs page edited" 'printf "\nEdited at %s.\n" "$RANDOM" >> "$page"'
