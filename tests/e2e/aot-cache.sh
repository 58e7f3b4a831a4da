#!/usr/bin/env bash
# The server's start-up cache (JDK 25+): the launcher trains it once per build and the JVM starts from it; a cache
# damaged since its training is not used but trained anew, and the server starts and serves either way.
source "$(dirname "$0")/lib/server.sh"
source "$here/scripts/find-jdk.sh"
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")" -lt 25 ]; then
  echo "SKIPPED: the AOT cache needs JDK 25 (found $JAVA_HOME)"; exit 0
fi
aot="$here/server/target/kindling-server.aot"
signed() { curl -sS --fail-with-body --aws-sigv4 "aws:amz:us-east-1:lambda" --user test:test "$@"; }

rm -f "$aot" "$aot.stamp"
JAVA_OPTS="-Xlog:aot=info:file=$work/aot-1.log" start_server
grep -q "training the JVM's start-up cache" "$work/server.log" || fail "the launcher did not train the cache"
[ -s "$aot" ] || fail "no cache was written at $aot"
grep -q "Using AOT-linked classes: true" "$work/aot-1.log" || fail "the JVM did not start from the cache: $(tail -3 "$work/aot-1.log")"
signed "http://127.0.0.1:$port/2015-03-31/functions/" | grep -q '"Functions"' || fail "ListFunctions failed"
stop_server

# A second start uses the same cache without training.
JAVA_OPTS="-Xlog:aot=info:file=$work/aot-2.log" start_server
grep -q "training the JVM's start-up cache" "$work/server.log" && fail "the launcher trained again without a change"
grep -q "Using AOT-linked classes: true" "$work/aot-2.log" || fail "the second start did not use the cache"
stop_server

# Damage the cache: the JVM would crash on it; the launcher sees it changed and trains a new one.
printf 'damaged' | dd of="$aot" bs=1 seek=4096 conv=notrunc 2>/dev/null
JAVA_OPTS="-Xlog:aot=info:file=$work/aot-3.log" start_server
grep -q "training the JVM's start-up cache" "$work/server.log" || fail "a damaged cache was not trained anew"
grep -q "Using AOT-linked classes: true" "$work/aot-3.log" || fail "the start after retraining did not use the cache"
signed "http://127.0.0.1:$port/2015-03-31/functions/" | grep -q '"Functions"' || fail "ListFunctions failed after retraining"
echo "PASS aot-cache"
