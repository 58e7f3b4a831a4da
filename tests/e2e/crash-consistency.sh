#!/usr/bin/env bash
# kill -9 while functions are being created and their code updated: after a restart every function that exists is
# whole (its code downloads and matches its CodeSha256), and no staged leftovers remain.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
aws=(/usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --cli-read-timeout 5 --cli-connect-timeout 2)

python3 - "$work" <<'PY'
import os, sys, zipfile
work = sys.argv[1]
for i in range(40):
    with zipfile.ZipFile(os.path.join(work, f"f{i}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("lambda_function.py", f"def handler(e, c):\n    return {i}\n" + "#" * 200000 + "\n")
PY

start_server
(
  for i in $(seq 0 39); do
    "${aws[@]}" lambda create-function --function-name "crash-$i" --runtime python3.12 \
      --handler lambda_function.handler --zip-file "fileb://$work/f$i.zip" \
      --role arn:aws:iam::000000000000:role/r >/dev/null 2>&1 || true
    "${aws[@]}" lambda update-function-code --function-name "crash-$((i / 2))" \
      --zip-file "fileb://$work/f$i.zip" >/dev/null 2>&1 || true
  done
) &
writer=$!
sleep 4
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
