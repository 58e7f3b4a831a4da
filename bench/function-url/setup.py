#!/usr/bin/env python3
"""Helper for bench/function-url/run.sh: creates one no-op function (the compiled custom runtime of bench/invoke)
with a public function URL, and writes two wrk scripts for the same function: invoke.lua (a SigV4-signed Invoke)
and url.lua (a GET through the URL, host-routed). Prints "<invoke-url> <function-url>".

Usage: setup.py PORT OUTDIR
"""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "invoke"))
import bench  # noqa: E402  (bench/invoke/bench.py: client, create, invoke_ready, botocore's signer)
from bench import AWSRequest, Credentials, SigV4Auth  # noqa: E402

NAME = "noop-url"


def signed(port, method, path, body):
    """Sends a SigV4-signed Lambda API request directly, so that members newer than this botocore (such as
    InvokedViaFunctionUrl) reach the server unvalidated."""
    import urllib.request
    url = f"http://127.0.0.1:{port}{path}"
    req = AWSRequest(method=method, url=url, data=body, headers={"Host": f"127.0.0.1:{port}",
                                                                  "Content-Type": "application/json"})
    SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(req)
    out = urllib.request.Request(url, data=body, method=method, headers=dict(req.headers))
    with urllib.request.urlopen(out) as r:
        return json.loads(r.read() or b"{}")


def main(port, outdir):
    c = bench.client(port)
    bench.create(c, NAME, "provided.al2023")
    bench.invoke_ready(c, NAME)
    url = signed(port, "POST", f"/2021-10-31/functions/{NAME}/url",
                 json.dumps({"AuthType": "NONE"}).encode())["FunctionUrl"]
    for sid, grant in (("url", {"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE"}),
                       ("invoke", {"Action": "lambda:InvokeFunction", "InvokedViaFunctionUrl": True})):
        signed(port, "POST", f"/2015-03-31/functions/{NAME}/policy",
               json.dumps({"StatementId": sid, "Principal": "*", **grant}).encode())
    invoke = f"http://127.0.0.1:{port}/2015-03-31/functions/{NAME}/invocations"
    req = AWSRequest(method="POST", url=invoke, data=b"{}", headers={"Host": f"127.0.0.1:{port}"})
    SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(req)
    with open(f"{outdir}/invoke.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = "{}"\n')
        for k in ("Authorization", "X-Amz-Date"):
            f.write(f'wrk.headers["{k}"] = "{req.headers[k]}"\n')
        f.write('wrk.headers["Content-Type"] = "application/json"\n')
    host = url.split("/")[2]
    with open(f"{outdir}/url.lua", "w") as f:
        f.write(f'wrk.method = "GET"\nwrk.headers["Host"] = "{host}"\n')
    print(invoke, f"http://127.0.0.1:{port}/")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
