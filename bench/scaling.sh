#!/usr/bin/env bash
# Does the cost of a build grow linearly with the catalogue? marketgen alone at several sizes.
#
#   bench/scaling.sh [SIZES...]        (default: 1000 10000 50000; RUNS=3 timed runs each)
#
# Prints, per size, the median build and check times and peak RSS, and the time per
# connector: flat figures down the column mean linear cost.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
base=${BENCH_DIR:-/dev/shm/marketgen-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# The `dist` profile (fat LTO): the published binaries, which the targets are stated for.
cargo build --profile dist --quiet --bin marketgen --example corpus
marketgen=$PWD/target/dist/marketgen

printf '%10s %12s %12s %10s %14s %14s\n' connectors "build (s)" "check (s)" "peak MiB" "build ms/conn" "check ms/conn"
for n in "${sizes[@]}"; do
  work=$base/$n
  [ -f "$work/marketgen/site.yaml" ] || ./target/dist/examples/corpus --connectors "$n" --out "$work/marketgen"
  build="$marketgen build --root $work/marketgen --output $work/out-marketgen"
  check="$marketgen check --root $work/marketgen --format short"
  hyperfine --style none --runs "$runs" --export-json "$work/scaling.json" --prepare "rm -rf $work/out-marketgen" -n build "$build" -n check "$check" >/dev/null
  rm -rf "$work/out-marketgen"
  rss=$(/usr/bin/time -f %M $build 2>&1 >/dev/null | tail -1)
  python3 - "$work/scaling.json" "$n" "$rss" <<'PY'
import json, sys
times, n, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
m = {r["command"]: r["median"] for r in json.load(open(times))["results"]}
print(f"{n:>10} {m['build']:>12.2f} {m['check']:>12.2f} {rss / 1024:>10.0f} {m['build'] * 1000 / n:>14.2f} {m['check'] * 1000 / n:>14.3f}")
PY
done
