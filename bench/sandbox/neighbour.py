#!/usr/bin/env python3
"""A well-behaved function's latency at rest and while other functions attack their boxes (bench/sandbox/run.sh).

Usage: neighbour.py PORT N   -- N sequential warm invocations of the neighbour per phase; prints p50/p90/p99 in ms.
Attacks run in threads, each invoking its function in a loop for the whole second phase: a fork bomb held for a
few seconds, a memory hog past its MemorySize (killed, restarted), a /tmp filler, and a CPU burner.
"""
import io, statistics, sys, threading, time, zipfile

try:
    import botocore
except ImportError:  # Debian's AWS CLI v2 ships its own botocore
    import awscli
from botocore.config import Config
from botocore.session import Session

ROLE = "arn:aws:iam::000000000000:role/r"
NEIGHBOUR = "def handler(e, c):\n    return 'ok'\n"
ATTACKS = {
    "forkbomb": ("import os, time\ndef handler(e, c):\n    n = 0\n    try:\n        for _ in range(5000):\n"
                 "            if os.fork() == 0:\n                time.sleep(3)\n                os._exit(0)\n"
                 "            n += 1\n    except OSError:\n        pass\n    time.sleep(3)\n    return n\n", 1024),
    "memoryhog": ("def handler(e, c):\n    hog = [b'x' * (10 << 20) for _ in range(40)]\n    return len(hog)\n", 128),
    "tmpfill": ("import os\ndef handler(e, c):\n    try:\n        with open('/tmp/f', 'wb') as f:\n"
                "            while True:\n                f.write(b'x' * (1 << 20))\n    except OSError:\n"
                "        pass\n    os.remove('/tmp/f')\n    return 'full'\n", 1024),
    "cpuburner": ("import time\ndef handler(e, c):\n    end = time.time() + 2\n    while time.time() < end:\n"
                  "        pass\n    return 'burnt'\n", 128),
}


def client(port):
    return Session().create_client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test",
                                   config=Config(retries={"max_attempts": 1}, read_timeout=120,
                                                 max_pool_connections=20))


def create(c, name, code, memory):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("lambda_function.py", code)
    c.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                      Code={"ZipFile": buf.getvalue()}, MemorySize=memory, Timeout=60)
    while True:  # Pending right after create, as on AWS
        try:
            c.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
            return
        except c.exceptions.ResourceConflictException:
            time.sleep(0.01)


def latencies(c, n):
    out = []
    for _ in range(n):
        start = time.perf_counter()
        r = c.invoke(FunctionName="neighbour", Payload=b"{}")
        r["Payload"].read()
        assert not r.get("FunctionError"), r
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(ms):
    q = statistics.quantiles(ms, n=100)
    return f"p50 {statistics.median(ms):7.2f}  p90 {q[89]:7.2f}  p99 {q[98]:7.2f}  max {max(ms):7.2f}"


def main():
    port, n = sys.argv[1], int(sys.argv[2])
    c = client(port)
    create(c, "neighbour", NEIGHBOUR, 128)
    for name, (code, memory) in ATTACKS.items():
        create(c, name, code, memory)
    latencies(c, 50)  # warm the path
    rest = latencies(c, n)
    stop = threading.Event()
    counts = {name: 0 for name in ATTACKS}

    def attack(name):
        ac = client(port)
        while not stop.is_set():
            ac.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
            counts[name] += 1

    threads = [threading.Thread(target=attack, args=(name,)) for name in ATTACKS]
    for t in threads:
        t.start()
    time.sleep(2)  # let every attack get going before measuring
    under_attack = latencies(c, n)
    stop.set()
    for t in threads:
        t.join()
    print(f"neighbour at rest        ({n} invocations, ms): {summary(rest)}")
    print(f"neighbour under attack   ({n} invocations, ms): {summary(under_attack)}")
    print("attack invocations completed meanwhile: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
