#!/usr/bin/env bash
# Candidate (b), cold path: what a network namespace per environment adds to starting one, with hyperfine
# (RUNS runs after 5 warm-ups per command, the whole set repeated REPEAT times; medians in ms):
#   bwrap            bwrap (PID/IPC/UTS namespaces, host network) running /usr/bin/true    (the planned baseline)
#   bwrap+net        the same with --unshare-net (its own loopback)
#   bwrap+net+fwd    the same, true started by fwd.c after it listens on 127.0.0.1:9001
#   pasta attach     pasta configuring outbound networking for a fresh named netns (until it daemonises), with no
#                    port forwarding (-t/-u/-T/-U none: what Kindling needs) and with its default (automatic)
#   slirp4netns      slirp4netns configuring a fresh named netns (until it signals ready on --ready-fd)
# Usage (as root): bash bench/runtime-api-isolation/netns-cold.sh     (env: RUNS=100 REPEAT=3)
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${RUNS:-100}"; REPEAT="${REPEAT:-3}"
work="$(mktemp -d)"; chmod 755 "$work"
ns=kindling-bench-$$
cleanup() {
  [ -f "$work/pasta.pid" ] && kill "$(cat "$work/pasta.pid")" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v pasta >/dev/null && command -v slirp4netns >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq passt slirp4netns >/dev/null; }
gcc -O2 -o "$work/fwd" "$dir/fwd.c"
root="--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin
      --proc /proc --dev /dev --tmpfs /tmp --ro-bind $work $work --unshare-pid --unshare-ipc --unshare-uts --die-with-parent"
root="$(echo $root)"
# A fresh named netns before each pasta/slirp4netns run; the previous helper is stopped first.
fresh_ns="if [ -f $work/pasta.pid ]; then kill \$(cat $work/pasta.pid) 2>/dev/null || true; rm -f $work/pasta.pid; fi;
          ip netns del $ns 2>/dev/null || true; ip netns add $ns"
# slirp4netns stays in the foreground: time it until it writes to its ready fd, then stop it.
cat >"$work/slirp.py" <<PY
import os, subprocess, sys
r, w = os.pipe()
p = subprocess.Popen(["slirp4netns", "--configure", "--mtu=65520", "--ready-fd", str(w), "--netns-type=path",
                      "/run/netns/$ns", "tap0"], pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(w)
os.read(r, 1)
p.terminate(); p.wait()
PY

for rep in $(seq 1 "$REPEAT"); do
  hyperfine -N -w 5 -r "$RUNS" --style none --export-json "$work/h$rep.json" \
    -n bwrap "bwrap $root /usr/bin/true" \
    -n bwrap+net "bwrap $root --unshare-net /usr/bin/true" \
    -n bwrap+net+fwd "bwrap $root --unshare-net $work/fwd 9001 $work/none.sock -- /usr/bin/true" >/dev/null
  hyperfine -w 5 -r "$RUNS" --style none --export-json "$work/p$rep.json" --prepare "$fresh_ns" \
    -n "pasta attach, no port forwarding" \
      "pasta --runas 0 --config-net -q -t none -u none -T none -U none --netns $ns -P $work/pasta.pid 2>/dev/null" \
    -n "pasta attach, default forwarding" "pasta --runas 0 --config-net -q --netns $ns -P $work/pasta.pid 2>/dev/null" \
    -n slirp4netns "/usr/bin/python3 $work/slirp.py" \
    -n "python3 -c pass (shell overhead reference)" "/usr/bin/python3 -c pass" >/dev/null
done
/usr/bin/python3 - "$work" "$REPEAT" <<'PY'
import json, statistics, sys
work, repeat = sys.argv[1], int(sys.argv[2])
meds, cpu = {}, {}
for rep in range(1, repeat + 1):
    for f in (f"{work}/h{rep}.json", f"{work}/p{rep}.json"):
        for r in json.load(open(f))["results"]:
            meds.setdefault(r["command"], []).append(statistics.median(r["times"]) * 1000)
            cpu.setdefault(r["command"], []).append((r["user"] + r["system"]) * 1000)
print(f"{'command':<44} {'median ms':>10} {'CPU ms':>7}  [medians of each repetition]")
for cmd, m in meds.items():
    print(f"{cmd:<44} {statistics.median(m):>10.2f} {statistics.median(cpu[cmd]):>7.1f}  "
          f"[{', '.join(f'{x:.2f}' for x in m)}]")
print("(CPU ms: user + system time of the command and its children, mean per run, median over repetitions)")
PY
echo "(pasta, slirp4netns and the python3 reference run through a shell, hyperfine's shell overhead subtracted;"
echo " slirp4netns's figure includes starting /usr/bin/python3: subtract the python3 reference line)"
