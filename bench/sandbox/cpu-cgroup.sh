#!/usr/bin/env bash
# What membership of a cpu cgroup costs a warm invocation (CFS group scheduling on every wake-up), measured on one
# server window by window: the no-op custom runtime's environment is moved into its cpu cgroup for one window and
# out of it (into the server's own) for the next, alternating, so the machine's load hits both alike.
# This is the cost CpuWeights saves at rest. Needs root on a cgroup v1 host, and a build whose server does not move
# environments itself every few seconds (before CpuWeights, or f37d96d, whose CpuWeights moved them only when its
# decision changed): KINDLING_HOME=<that checkout> bash bench/sandbox/cpu-cgroup.sh   (env: WINDOWS=10 WINDOW=6
# CONCURRENCY=1)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WINDOWS="${WINDOWS:-10}"; WINDOW="${WINDOW:-6}"; CONCURRENCY="${CONCURRENCY:-1}"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
gcc -O2 -o "$work/noop-bootstrap" "$bench/../invoke/noop-bootstrap.c"
NOOP_BOOTSTRAP="$work/noop-bootstrap" "$PYTHON" "$bench/../invoke/bench.py" setup "$port" "$work" >"$work/fns"
url="$(awk '$1=="provided.al2023" {print $3}' "$work/fns")"
lua="$work/noop-providedal2023.lua"
threads=$(( CONCURRENCY < 2 ? 1 : 2 ))
wrk -t"$threads" -c"$CONCURRENCY" -d15s -s "$lua" "$url" >/dev/null   # the server's JIT warms up

# The server's cgroups are kindling-<pid>-<id> under its own in each hierarchy; an environment's are named by its id, as its scratch directory under the data directory is; its processes
# are those in its memory cgroup (they never leave it).
place() {  # place in|out: every environment's processes into its cpu cgroup, or into the root cpu cgroup
  local id pid memory cpu
  memory="/sys/fs/cgroup/memory$(awk -F: '$2=="memory" {print $3}' "/proc/$server_pid/cgroup")"
  cpu="/sys/fs/cgroup/cpu$(awk -F: '$2=="cpu" {print $3}' "/proc/$server_pid/cgroup")"
  for id in $(ls "$work/data/environments"); do
    for pid in $(cat "$memory"/kindling-*/"$id"/cgroup.procs); do
      if [ "$1" = in ]; then echo "$pid" >"$cpu"/kindling-*/"$id"/cgroup.procs
      else echo "$pid" >"$cpu/cgroup.procs"; fi 2>/dev/null || true
    done
  done
}
# CPU time (user + system, clock ticks) of the server and of every environment process: group scheduling's cost is
# kernel time on the waking and the sleeping side, and CPU per invocation is less disturbed by other load than
# throughput is.
ticks() {
  local pid total=0
  for pid in "$server_pid" $(cat /sys/fs/cgroup/memory$(awk -F: '$2=="memory" {print $3}' "/proc/$server_pid/cgroup")/kindling-*/*/cgroup.procs); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
declare -A rps=([in]="" [out]="") cpu=([in]="" [out]="")
for w in $(seq 1 "$WINDOWS"); do
  for side in $( [ $((w % 2)) -eq 1 ] && echo "in out" || echo "out in" ); do
    place "$side"
    t0=$(ticks)
    out="$(wrk -t"$threads" -c"$CONCURRENCY" -d"${WINDOW}s" -s "$lua" "$url")"
    t1=$(ticks)
    r=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    us=$(awk -v t=$(( t1 - t0 )) -v n="$(awk '/requests in/ {print $1}' <<<"$out")" -v hz="$hz" \
      'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
    rps[$side]+="$r "; cpu[$side]+="$us "
    pids="$(cat /sys/fs/cgroup/memory$(awk -F: '$2=="memory" {print $3}' "/proc/$server_pid/cgroup")/kindling-*/*/cgroup.procs)"
    where="$(for pid in $pids; do awk -F: '$2=="cpu" {print ($3=="/" ? "root" : "own")}' "/proc/$pid/cgroup"; done |
      sort | uniq -c | xargs)"
    echo "window $w, environment $side of its cpu cgroup: $r inv/s, $us us CPU per invocation (its processes' cpu cgroups after: $where)"
  done
done
median() { tr ' ' '\n' <<<"$1" | sort -n | awk -v unit="$2" 'NF {a[n++]=$1} END {
  printf "median %.1f %s (min %.1f, max %.1f, n=%d)", (n%2 ? a[int(n/2)] : (a[n/2-1]+a[n/2])/2), unit, a[0], a[n-1], n}'; }
for side in in out; do
  echo "$side: $(median "${rps[$side]}" inv/s); server and environment CPU per invocation $(median "${cpu[$side]}" us)"
done
