#!/usr/bin/env python3
"""Cold starts of one server with the kernel's cgroup lock in each of its modes, interleaved cold start by cold start.

Usage: cold_toggle.py PORT N     (root; run by cold-toggle.sh against a build that does not mount favordynmods itself)

Before each cold start it mounts a cgroup hierarchy with favordynmods (joining cgroups costs ~0.1 ms) or unmounts it
(each join waits for an RCU grace period), alternating, so the machine's load hits both modes alike. Prints the
medians of the REPORT line's Init Duration and of the cold Invoke for each mode and runtime, of a bare
`python3 -c pass` timed just before each cold start, and of each Init Duration less that bare start (paired, which
the machine's load disturbs less).
"""
import os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "invoke"))
import bench  # noqa: E402  (bench/invoke/bench.py: client, create, invoke_cold, bare_python)

MOUNT_POINT = "/run/kindling/cold-toggle"


def favordynmods(on):
    mounted = subprocess.run(["mountpoint", "-q", MOUNT_POINT]).returncode == 0
    if on and not mounted:
        os.makedirs(MOUNT_POINT, exist_ok=True)
        subprocess.run(["mount", "-t", "cgroup", "-o", "none,name=kindling-cold-toggle,favordynmods", "cgroup",
                        MOUNT_POINT], check=True)
        time.sleep(0.2)
    elif not on and mounted:
        subprocess.run(["umount", MOUNT_POINT], check=True)
        time.sleep(3)  # the kernel destroys the hierarchy, and leaves the mode, a moment after the unmount


def main(port, n):
    c = bench.client(port)
    runtimes = [rt for rt in ("python3.12", "provided.al2023") if rt in bench.RUNTIMES]
    results = {(rt, mode): {"init": [], "cold": [], "over": []} for rt in runtimes for mode in ("off", "on")}
    bare = []
    for rt in runtimes:
        name = bench.fn_name(rt) + "-toggle"
        bench.create(c, name, rt)
        bench.invoke_ready(c, name)
    try:
        for i in range(n):
            for mode in (("off", "on") if i % 2 == 0 else ("on", "off")):
                favordynmods(mode == "on")
                for rt in runtimes:
                    name = bench.fn_name(rt) + "-toggle"
                    c.update_function_configuration(FunctionName=name, Description=f"{mode}{i}")
                    while c.get_function_configuration(FunctionName=name).get("LastUpdateStatus") != "Successful":
                        time.sleep(0.001)
                    bare.append(bench.bare_python())
                    t0 = time.perf_counter()
                    results[(rt, mode)]["init"].append(bench.invoke_cold(c, name))
                    results[(rt, mode)]["cold"].append(time.perf_counter() - t0)
                    results[(rt, mode)]["over"].append(results[(rt, mode)]["init"][-1] - bare[-1])
    finally:
        favordynmods(False)
        if os.path.isdir(MOUNT_POINT):
            os.rmdir(MOUNT_POINT)
    print(f"bare python3 -c pass: median {bench.ms(bare):.1f} ms (min {min(bare) * 1000:.1f}, max "
          f"{max(bare) * 1000:.1f})")
    for (rt, mode), r in results.items():
        print(f"{rt:16} favordynmods {mode:3}: Init Duration median {bench.ms(r['init']):5.1f} ms "
              f"[{min(r['init']) * 1000:.1f}-{max(r['init']) * 1000:.1f}], cold Invoke median "
              f"{bench.ms(r['cold']):5.1f} ms [{min(r['cold']) * 1000:.1f}-{max(r['cold']) * 1000:.1f}], Init Duration"
              f" over a bare python3 -c pass just before it: median {bench.ms(r['over']):5.1f} ms (n={n})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), int(sys.argv[2]))
