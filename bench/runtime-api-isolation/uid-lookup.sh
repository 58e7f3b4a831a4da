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
