#!/usr/bin/env bash
# What joining cgroups costs a cold start: one server, cold starts alternating between the kernel's two modes of its
# cgroup lock (see cold_toggle.py). Needs root on a cgroup v1 host, and a build that does not mount favordynmods
# itself (before FastCgroupJoins): KINDLING_HOME=<that checkout> bash bench/sandbox/cold-toggle.sh   (env: N=15)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
gcc -O2 -o "$work/noop-bootstrap" "$bench/../invoke/noop-bootstrap.c"
NOOP_BOOTSTRAP="$work/noop-bootstrap" "$PYTHON" "$bench/cold_toggle.py" "$port" "${N:-15}"
