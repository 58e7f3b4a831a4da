#!/usr/bin/env bash
# The web console's browser tests against a server started here: the walkthrough and the other pages in headless
# Chromium (driven by playwright-core), a smoke test in headless Firefox (firefox-esr, driven by puppeteer-core),
# both from the console's own npm dependencies. Screenshots of every page are kept in console/target/screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
command -v chromium >/dev/null || fail "Debian's chromium is needed (./test.sh installs it)"
[ -d "$here/console/node_modules/playwright-core" ] && [ -d "$here/console/node_modules/puppeteer-core" ] || (cd "$here/console" && npm ci --no-audit --no-fund --loglevel=error)
rm -rf "$here/console/target/screenshots"
start_server
grep -q "console: http://127.0.0.1:$port/console/" "$work/server.log" || fail "the start banner does not print the console's URL"
(cd "$here/console" && NODE_NO_WARNINGS=1 KINDLING_ENDPOINT="http://127.0.0.1:$port" CHROMIUM="$(command -v chromium)" \
    FIREFOX="$(command -v firefox-esr || echo /usr/bin/firefox-esr)" \
    node --test --test-concurrency=1 --test-reporter=spec tests/) || fail "console browser tests"
echo "console: the browser tests passed; screenshots in console/target/screenshots/"
