#!/usr/bin/env bash
# The web console's walkthrough in a real headless Chromium (console/tests/walkthrough.test.mjs, driven by
# playwright-core from the console's own npm dependencies) against a server started here. Screenshots of every
# page are kept in console/target/screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
command -v chromium >/dev/null || fail "Debian's chromium is needed (./test.sh installs it)"
[ -d "$here/console/node_modules/playwright-core" ] || (cd "$here/console" && npm ci --no-audit --no-fund --loglevel=error)
rm -rf "$here/console/target/screenshots"
start_server
grep -q "console: http://127.0.0.1:$port/console/" "$work/server.log" || fail "the start banner does not print the console's URL"
(cd "$here/console" && NODE_NO_WARNINGS=1 KINDLING_ENDPOINT="http://127.0.0.1:$port" CHROMIUM="$(command -v chromium)" \
    node --test --test-concurrency=1 --test-reporter=spec tests/) || fail "console walkthrough"
echo "console: the walkthrough passed; screenshots in console/target/screenshots/"
