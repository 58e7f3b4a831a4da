#!/usr/bin/env python3
"""Helper for bench/invoke/run.sh. Needs botocore: boto3's, or the copy inside Debian's AWS CLI v2 (/usr/bin/python3).

Subcommands:
  setup PORT OUTDIR      create the no-op functions and write one signed wrk lua script per function
  cold PORT N            cold-start measurements (create->first response, cold invoke, warm invoke, the REPORT
                         line's Init Duration of each cold invoke, and for Python a bare `python3 -c pass` of the
                         system interpreter, timed just before each cold invoke, and the median of
                         the differences of those pairs, which the machine's load disturbs less)
"""
import base64, io, os, re, statistics, subprocess, sys, time, uuid, zipfile

try:
    import botocore
except ImportError:  # Debian's AWS CLI v2 ships its own botocore; importing awscli makes it `botocore`
    import awscli
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.session import Session

ROLE = "arn:aws:iam::000000000000:role/r"
RUNTIMES = {
    "python3.12": ("lambda_function.py", "def handler(e, c): return None\n", "lambda_function.handler"),
    "nodejs20.x": ("index.mjs", "export const handler = async () => null;\n", "index.handler"),
}
if os.environ.get("NOOP_BOOTSTRAP"):  # the compiled no-op custom runtime (noop-bootstrap.c)
    with open(os.environ["NOOP_BOOTSTRAP"], "rb") as f:
        RUNTIMES["provided.al2023"] = ("bootstrap", f.read(), "none")
if os.environ.get("NOOP_JAVA_ZIP"):  # the compiled Java no-op (Noop.java), already a zip (JAVA_BENCH=1)
    with open(os.environ["NOOP_JAVA_ZIP"], "rb") as f:
        RUNTIMES["java21"] = (None, f.read(), "bench.Noop::handle")


def zip_bytes(name, content):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo(name)
        info.external_attr = 0o100755 << 16  # executable, for a custom runtime's bootstrap
        z.writestr(info, content)
    return buf.getvalue()


def client(port):
    return Session().create_client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test",
                                   config=Config(retries={"max_attempts": 1}, read_timeout=30))


def create(c, name, runtime, **kw):
    fname, src, handler = RUNTIMES[runtime]
    package = src if fname is None else zip_bytes(fname, src)
    return c.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                             Code={"ZipFile": package}, **kw)


def invoke_ready(c, name):
    """Invoke, retrying while the function is still Pending (ResourceConflictException)."""
    while True:
        try:
            r = c.invoke(FunctionName=name, Payload=b"{}")
            r["Payload"].read()
            if r.get("FunctionError"):
                raise RuntimeError(f"{name}: function error")
            return
        except c.exceptions.ResourceConflictException:
            time.sleep(0.001)


def invoke_cold(c, name):
    """Invoke once (the first after an update: a cold start); the REPORT line's Init Duration in seconds."""
    r = c.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
    r["Payload"].read()
    if r.get("FunctionError"):
        raise RuntimeError(f"{name}: function error")
    m = re.search(r"Init Duration: ([\d.]+) ms", base64.b64decode(r.get("LogResult", "")).decode())
    return float(m[1]) / 1000 if m else float("nan")


def bare_python():
    """Seconds for the system interpreter to start and exit (`python3 -c pass`), as the sandboxed runtime would."""
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/python3", "-c", "pass"], check=True, env={"PATH": "/usr/bin:/bin"})
    return time.perf_counter() - t0


def fn_name(runtime):
    return "noop-" + runtime.replace(".", "")


def setup(port, outdir):
    c = client(port)
    cred = Credentials("test", "test")
    for rt in RUNTIMES:
        name = fn_name(rt)
        create(c, name, rt)
        invoke_ready(c, name)
        url = f"http://127.0.0.1:{port}/2015-03-31/functions/{name}/invocations"
        req = AWSRequest(method="POST", url=url, data=b"{}", headers={"Host": f"127.0.0.1:{port}"})
        SigV4Auth(cred, "lambda", "us-east-1").add_auth(req)
        hdrs = {"Authorization": req.headers["Authorization"], "X-Amz-Date": req.headers["X-Amz-Date"],
                "Content-Type": "application/json"}
        lua = ['wrk.method = "POST"', 'wrk.body = "{}"']
        lua += [f'wrk.headers["{k}"] = "{v}"' for k, v in hdrs.items()]
        with open(f"{outdir}/{name}.lua", "w") as f:
            f.write("\n".join(lua) + "\n")
        print(f"{rt} {name} {url}")


def ms(xs):
    return statistics.median(xs) * 1000


def cold(port, n):
    c = client(port)
    rows = []
    for rt in RUNTIMES:
        create_first, cold_inv, warm_inv, init, bare = [], [], [], [], []
        for i in range(n):
            name = f"cold-{rt.replace('.', '')}-{uuid.uuid4().hex[:8]}"
            t0 = time.perf_counter()
            create(c, name, rt)
            invoke_ready(c, name)
            create_first.append(time.perf_counter() - t0)
        name = fn_name(rt) + "-cold"
        create(c, name, rt)
        invoke_ready(c, name)
        for i in range(n):
            c.update_function_configuration(FunctionName=name, Description=f"d{i}")
            # wait until the update is applied (LastUpdateStatus Successful)
            while c.get_function_configuration(FunctionName=name).get("LastUpdateStatus", "Successful") != "Successful":
                time.sleep(0.001)
            if rt.startswith("python"):
                bare.append(bare_python())
            t0 = time.perf_counter()
            init.append(invoke_cold(c, name))
            cold_inv.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            invoke_ready(c, name)
            warm_inv.append(time.perf_counter() - t0)
        rows.append((rt, ms(create_first), ms(cold_inv), ms(warm_inv)))
        print(f"COLD {rt} create_to_first_ms={ms(create_first):.1f} cold_invoke_ms={ms(cold_inv):.1f} "
              f"warm_invoke_ms={ms(warm_inv):.2f} init_ms={ms(init):.1f} "
              + (f"bare_python_ms={ms(bare):.1f} init_over_bare_ms={ms([i - b for i, b in zip(init, bare)]):.1f} "
                 if bare else "") + f"(medians of {n}; create min/max "
              f"{min(create_first)*1000:.1f}/{max(create_first)*1000:.1f}, cold min/max "
              f"{min(cold_inv)*1000:.1f}/{max(cold_inv)*1000:.1f})", flush=True)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    elif cmd == "cold":
        cold(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
