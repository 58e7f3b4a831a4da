#!/usr/bin/env bash
# Builds the console's static files into $1 with the machine's Node.js and npm (called by Maven in
# generate-resources). Dependencies come from the npm registry through the lock file, installed again only when
# the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out="${1:?usage: build.sh <output directory>}"
if ! command -v npm >/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "console/build.sh: installing Debian's Node.js and npm to build the web console..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) >&2
fi
if ! command -v npm >/dev/null; then
  echo "console/build.sh: Node.js (18 or later) and npm are needed to build the console (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if ! cmp -s package-lock.json node_modules/.kindling-lock.json; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.kindling-lock.json
fi
node build.mjs "$out"
