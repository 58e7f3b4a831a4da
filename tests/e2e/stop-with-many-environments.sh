#!/usr/bin/env bash
# SIGTERM while a hundred execution environments are busy: the server stops within seconds and leaves no runtime
# process behind (every environment's process tree is killed, nothing is orphaned).
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
# An environment's processes are the ones in the server's cgroups (named kindling-<server pid>-...): the sandbox's
# launcher and reaper, which run as root, and the function's, which run as the environment's own user.
environment_pids() {
  local proc
  for proc in /proc/[0-9]*; do
    grep -qs "/kindling-$owner-" "$proc/cgroup" && echo "${proc#/proc/}"
  done
}
# The function's own processes (the runtime and its child): those of environment users (uids from 1,100,000).
runtimes() {
  local pid count=0
  for pid in $(environment_pids); do
    [ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)" -ge 1100000 ] && count=$((count + 1))
  done
  echo "$count"
}
extra_cleanup() { environment_pids | xargs -r kill -9 2>/dev/null; }
start_server
owner=$server_pid
aws=(/usr/bin/aws --endpoint-url "http://127.0.0.1:$port")

# The handler sleeps in a child process too, so each environment is a process tree, not a single process.
printf 'import subprocess\ndef handler(event, context):\n    subprocess.run(["sleep", "600"])\n' >"$work/lambda_function.py"
(cd "$work" && python3 -c 'import zipfile; z=zipfile.ZipFile("f.zip","w"); z.write("lambda_function.py"); z.close()')
"${aws[@]}" lambda create-function --function-name sleeper --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/f.zip" --role arn:aws:iam::000000000000:role/r --timeout 900 >/dev/null

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
all_busy() { [ "$(runtimes)" -ge 200 ]; }
wait_for 300 all_busy || fail "expected 100 environments of 2 processes each, found $(runtimes) processes"
busy=$(runtimes)

# The behaviour is about time (the server stops within seconds): a 30 s deadline, wide for a loaded machine.
started=$(date +%s%N)
kill -TERM "$server_pid"
server_stopped() { ! kill -0 "$server_pid" 2>/dev/null; }
wait_for 30 server_stopped || fail "server still running 30 s after SIGTERM"
wait "$server_pid" 2>/dev/null || true
server_pid=""
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
# A kill sent as the server stopped may land a moment later; a left-over would live on for its sleep's 600 s, so
# waiting up to 20 s still tells the two apart.
none_left() { [ -z "$(environment_pids)" ]; }
wait_for 20 none_left || { environment_pids | head | xargs -r ps -o pid,args -p >&2;
  fail "$(environment_pids | wc -l) environment processes outlived the server"; }
echo "ok: stopped in ${took_ms} ms with $busy busy runtime processes, none left behind"
