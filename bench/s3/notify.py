#!/usr/bin/env python3
"""Helper for bench/s3/run.sh: the time from a PutObject (its request leaving boto3) to the handler's first line
in the function its bucket notification invokes. The function posts time.time() from its first line to a listener
here; same machine, same clock. The first upload includes a cold start; the rest find the environment warm.

Usage: notify.py PORT N
"""
import http.server, io, json, statistics, sys, threading, time, zipfile
import boto3

port, n = int(sys.argv[1]), int(sys.argv[2])
endpoint = f"http://127.0.0.1:{port}"
arrivals = []
arrived = threading.Condition()


class Listener(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()
        with arrived:
            arrivals.append(doc)
            arrived.notify_all()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
threading.Thread(target=server.serve_forever, daemon=True).start()
code = f'''import time, json, urllib.request
def handler(event, context):
    started = time.time()
    key = event["Records"][0]["s3"]["object"]["key"]
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:{server.server_address[1]}/",
        data=json.dumps({{"t": started, "key": key}}).encode(), method="POST"), timeout=10).read()
'''
package = io.BytesIO()
with zipfile.ZipFile(package, "w") as z:
    z.writestr("lambda_function.py", code)
lam = boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1")
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
lam.create_function(FunctionName="on-put", Runtime="python3.12", Handler="lambda_function.handler",
                    Role="arn:aws:iam::000000000000:role/bench", Code={"ZipFile": package.getvalue()})
lam.add_permission(FunctionName="on-put", StatementId="s3", Action="lambda:InvokeFunction",
                   Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::bench")
s3.create_bucket(Bucket="bench")
s3.put_bucket_notification_configuration(Bucket="bench", NotificationConfiguration={"LambdaFunctionConfigurations": [
    {"LambdaFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:on-put", "Events": ["s3:ObjectCreated:*"]}]})

put_ms, first_line_ms = [], []
for i in range(n + 1):
    before = time.time()
    s3.put_object(Bucket="bench", Key=f"object-{i}", Body=b"x" * 1024)
    put_ms.append((time.time() - before) * 1000)
    with arrived:
        if not arrived.wait_for(lambda: len(arrivals) > i, timeout=60):
            sys.exit(f"no invocation for object-{i} within 60 s")
    first_line_ms.append((arrivals[i]["t"] - before) * 1000)


def summary(values):
    values = sorted(values)
    return f"median {statistics.median(values):7.1f} ms  p90 {values[int(len(values) * 0.9) - 1]:7.1f} ms" \
           f"  min {values[0]:6.1f} ms"


print(f"PutObject (1 KB) answered:            {summary(put_ms[1:])}")
print(f"PutObject -> handler's first line:    cold (first) {first_line_ms[0]:.1f} ms")
print(f"PutObject -> handler's first line:    warm (n={n}) {summary(first_line_ms[1:])}")
