#!/usr/bin/env bash
# Candidate (b), warm path: the extra latency of the forwarder hop. A client does N keep-alive HTTP requests
# (GET, 4-byte answer) on one connection and times each round trip, along four paths:
#   tcp        client -> 127.0.0.1:PORT -> httpd                  (today: the server listens per environment)
#   unix       client -> Unix socket -> httpd                    (lower bound)
#   fwd        client in bwrap --unshare-net -> 127.0.0.1:9001 -> fwd.c -> Unix socket -> httpd
#   socat      same, with socat as the forwarder
# Each path runs ROUNDS times, interleaved; prints every run, then per path the median of the runs' medians and
# p99s with their range, and the forwarder's CPU per request (fwd.c's own rusage).
# PIN=<cpu> runs every process on that one CPU (taskset): no cross-CPU wake-ups, so the figures are the CPU cost of
# each path and vary less with the other work on the machine; unpinned is closer to real use but noisier.
# Usage (as root): bash bench/runtime-api-isolation/netns-hop.sh      (env: N=10000 ROUNDS=5 PIN=)
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${N:-10000}"; ROUNDS="${ROUNDS:-5}"
pin=(); if [ -n "${PIN:-}" ]; then pin=(taskset -c "$PIN"); fi
work="$(mktemp -d)"; chmod 755 "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
for p in fwd httpd client; do gcc -O2 -o "$work/$p" "$dir/$p.c"; done
command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; }
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${pin[@]}" "$work/httpd" "$port" & pids+=($!)
"${pin[@]}" "$work/httpd" "$work/api.sock" & pids+=($!)
sleep 0.3
sandbox=(bwrap --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin
         --symlink usr/sbin /sbin --proc /proc --dev /dev --tmpfs /tmp --bind "$work" "$work"
         --unshare-pid --unshare-ipc --unshare-uts --unshare-net --die-with-parent)

run() {  # path -> one line "n=... median_us=... p90_us=... p99_us=... mean_us=..."
  case $1 in
    tcp)   "${pin[@]}" "$work/client" "$port" "$N" ;;
    unix)  "${pin[@]}" "$work/client" "$work/api.sock" "$N" ;;
    fwd)   FWD_CPU=1 "${pin[@]}" "${sandbox[@]}" "$work/fwd" 9001 "$work/api.sock" -- "$work/client" 9001 "$N" 2>>"$work/fwd-cpu" ;;
    socat) "${pin[@]}" "${sandbox[@]}" /bin/sh -c "socat TCP-LISTEN:9001,bind=127.0.0.1,reuseaddr UNIX-CONNECT:$work/api.sock &
             exec $work/client 9001 $N" ;;
  esac
}
paths="tcp unix fwd socat"
for r in $(seq 1 "$ROUNDS"); do
  for p in $paths; do echo "$p $(run "$p")" | tee -a "$work/results"; done
done
echo
echo "paths: ${N} requests per run, ${ROUNDS} runs each, $( [ -n "${PIN:-}" ] && echo "all on CPU $PIN" || echo unpinned); load now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %22s %22s\n' path 'median us [range]' 'p99 us [range]'
for p in $paths; do
  grep "^$p " "$work/results" | sed -E 's/.*median_us=([^ ]+) .*p99_us=([^ ]+).*/\1 \2/' |
    /usr/bin/python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin]
med = [r[0] for r in rows]; p99 = [r[1] for r in rows]
print(f"%-6s %22s %22s" % (sys.argv[1], f"{statistics.median(med):.1f} [{min(med):.1f}-{max(med):.1f}]",
      f"{statistics.median(p99):.1f} [{min(p99):.1f}-{max(p99):.1f}]"))' "$p"
done
# fwd.c prints "fwd relay cpu: user U ms, sys S ms" once per run (one relay process per connection).
awk -v n="$N" '/fwd relay cpu/ {gsub(",", ""); t = ($5 + $8) * 1000 / n; print t}' "$work/fwd-cpu" | sort -n |
  awk '{v[NR] = $1} END {if (NR) printf "fwd relay CPU per request: median %.1f us [%.1f-%.1f] over %d runs\n", v[int((NR + 1) / 2)], v[1], v[NR], NR}'
