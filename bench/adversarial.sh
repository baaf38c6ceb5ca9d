#!/usr/bin/env bash
# Does any hostile shape of content cost more than its size? Each shape is generated at n and
# at 4n units into a copy of the valid fixture, and `check` is timed in every output format;
# the ratio of the two times is about 4 when the work is linear, about 16 when quadratic.
#
#   bench/adversarial.sh [N]        (default N: 12000; MARKETGEN=path uses that binary)
#
# Shapes (issue 16): a page of n warnings on n lines (MDX imports), and n warnings on one
# line (inline raw HTML), each printed in every format (at most 50 per file as text).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MARKETGEN:-}" ]; then
  cargo build --release --quiet --bin marketgen
  MARKETGEN=$PWD/target/release/marketgen
fi
MARKETGEN=$MARKETGEN SOURCE_DATE_EPOCH=1795651200 python3 - "${1:-12000}" <<'PY'
import os, shutil, subprocess, sys, tempfile, time

n = int(sys.argv[1])
SHAPES = {
    "warnings-on-lines": lambda units: "import a from 'b'\n" * units,
    "warnings-on-one-line": lambda units: "a <b> " * units + "\n",
}

def site(work, shape, units):
    root = os.path.join(work, f"{shape}-{units}")
    shutil.copytree("tests/fixtures/valid", root)
    page = os.path.join(root, "content/connectors/acme-orders/docs/hostile.md")
    with open(page, "w") as f:
        f.write("---\ntitle: Hostile\n---\n\n" + SHAPES[shape](units))
    return root

def seconds(root, format):
    start = time.perf_counter()
    subprocess.run([os.environ["MARKETGEN"], "check", "--root", root, "--format", format],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

print(f"{'shape':22} {'format':6} {'n (s)':>10} {'4n (s)':>10} {'ratio':>7}")
with tempfile.TemporaryDirectory(prefix="marketgen-adversarial-") as work:
    for shape in SHAPES:
        small, large = site(work, shape, n), site(work, shape, 4 * n)
        for format in ["human", "short", "json"]:
            a, b = seconds(small, format), seconds(large, format)
            print(f"{shape:22} {format:6} {a:10.3f} {b:10.3f} {b / a:7.1f}")
PY
