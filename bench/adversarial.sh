#!/usr/bin/env bash
# Does any hostile shape of content cost more than its size? Each shape is generated at n and
# at 4n units into a copy of the valid fixture, and `check` is timed in every output format;
# the ratio of the two times is about 4 when the work is linear, about 16 when quadratic.
#
#   bench/adversarial.sh [N]        (default N: 12000; MARKETGEN=path uses that binary)
#
# Shapes (issue 16): warnings printed in every format (n on n lines, n on one line), and the
# Markdown shapes whose work could grow with the square of the page: equal headings, empty
# headings, broken links in a folder of long file names, admonitions and HTML nested without
# end (sanitize mode), unclosed attribute quotes and comment openers, and a table padded to a
# wide header.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MARKETGEN:-}" ]; then
  cargo build --release --quiet --bin marketgen
  MARKETGEN=$PWD/target/release/marketgen
fi
MARKETGEN=$MARKETGEN SOURCE_DATE_EPOCH=1795651200 python3 - "${1:-12000}" <<'PY'
import os, shutil, subprocess, sys, tempfile, time

n = int(sys.argv[1])
WIDE_HEADER = "|a" * 2000 + "|\n" + "|-" * 2000 + "|\n"
SHAPES = {
    "warnings-on-lines": lambda units: "lines of <u>tags\n" * units,
    "warnings-on-one-line": lambda units: "a <u> " * units + "\n",
    "equal-headings": lambda units: "## Same heading\n\n" * units,
    "empty-headings": lambda units: "#\n" * units,
    "broken-links": lambda units: "[a](missing.md)\n\n" * units,
    "admonitions-unclosed": lambda units: ":::note\nx\n\n" * units,
    "html-nested": lambda units: "<div>" * units,
    "unclosed-quotes": lambda units: "<a x='" * units,
    "comment-openers": lambda units: "<!--" * units,
    "table-padding": lambda units: WIDE_HEADER + "|x|\n" * units,
}
# Shapes that also need the site's sanitize mode, or files beside the page.
SANITIZE = {"admonitions-unclosed", "html-nested"}
LONG_NAMES = {"broken-links"}
# Only the Markdown shapes' cost is in question: one format is enough for them.
PRINTED = {"warnings-on-lines", "warnings-on-one-line"}

def site(work, shape, units):
    root = os.path.join(work, f"{shape}-{units}")
    shutil.copytree("tests/fixtures/valid", root)
    docs = os.path.join(root, "content/connectors/acme-orders/docs")
    with open(os.path.join(docs, "hostile.md"), "w") as f:
        f.write("---\ntitle: Hostile\n---\n\n" + SHAPES[shape](units))
    if shape in SANITIZE:
        yaml = os.path.join(root, "site.yaml")
        with open(yaml) as f:
            text = f.read().replace("raw_html: escape", "raw_html: sanitize")
        with open(yaml, "w") as f:
            f.write(text)
    if shape in LONG_NAMES:
        for i in range(units // 20):
            open(os.path.join(docs, f"{'a' * 120}-{i}.png"), "w").close()
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
        for format in ["human", "short", "json"] if shape in PRINTED else ["short"]:
            a, b = seconds(small, format), seconds(large, format)
            print(f"{shape:22} {format:6} {a:10.3f} {b:10.3f} {b / a:7.1f}")
PY
