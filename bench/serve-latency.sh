#!/usr/bin/env bash
# How long from saving one docs page to the reload event reaching an open page, while serving
# a large catalogue; and whether a save that changes nothing rebuilds anything.
#
#   bench/serve-latency.sh [CONNECTORS]     (default 10000; EDITS=10)
set -euo pipefail
cd "$(dirname "$0")/.."
connectors=${1:-10000}
work=${BENCH_DIR:-/dev/shm/marketgen-bench}/$connectors
cargo build --release --quiet --bin marketgen --example corpus
[ -f "$work/marketgen/site.yaml" ] || ./target/release/examples/corpus --connectors "$connectors" --out "$work/marketgen"
python3 - "$PWD/target/release/marketgen" "$work/marketgen" "${EDITS:-10}" <<'PY'
import socket, statistics, subprocess, sys, time
binary, root, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])
server = subprocess.Popen([binary, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
started = time.monotonic()
for line in server.stdout:
    if line.startswith("serving http://"):
        address = line.split("http://")[1].split("/")[0]
        break
print(f"initial build and start: {time.monotonic() - started:.1f} s")
host, port = address.split(":")
events = socket.create_connection((host, int(port)))
events.sendall(f"GET /_marketgen/events HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
events.settimeout(10)
stream = events.makefile("rb")

def wait_for(name, timeout=10):
    end = time.monotonic() + timeout
    events.settimeout(timeout)
    while time.monotonic() < end:
        line = stream.readline()
        if line.strip() == f"event: {name}".encode():
            return True
    return False

latencies, rebuilds = [], []
time.sleep(0.5)
for i in range(edits):
    page = f"{root}/content/connectors/connector-{i * 97 % 10000:05d}/docs/setup.md"
    text = open(page).read()
    start = time.monotonic()
    open(page, "w").write(text + f"\nEdit {i}.\n")
    assert wait_for("reload"), "no reload event"
    latencies.append((time.monotonic() - start) * 1000)
    rebuild_line = server.stdout.readline().strip()
    rebuilds.append(float(rebuild_line.rsplit(" in ", 1)[1].split()[0]))
    open(page, "w").write(text)
    assert wait_for("reload"), "no reload event after restoring"
    server.stdout.readline()
print(f"save to reload event, median of {edits}: {statistics.median(latencies):.0f} ms (max {max(latencies):.0f} ms)")
print(f"the rebuild itself, median: {statistics.median(rebuilds):.0f} ms")
page = f"{root}/content/connectors/connector-00001/docs/index.md"
same = open(page).read()
open(page, "w").write(same)
events.settimeout(1.5)
try:
    quiet = not any(stream.readline().strip() == b"event: reload" for _ in range(50))
except socket.timeout:
    quiet = True
print(f"a save that changes nothing: {'no rebuild' if quiet else 'REBUILT'}")
server.terminate()
PY
