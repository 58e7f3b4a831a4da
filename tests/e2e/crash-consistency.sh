#!/usr/bin/env bash
# kill -9 while functions are being created and their code updated: after a restart every function that exists is
# whole (its code downloads and matches its CodeSha256), and no staged leftovers remain.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
aws=(/usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --cli-read-timeout 60 --cli-connect-timeout 10)

python3 - "$work" <<'PY'
import os, sys, zipfile
work = sys.argv[1]
for i in range(40):
    with zipfile.ZipFile(os.path.join(work, f"f{i}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("lambda_function.py", f"def handler(e, c):\n    return {i}\n" + "#" * 200000 + "\n")
PY

start_server
# The writer notes each function it has created; the kill comes once a few exist, while it goes on writing.
(
  for i in $(seq 0 39); do
    "${aws[@]}" lambda create-function --function-name "crash-$i" --runtime python3.12 \
      --handler lambda_function.handler --zip-file "fileb://$work/f$i.zip" \
      --role arn:aws:iam::000000000000:role/r >/dev/null 2>&1 && echo "$i" >>"$work/created"
    "${aws[@]}" lambda update-function-code --function-name "crash-$((i / 2))" \
      --zip-file "fileb://$work/f$i.zip" >/dev/null 2>&1 || true
  done
) &
writer=$!
some_created() { [ "$(cat "$work/created" 2>/dev/null | wc -l)" -ge 3 ]; }
wait_for 300 some_created || fail "three functions not created within 300 s"
kill -0 "$writer" 2>/dev/null || fail "the writer finished before the kill: nothing was in flight"
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true

start_server
names=$("${aws[@]}" lambda list-functions --query 'Functions[].FunctionName' --output text)
[ -n "$names" ] || fail "no function survived: the kill came too early to test anything"
count=0
for name in $names; do
  sha=$("${aws[@]}" lambda get-function --function-name "$name" --query Configuration.CodeSha256 --output text)
  location=$("${aws[@]}" lambda get-function --function-name "$name" --query Code.Location --output text)
  curl -sf "$location" -o "$work/got.zip" || fail "$name: its code is gone"
  actual=$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$work/got.zip")
  [ "$actual" = "$sha" ] || fail "$name: code does not match CodeSha256"
  count=$((count + 1))
done
[ -z "$(ls -A "$work/data/code/staging")" ] || fail "staging area not emptied"
echo "ok: $count functions whole after kill -9"
