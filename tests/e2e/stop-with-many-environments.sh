#!/usr/bin/env bash
# SIGTERM while a hundred execution environments are busy: the server stops within seconds and leaves no runtime
# process behind (every environment's process tree is killed, nothing is orphaned).
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
# An environment's processes are the ones whose working directory is in the data directory (the task root).
environment_pids() {
  local proc
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/cwd" 2>/dev/null)" in "$work/data/"*) echo "${proc#/proc/}" ;; esac
  done
}
runtimes() { environment_pids | wc -l; }
extra_cleanup() { environment_pids | xargs -r kill -9 2>/dev/null; }
start_server
aws=(/usr/bin/aws --endpoint-url "http://127.0.0.1:$port")

# The handler sleeps in a child process too, so each environment is a process tree, not a single process.
printf 'import subprocess\ndef handler(event, context):\n    subprocess.run(["sleep", "60"])\n' >"$work/lambda_function.py"
(cd "$work" && python3 -c 'import zipfile; z=zipfile.ZipFile("f.zip","w"); z.write("lambda_function.py"); z.close()')
"${aws[@]}" lambda create-function --function-name sleeper --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/f.zip" --role arn:aws:iam::000000000000:role/r --timeout 120 >/dev/null

# A hundred Event invocations through the botocore that ships inside AWS CLI v2 (one process, not a hundred CLIs).
/usr/bin/python3 - "http://127.0.0.1:$port" <<'PY'
import sys
from concurrent.futures import ThreadPoolExecutor
from awscli.botocore.session import Session
from awscli.botocore.config import Config
lam = Session().create_client("lambda", endpoint_url=sys.argv[1], config=Config(max_pool_connections=20))
with ThreadPoolExecutor(20) as pool:
    codes = list(pool.map(lambda i: lam.invoke(FunctionName="sleeper", InvocationType="Event")["StatusCode"], range(100)))
assert codes == [202] * 100, codes
PY
for _ in $(seq 1 300); do
  [ "$(runtimes)" -ge 200 ] && break
  sleep 0.2
done
busy=$(runtimes)
[ "$busy" -ge 200 ] || fail "expected 100 environments of 2 processes each, found $busy processes"

started=$(date +%s%N)
kill -TERM "$server_pid"
for _ in $(seq 1 150); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server_pid" 2>/dev/null && fail "server still running 15 s after SIGTERM"
wait "$server_pid" 2>/dev/null || true
server_pid=""
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
sleep 0.5
left=$(runtimes)
[ "$left" -eq 0 ] || { environment_pids | head | xargs -r ps -o pid,args -p >&2; fail "$left runtime processes outlived the server"; }
echo "ok: stopped in ${took_ms} ms with $busy busy runtime processes, none left behind"
