"""Creates a no-op Python function, a rule whose pattern matches the benchmark's event and targets the function
(with the permission AWS requires), and writes a wrk script that sends signed PutEvents of that one event."""
import io, json, sys, zipfile
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
endpoint = f"http://127.0.0.1:{port}"
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=Config(retries={"max_attempts": 1}))
lam = Session().create_client("lambda", **kw)
events = Session().create_client("events", **kw)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(e, c): return None\n")
lam.create_function(FunctionName="noop-rule", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                    Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()})
lam.invoke(FunctionName="noop-rule")  # warm: the first events do not wait for a cold start
rule = events.put_rule(Name="bench", EventPattern=json.dumps({"source": ["bench"], "detail": {"n": [{"numeric": [">", 0]}]}}))
lam.add_permission(FunctionName="noop-rule", StatementId="bench", Action="lambda:InvokeFunction",
                   Principal="events.amazonaws.com", SourceArn=rule["RuleArn"])
events.put_targets(Rule="bench", Targets=[{"Id": "noop", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:noop-rule"}])
body = json.dumps({"Entries": [{"Source": "bench", "DetailType": "tick", "Detail": json.dumps({"n": 1})}]})
req = AWSRequest(method="POST", url=endpoint + "/", data=body.encode(), headers={
    "Host": f"127.0.0.1:{port}", "X-Amz-Target": "AWSEvents.PutEvents", "Content-Type": "application/x-amz-json-1.1"})
SigV4Auth(Credentials("test", "test"), "events", "us-east-1").add_auth(req)
with open(out, "w") as f:
    f.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n')
    for k in ("Authorization", "X-Amz-Date", "X-Amz-Target", "Content-Type"):
        f.write(f'wrk.headers["{k}"] = "{req.headers[k]}"\n')
print(endpoint + "/")
