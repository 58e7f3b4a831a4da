#!/usr/bin/env bash
# Server-side validation as a client with its own checks switched off sees it: botocore (the copy inside Debian's
# AWS CLI v2) with parameter_validation=False sends what the AWS SDKs and CLIs refuse before sending, and Kindling
# must answer as AWS does (status, error code, message; facts from AWS's recorded answers, docs/fidelity.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
/usr/bin/python3 - "http://127.0.0.1:$port" <<'PY' || fail "botocore validation cases"
import io, sys, zipfile
try:
    import botocore
except ImportError:  # Debian's AWS CLI v2 ships its own botocore; importing awscli makes it `botocore`
    import awscli
from botocore.config import Config
from botocore.session import Session

lam = Session().create_client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(parameter_validation=False, retries={"max_attempts": 1}))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return 1\n")
base = dict(FunctionName="checked", Role="arn:aws:iam::000000000000:role/r", Handler="app.handler",
            Runtime="python3.12", Code={"ZipFile": buf.getvalue()})
cases = [  # what is sent, then AWS's answer: status, error code, the start of the message
    ({"MemorySize": 100}, 400, "ValidationException", "1 validation error detected: Value '100' at 'memorySize'"
     " failed to satisfy constraint: Member must have value greater than or equal to 128"),
    ({"MemorySize": 10241}, 400, "ValidationException", "1 validation error detected: Value '10241' at 'memorySize'"
     " failed to satisfy constraint: Member must have value less than or equal to 10240"),
    ({"Timeout": 0}, 400, "ValidationException", "1 validation error detected: Value '0' at 'timeout' failed to"
     " satisfy constraint: Member must have value greater than or equal to 1"),
    ({"EphemeralStorage": {"Size": 100}}, 400, "ValidationException", "1 validation error detected: Value '100' at"
     " 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512"),
    ({"FunctionName": "bad name!"}, 400, "ValidationException", "1 validation error detected: Value 'bad name!' at"
     " 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern:"),
    ({"Runtime": "cobol1.0"}, 400, "InvalidParameterValueException", "Value cobol1.0 at 'runtime' failed to satisfy"
     " constraint: Member must satisfy enum value set: ["),
]
failures = 0
for sent, status, code, message in cases:
    try:
        lam.create_function(**{**base, **sent})
        print(f"FAIL {sent}: created", file=sys.stderr)
        failures += 1
        continue
    except lam.exceptions.ClientError as e:
        got = e.response
    seen = (got["ResponseMetadata"]["HTTPStatusCode"], got["Error"]["Code"], got["Error"]["Message"])
    if seen[0] != status or seen[1] != code or not seen[2].startswith(message):
        print(f"FAIL {sent}: {seen}", file=sys.stderr)
        failures += 1
names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
if names:
    print(f"FAIL refused requests created functions: {names}", file=sys.stderr)
    failures += 1
sys.exit(1 if failures else 0)
PY
echo "ok: botocore without client-side validation gets AWS's answers"
