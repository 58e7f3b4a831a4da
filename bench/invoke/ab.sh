#!/usr/bin/env bash
# A/B run of the invoke benchmark: builds two git revisions of this repository, each in its own temporary worktree
# (removed afterwards), and runs bench/invoke/run.sh of THIS checkout against each build, alternating
# (before, after, before, after, ... for ROUNDS rounds) so that the machine's noise hits both. Prints both tables
# side by side: medians over the rounds, with the lowest and highest round.
#
# Usage: bash bench/invoke/ab.sh <rev-before> <rev-after>        e.g.  bash bench/invoke/ab.sh afee2dd main
# Env: ROUNDS=2, and run.sh's own: DURATION=10 WARMUP=2 COLD_N=10 CONCURRENCY="1 8 64" SERVER_WARMUP=15.
# Quick check (same build twice, should agree within noise):
#   ROUNDS=1 DURATION=3 WARMUP=1 COLD_N=3 CONCURRENCY="1 8" SERVER_WARMUP=5 bash bench/invoke/ab.sh afee2dd afee2dd
# Each run's full output is kept in $AB_OUT (default: a new directory under /tmp, printed at the start).
#
# The runner assumes nothing about the server's processes: it starts the server through tests/e2e/lib/server.sh,
# stops it by its own pid, and leaves the function processes (plain children, bubblewrap sandboxes, other uids)
# to the server's own shutdown.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$bench" rev-parse --show-toplevel)"
[ $# -eq 2 ] || { sed -n '2,13p' "${BASH_SOURCE[0]}" >&2; exit 2; }
ROUNDS="${ROUNDS:-2}"
source "$bench/tools.sh"          # wrk and botocore, installed once here rather than inside a timed run
source "$repo/scripts/find-jdk.sh"

AB_OUT="${AB_OUT:-$(mktemp -d /tmp/kindling-ab.XXXXXX)}"
mkdir -p "$AB_OUT"
trees="$(mktemp -d /tmp/kindling-ab-trees.XXXXXX)"
chmod 755 "$trees"  # readable by the unprivileged uids sandboxed functions may run as
remove_trees() {
  local side
  for side in before after; do
    [ -d "$trees/$side" ] || continue
    git -C "$repo" worktree remove --force "$trees/$side" 2>/dev/null || rm -rf "$trees/$side"
  done
  git -C "$repo" worktree prune
  rm -rf "$trees"
}
trap remove_trees EXIT

declare -A sha
sha[before]="$(git -C "$repo" rev-parse --verify "$1^{commit}")"
sha[after]="$(git -C "$repo" rev-parse --verify "$2^{commit}")"
echo "ab: before = $1 (${sha[before]:0:10}), after = $2 (${sha[after]:0:10}), $ROUNDS round(s); output in $AB_OUT"

for side in before after; do
  echo "ab: building $side in $trees/$side"
  git -C "$repo" worktree add -q --detach "$trees/$side" "${sha[$side]}"
  (cd "$trees/$side" && ./mvnw -q -B -DskipTests package) >"$AB_OUT/build-$side.log" 2>&1 ||
    { tail -n 30 "$AB_OUT/build-$side.log" >&2; echo "ab: build of $side failed" >&2; exit 1; }
done

for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    echo "ab: round $round/$ROUNDS, $side ($(date +%T))"
    : >"$AB_OUT/results-$side-$round"
    KINDLING_HOME="$trees/$side" RESULTS="$AB_OUT/results-$side-$round" \
      bash "$bench/run.sh" >"$AB_OUT/run-$side-$round.log" 2>&1 ||
      { tail -n 30 "$AB_OUT/run-$side-$round.log" >&2; echo "ab: run failed ($side, round $round)" >&2; exit 1; }
  done
done

echo
echo "before = $1 (${sha[before]:0:10}), after = $2 (${sha[after]:0:10}); $(nproc) CPUs, load now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: ROUNDS=$ROUNDS DURATION=${DURATION:-10} WARMUP=${WARMUP:-2} COLD_N=${COLD_N:-10}" \
  "CONCURRENCY=\"${CONCURRENCY:-1 8 64}\" SERVER_WARMUP=${SERVER_WARMUP:-15}"
/usr/bin/python3 "$bench/ab_report.py" "$AB_OUT" "$ROUNDS"
