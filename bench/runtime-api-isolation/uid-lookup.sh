#!/usr/bin/env bash
# Candidate (a), cost: finding a loopback TCP peer's uid per accepted connection, with 10, 100 and 1,000 other
# established loopback connections open. Runs PeerUid.java (Java, reads and scans /proc/net/tcp), SockDiag.java
# (Java, one exact Netlink sock_diag request through java.lang.foreign) and sockdiag.c (C: both ways) REPEAT times
# each, alternating. Each run prints median, p90 and p99 of 2,000 lookups (20 connections x 100) per count of other
# connections.
# Usage: bash bench/runtime-api-isolation/uid-lookup.sh     (env: REPEAT=3)
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPEAT="${REPEAT:-3}"
source "$dir/../../scripts/find-jdk.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
exec > >(tee "$work/out") 2> >(grep -v '^WARNING' >&2)  # the summary below reads the runs' output
gcc -O2 -o "$work/sockdiag" "$dir/sockdiag.c"
echo "machine: $(nproc) CPUs, kernel $(uname -r), net.ipv4.tcp_ehash_entries=$(sysctl -n net.ipv4.tcp_ehash_entries 2>/dev/null || echo '?')"
for rep in $(seq 1 "$REPEAT"); do
  echo "--- run $rep: Java, /proc/net/tcp (lines = lines of /proc/net/tcp at the end, all sockets of the host)"
  "$JAVA_HOME/bin/java" "$dir/PeerUid.java" bench 10 100 1000
  echo "--- run $rep: Java, Netlink sock_diag"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$dir/SockDiag.java" 10 100 1000
  echo "--- run $rep: C"
  "$work/sockdiag" 10 100 1000
done

sleep 0.2  # let tee catch up
echo
echo "== Summary: median over the $REPEAT runs of each run's median per lookup, us [lowest-highest run]"
/usr/bin/python3 - "$work/out" <<'PY'
import re, statistics, sys
meds, section = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"--- run \d+: (.*)", line)
    if m:
        section = "java-proc" if "/proc" in m[1] else "java-diag" if "sock_diag" in m[1] else "c"
        continue
    if not re.match(r"\d+ ", line):
        continue
    parts = [p.split() for p in line.split("|")]
    others = int(parts[0][0])
    if section == "java-proc":
        cells = {"Java /proc/net/tcp": float(parts[0][2])}
    elif section == "java-diag":
        cells = {"Java sock_diag (socket kept)": float(parts[1][0]), "Java sock_diag (new socket)": float(parts[2][0])}
    else:
        cells = {"C /proc/net/tcp": float(parts[1][0]), "C sock_diag (socket kept)": float(parts[2][0])}
    for name, v in cells.items():
        meds.setdefault(name, {}).setdefault(others, []).append(v)
counts = sorted({o for d in meds.values() for o in d})
print(f"{'method':<30}" + "".join(f"{str(o) + ' others':>26}" for o in counts))
for name, d in meds.items():
    print(f"{name:<30}" + "".join(
        f"{f'{statistics.median(d[o]):.1f} [{min(d[o]):.1f}-{max(d[o]):.1f}]':>26}" for o in counts))
PY
