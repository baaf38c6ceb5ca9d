#!/usr/bin/env bash
# What getting marketgen costs, per Cargo profile: each built from nothing in a target folder of
# its own, as a fresh clone builds it.
#
#   bench/install.sh [PROFILE...]        (default: release dist)
#
# Prints, per profile, the CPU time (user + sys) and the wall time of the build (/usr/bin/time),
# the size of its target folder, and how long its binary takes to build the sample marketplace
# and, when it is there, the real corpus (hyperfine). On a shared machine compare the CPU times:
# the wall time is whatever the other builds leave. `cargo install --path . --locked` builds
# `release`; the release workflow builds `dist`.
set -euo pipefail
cd "$(dirname "$0")/.."

profiles=("$@")
((${#profiles[@]})) || profiles=(release dist)
work=${BENCH_DIR:-$PWD/../bench-install}
corpus=${MARKETGEN_CORPUS:-$PWD/../shared/corpus/real}

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo fetch --locked --quiet
mkdir -p "$work"
if [ -f "$corpus/site.yaml" ] && [ ! -d "$work/corpus" ]; then
  # tests/it/corpus.rs's settings for it: the one image host its docs use, its largest SVG.
  cp -r "$corpus" "$work/corpus"
  printf '\nmarkdown:\n  image_hosts: [raw.githubusercontent.com]\nlimits:\n  svg_kib: 512\n' >>"$work/corpus/site.yaml"
fi

printf '%-8s %8s %8s %10s %12s %12s\n' profile "CPU (s)" "wall (s)" "target" "sample (ms)" "corpus (ms)"
for profile in "${profiles[@]}"; do
  target=$work/$profile
  rm -rf "$target"
  CARGO_TARGET_DIR=$target /usr/bin/time -f '%U %S %e' -o "$work.$profile.time" \
    cargo build --locked --quiet --profile "$profile" --bin marketgen
  read -r user sys wall <"$work.$profile.time"
  size=$(du -sh "$target" | cut -f1)
  folder=$profile
  [ "$profile" = dev ] && folder=debug
  binary=$target/$folder/marketgen
  mean() { hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$work.json" "$@" >/dev/null && python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$work.json"; }
  sample=$(mean "$binary build --force --output $work/out-sample")
  real=-
  [ -d "$work/corpus" ] && real=$(mean "$binary build --force --root $work/corpus --output $work/out-corpus")
  printf '%-8s %8.0f %8.0f %10s %12s %12s\n' "$profile" "$(echo "$user + $sys" | bc)" "$wall" "$size" "$sample" "$real"
  rm -rf "$target" "$work/out-sample" "$work/out-corpus"
done
rm -rf "$work" "$work".*
