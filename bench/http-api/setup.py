#!/usr/bin/env python3
"""Helper for bench/http-api/run.sh: creates one no-op function (the compiled custom runtime of bench/invoke), an
HTTP API made by quick create (--target: a $default route, payload 2.0) with API Gateway's permission on the
function, and writes two wrk scripts for the same function: invoke.lua (a SigV4-signed Invoke) and api.lua (a GET
through the API's own host). Prints "<invoke-url> <server-url>".

Usage: setup.py PORT OUTDIR
"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "invoke"))
import bench  # noqa: E402  (bench/invoke/bench.py: client, create, invoke_ready, botocore's signer)
from bench import AWSRequest, Config, Credentials, Session, SigV4Auth  # noqa: E402

NAME = "noop-api"


def main(port, outdir):
    c = bench.client(port)
    bench.create(c, NAME, "provided.al2023")
    bench.invoke_ready(c, NAME)
    apis = Session().create_client("apigatewayv2", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test",
                                   config=Config(retries={"max_attempts": 1}))
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{NAME}"
    api = apis.create_api(Name="bench", ProtocolType="HTTP", Target=arn)
    c.add_permission(FunctionName=NAME, StatementId="apigw", Action="lambda:InvokeFunction",
                     Principal="apigateway.amazonaws.com",
                     SourceArn=f"arn:aws:execute-api:us-east-1:000000000000:{api['ApiId']}/*")
    invoke = f"http://127.0.0.1:{port}/2015-03-31/functions/{NAME}/invocations"
    req = AWSRequest(method="POST", url=invoke, data=b"{}", headers={"Host": f"127.0.0.1:{port}"})
    SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(req)
    with open(f"{outdir}/invoke.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = "{}"\n')
        for k in ("Authorization", "X-Amz-Date"):
            f.write(f'wrk.headers["{k}"] = "{req.headers[k]}"\n')
        f.write('wrk.headers["Content-Type"] = "application/json"\n')
    host = api["ApiEndpoint"].split("/")[2]
    with open(f"{outdir}/api.lua", "w") as f:
        f.write(f'wrk.method = "GET"\nwrk.path = "/items/42?q=1"\nwrk.headers["Host"] = "{host}"\n')
    print(invoke, f"http://127.0.0.1:{port}/")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
