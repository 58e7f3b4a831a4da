#!/usr/bin/env python3
"""Helper for bench/java/run.sh: java cold starts plain, tuned and cached, against a running Kindling.

Usage: cold.py PORT HELLO_ZIP API_ZIP DATA_DIR N
"""
import base64, io, os, re, statistics, sys, time, uuid, zipfile

try:
    import botocore
except ImportError:
    import awscli
from botocore.config import Config
from botocore.session import Session

ROLE = "arn:aws:iam::000000000000:role/r"
DURATION = re.compile(r"(Init|Restore) Duration: ([0-9.]+) ms")


def client(port):
    return Session().create_client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test",
                                   config=Config(retries={"max_attempts": 1}, read_timeout=60))


API_EVENT = (b'{"version":"2.0","routeKey":"GET /hello","rawPath":"/hello","rawQueryString":"","headers":{},'
             b'"requestContext":{"http":{"method":"GET","path":"/hello","protocol":"HTTP/1.1","sourceIp":"192.0.2.1"},'
             b'"requestId":"id","routeKey":"GET /hello","stage":"$default","timeEpoch":1583348638390},'
             b'"isBase64Encoded":false}')


def invoke(c, name):
    """One Invoke: its time, and the Init/Restore Duration of its REPORT (None when warm)."""
    t0 = time.perf_counter()
    payload = API_EVENT if name.startswith("ev-") or ":" in name and name.split(":")[0].startswith("ev-") \
        else b'{"name":"bench"}'
    r = c.invoke(FunctionName=name, Payload=payload, LogType="Tail")
    r["Payload"].read()
    took = time.perf_counter() - t0
    if r.get("FunctionError"):
        raise RuntimeError(f"{name}: {base64.b64decode(r.get('LogResult', '')).decode()}")
    m = DURATION.search(base64.b64decode(r.get("LogResult", "")).decode())
    return took, (m.group(1), float(m.group(2))) if m else None


def create(c, name, code, variant, handler="bench.Hello::handleRequest"):
    kw = {}
    if variant == "plain":
        kw["Environment"] = {"Variables": {"JAVA_TOOL_OPTIONS": "-Dbench=plain"}}
    if variant == "cached":
        kw["SnapStart"] = {"ApplyOn": "PublishedVersions"}
    c.create_function(FunctionName=name, Runtime="java21", Role=ROLE, Handler=handler,
                      Code={"ZipFile": code}, MemorySize=512, Timeout=30, **kw)
    if variant == "cached":
        return name + ":" + c.publish_version(FunctionName=name)["Version"]
    return name


def wait_for_cache(data_dir, count):
    root = os.path.join(data_dir, "snapstart")
    deadline = time.time() + 300
    while time.time() < deadline:
        if os.path.isdir(root) and sum(os.path.exists(os.path.join(root, d, "cache.crc32c"))
                                       for d in os.listdir(root)) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError("no SnapStart cache within 300 s")


def python_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("lambda_function.py", "def handler(e, c):\n    return 'hello ' + str(e.get('name'))\n")
    return buf.getvalue()


def measure(c, variants, n):
    """Round-robin over the variants, so the machine's load and the server's own warm-up touch each alike."""
    results = {label: ([], [], [], []) for label in variants}
    for i in range(n):
        for label, make in variants.items():
            create_first, cold, init, warm = results[label]
            t0 = time.perf_counter()
            name = make(f"{label}-{uuid.uuid4().hex[:8]}")
            took, duration = invoke(c, name)
            create_first.append(time.perf_counter() - t0)
            cold.append(took)
            if duration:
                init.append(duration[1] / 1000)
            for _ in range(3):
                warm.append(invoke(c, name)[0])
    ms = lambda xs: statistics.median(xs) * 1000 if xs else float("nan")
    for label, (create_first, cold, init, warm) in results.items():
        print(f"{label:8s} create->first {ms(create_first):7.1f} ms   cold Invoke {ms(cold):7.1f} ms   "
              f"Init/Restore Duration {ms(init):7.1f} ms (min {min(init) * 1000:6.1f})   "
              f"warm Invoke {ms(warm):5.2f} ms   (medians of {n})", flush=True)


def main():
    port, zip_path, api_path, data_dir, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    c = client(port)
    with open(zip_path, "rb") as f:
        code = f.read()
    with open(api_path, "rb") as f:
        api = f.read()
    # Train the caches once (what PublishVersion starts in the background), then every cached sample shares one.
    create(c, "java-cache-trainer", code, "cached")
    create(c, "ev-cache-trainer", api, "cached", "bench.Api")
    wait_for_cache(data_dir, 2)
    py = python_zip()
    variants = {"python": lambda name: c.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE,
                Handler="lambda_function.handler", Code={"ZipFile": py}, MemorySize=512)["FunctionName"]}
    for variant in ("plain", "tuned", "cached"):
        variants[variant] = lambda name, v=variant: create(c, name, code, v)
    for variant in ("tuned", "cached"):
        variants["ev-" + variant] = lambda name, v=variant: create(c, name, api, v, "bench.Api")
    measure(c, variants, 3)  # warm-up: the server's JIT, the page cache; not reported
    print("--")
    measure(c, variants, n)


if __name__ == "__main__":
    main()
