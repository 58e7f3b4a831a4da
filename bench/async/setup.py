"""Creates a no-op Python function and writes a wrk script that sends it signed Event invocations."""
import io, sys, time, zipfile
try:
    import botocore
except ImportError:  # Debian's AWS CLI v2 ships its own botocore; importing awscli makes it `botocore`
    import awscli
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.session import Session

port, out = int(sys.argv[1]), sys.argv[2]
lam = Session().create_client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(retries={"max_attempts": 1}))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(e, c): return None\n")
lam.create_function(FunctionName="noop-events", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                    Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()})
lam.invoke(FunctionName="noop-events")  # warm: the first events do not wait for a cold start
url = f"http://127.0.0.1:{port}/2015-03-31/functions/noop-events/invocations"
req = AWSRequest(method="POST", url=url, data=b"{}", headers={"Host": f"127.0.0.1:{port}",
                                                              "X-Amz-Invocation-Type": "Event"})
SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(req)
with open(out, "w") as f:
    f.write('wrk.method = "POST"\nwrk.body = "{}"\n')
    for k in ("Authorization", "X-Amz-Date", "X-Amz-Invocation-Type"):
        f.write(f'wrk.headers["{k}"] = "{req.headers[k]}"\n')
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
print(url)
