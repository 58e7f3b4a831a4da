#!/usr/bin/env bash
# A well-behaved neighbour's latency at rest and while four functions attack their boxes (fork bomb, memory past
# MemorySize, /tmp filled, CPU burnt): what the sandbox's limits leave for everyone else. Usage: bash bench/sandbox/run.sh
# (env: N=500 invocations per phase). Figures go to docs/performance.md. Against a build without the sandbox
# (KINDLING_HOME=...) the attacks hit the host itself: the /tmp filler writes until the disk is full.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
grep -o "functions run .*" "$work/server.log" | head -1 || echo "functions run as plain processes (a build before the sandbox)"
"$PYTHON" "$bench/neighbour.py" "$port" "${N:-500}"
