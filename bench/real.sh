#!/usr/bin/env bash
# marketgen against Hugo on the real corpus, cold and warm, side by side in one hyperfine run.
#
#   bench/real.sh                  (RUNS=3; CORPUS=../shared/corpus/real; MARKETGEN=binary)
#
# The corpus is copied to a tmpfs with the site.yaml settings tests/it/corpus.rs adds, and its
# Hugo twin is made from the copy (bench/hugo_twin.py: the same docs, logos and screenshots,
# Hugo making the same two copies of each raster logo, `.Resize "192x png"` and `"96x png"`).
# Cold: Hugo with an empty `resources/_gen` and cache folder; marketgen with an empty
# `--cache-dir` when `build --help` lists one, else a plain build. Warm: a fresh output folder,
# caches kept (for a marketgen without a cache, the same as cold). Prints hyperfine's figures,
# each command's peak RSS (/usr/bin/time, one more run after the same preparation), and the
# ratios the issue's targets are stated in.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
corpus=$(realpath "${CORPUS:-../shared/corpus/real}")
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/real
# The settings tests/it/corpus.rs adds to the corpus's site.yaml (its POLICIES).
policies=$'\nmarkdown:\n  image_hosts: [raw.githubusercontent.com]\nlimits:\n  svg_kib: 512\n'

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
source bench/hugo.sh
if [ -z "${MARKETGEN:-}" ]; then
  cargo build --release --quiet --bin marketgen
  MARKETGEN=$PWD/target/release/marketgen
fi
marketgen=$MARKETGEN

if [ ! -f "$work/hugo/hugo.toml" ] || [ "$corpus" -nt "$work/hugo/hugo.toml" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  cp -r "$corpus" "$work/site"
  rm "$work/site/site.yaml"
  { cat "$corpus/site.yaml"; printf '%s' "$policies"; } > "$work/site/site.yaml"
  python3 bench/hugo_twin.py "$work/site" "$work/hugo"
fi
connectors=$(find "$work/site/content/connectors" -name connector.yaml | wc -l)
logos=$(find "$work/site/content/connectors" -maxdepth 2 \( -name 'logo.png' -o -name 'logo.webp' \) | wc -l)

# The cache flags, if this marketgen has them (the cache branch adds them).
mg_out=$work/out-marketgen
mg_cache=$work/cache-marketgen
if "$marketgen" build --help | grep -q -- '--cache-dir'; then
  cache="--cache-dir $mg_cache"
  mg_kind="cache: --cache-dir"
else
  cache=""
  mg_kind="no cache flags: warm is a plain build"
fi
hugo_out=$work/out-hugo
hugo_cache=$work/cache-hugo
mg_build="$marketgen build --root $work/site --output $mg_out $cache"
hugo_build="$hugo --quiet --source $work/hugo --destination $hugo_out --cacheDir $hugo_cache"
mg_cold_prep="rm -rf $mg_out $mg_cache"
mg_warm_prep="rm -rf $mg_out"
hugo_cold_prep="rm -rf $hugo_out $work/hugo/resources/_gen $hugo_cache"
hugo_warm_prep="rm -rf $hugo_out"

# One warm-up of each fills the caches the warm runs keep; the cold runs empty them first.
hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$work/real.json" \
  --prepare "$mg_cold_prep" -n "marketgen cold" "$mg_build" \
  --prepare "$hugo_cold_prep" -n "hugo cold" "$hugo_build" \
  --prepare "$mg_warm_prep" -n "marketgen warm" "$mg_build" \
  --prepare "$hugo_warm_prep" -n "hugo warm" "$hugo_build" >&2

peak() { eval "$1"; /usr/bin/time -f %M $2 2>&1 >/dev/null | tail -1; }
rss_mg_cold=$(peak "$mg_cold_prep" "$mg_build")
rss_mg_warm=$(peak "$mg_warm_prep" "$mg_build")
rss_hugo_cold=$(peak "$hugo_cold_prep" "$hugo_build")
rss_hugo_warm=$(peak "$hugo_warm_prep" "$hugo_build")
copies_mg=$(find "$mg_out/logos" -name "*.png" | wc -l)
copies_hugo=$(find "$hugo_out/connectors" -name 'logo_hu_*' | wc -l)

python3 - "$work/real.json" "$connectors" "$logos" "$copies_mg" "$copies_hugo" "$(nproc)" "$mg_kind" \
  "$rss_mg_cold" "$rss_hugo_cold" "$rss_mg_warm" "$rss_hugo_warm" <<'PY'
import json, sys
path, n, logos, copies_mg, copies_hugo, cores, kind, *rss = sys.argv[1:]
runs = {r["command"]: r for r in json.load(open(path))["results"]}
rss = dict(zip(["marketgen cold", "hugo cold", "marketgen warm", "hugo warm"], map(int, rss)))
print(f"real corpus: {n} connectors, {logos} raster logos (copies written: marketgen {copies_mg}, Hugo {copies_hugo}); {cores} cores; marketgen {kind}")
print(f"{'':16}{'median':>9}{'mean ± sd':>18}{'peak RSS':>11}")
for name, r in runs.items():
    print(f"{name:16}{r['median']:>8.2f}s{r['mean']:>10.2f} ± {r['stddev'] or 0:.2f}s{rss[name] / 1024:>7.0f} MiB")
cold = runs["hugo cold"]["median"] / runs["marketgen cold"]["median"]
warm = runs["hugo warm"]["median"] / runs["marketgen warm"]["median"]
print(f"Hugo / marketgen, cold: {cold:.2f}x (target >= 8x); warm: {warm:.2f}x (target >= 5x)")
PY
