#!/usr/bin/env bash
# Runs every Kindling test: the JUnit suite (real server, AWS SDK for Java v2), then the end-to-end scripts that
# drive a real server with the AWS CLI. Installs what the tests need (Debian's awscli, bubblewrap for the sandbox
# the attack tests attack, chromium and firefox-esr for the web console's browser tests) when it is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
source scripts/find-jdk.sh

if [ ! -x /usr/bin/aws ] || ! command -v bwrap >/dev/null || ! command -v chromium >/dev/null \
    || ! command -v firefox-esr >/dev/null; then
  echo "test.sh: installing Debian's awscli (AWS CLI v2), bubblewrap, chromium and firefox-esr for the tests" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq awscli bubblewrap chromium firefox-esr >/dev/null
fi

./mvnw -B -q verify
for script in tests/e2e/*.sh; do
  echo "== $script"
  bash "$script"
done
echo "All tests passed."
