#!/usr/bin/env bash
# End-to-end comparison: the same natsbench scenarios against Go nats-server (A) and natsd (B),
# interleaved run by run, printing msgs/s for each and the ratio natsd/Go, plus peak RSS.
#   npm run bench:compare                 # all scenarios, RUNS=3
#   RUNS=5 ONLY="a b c" npm run bench:compare
# Needs Go nats-server (apt-get install -y nats-server) and natsbench (../shared/tools/natsbench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
tools="${NATSBENCH_TOOLS:-$root/../shared/tools/natsbench}"
if [ ! -x "$tools/compare.sh" ]; then
  echo "natsbench not found at $tools (set NATSBENCH_TOOLS)" >&2
  exit 1
fi
command -v nats-server >/dev/null || { echo "Go nats-server missing: apt-get install -y nats-server" >&2; exit 1; }
export NATS_SERVER="${NATS_SERVER:-nats-server}"
export NATS_SERVER_B="${NATS_SERVER_B:-$root/bin/natsd}"
# Peak RSS of both servers, sampled from /proc while the comparison runs.
peak_file="$(mktemp)"
(
  declare -A peak=()
  while sleep 0.2; do
    # compare.sh starts A (Go) on port 4333 and B (natsd) on 4334.
    for port in 4333 4334; do
      pid=$(pgrep -f -- "-p $port " | head -1)
      [ -n "$pid" ] || continue
      rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      name=$([ "$port" = 4333 ] && echo "A (Go nats-server)" || echo "B (natsd)")
      [ "${rss:-0}" -gt "${peak[$name]:-0}" ] && peak[$name]=$rss
    done
    { for k in "${!peak[@]}"; do echo "$k ${peak[$k]}"; done; } > "$peak_file"
  done
) &
sampler=$!
trap 'kill $sampler 2>/dev/null; rm -f "$peak_file"' EXIT
"$tools/compare.sh"
echo
echo "peak RSS (VmHWM, KiB):"
cat "$peak_file"
