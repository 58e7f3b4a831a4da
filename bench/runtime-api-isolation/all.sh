#!/usr/bin/env bash
# Runs every Runtime API isolation experiment in turn (about 6 minutes on 2 vCPUs) and keeps the output in
# results.txt next to this script. See docs/runtime-api-isolation.md for what each measures.
# Usage (as root): bash bench/runtime-api-isolation/all.sh
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
{
  echo "# $(date -u +%FT%TZ), $(nproc) CPUs, kernel $(uname -r), $(bwrap --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "## check-uid.sh";                        bash "$dir/check-uid.sh"
  echo "## uid-lookup.sh (REPEAT=5)";             REPEAT=5 bash "$dir/uid-lookup.sh"
  echo "## netns-hop.sh (PIN=0 ROUNDS=5)";        PIN=0 ROUNDS=5 bash "$dir/netns-hop.sh"
  echo "## netns-hop.sh (unpinned, ROUNDS=5)";    ROUNDS=5 bash "$dir/netns-hop.sh"
  echo "## netns-cold.sh (RUNS=100 REPEAT=3)";    RUNS=100 REPEAT=3 bash "$dir/netns-cold.sh" 2>&1 | grep -v -e 'Statistical outliers' -e '^ *$'
  echo "# done $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$dir/results.txt"
