#!/usr/bin/env bash
# JetStream publish matrix: natsbench -mode js against Go nats-server (A) and natsd (B), started
# side by side, alternating A and B run by run; prints medians (msgs/s), server CPU seconds per
# run and the ratio natsd/Go. natsd fsyncs before every ack; Go acknowledges before its lazy sync.
#   bash bench/js_compare.sh                   # RUNS=3
#   RUNS=5 SIZES="16" STORAGES="file" WINDOWS="1000" bash bench/js_compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bench="${NATSBENCH:-/tmp/natsbench/natsbench}"
[ -x "$bench" ] || { echo "natsbench missing: bash ../shared/tools/natsbench/build.sh" >&2; exit 1; }
command -v nats-server >/dev/null || { echo "apt-get install -y nats-server" >&2; exit 1; }
RUNS="${RUNS:-3}"; SIZES="${SIZES:-16 1024}"; STORAGES="${STORAGES:-file memory}"
WINDOWS="${WINDOWS:-1000 0}"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

start() { # name port command...
  local name="$1" port="$2"; shift 2
  "$@" -a 127.0.0.1 -p "$port" -js -sd "$work/$name" >"$work/$name.log" 2>&1 &
  pids+=("$!"); echo "$!" >"$work/$name.pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not start" >&2; exit 1
}
cpu() { awk '{print $14 + $15}' "/proc/$(cat "$work/$1.pid")/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

start go 4335 nats-server
start natsd 4336 "$root/bin/natsd"
tick="$(getconf CLK_TCK)"
printf '%-8s %-7s %-6s %12s %12s %8s %s\n' size storage window "Go msgs/s" "natsd msgs/s" ratio \
  "cpu-s/run Go natsd"
for size in $SIZES; do for storage in $STORAGES; do for window in $WINDOWS; do
  n=200000; [ "$window" = 0 ] && n=10000
  declare -A rates=() cpus=()
  for _ in $(seq 1 "$RUNS"); do
    for name in go natsd; do
      port=4335; [ "$name" = natsd ] && port=4336
      before="$(cpu "$name")"
      out="$("$bench" -mode js -s "nats://127.0.0.1:$port" -n "$n" -ms "$size" -window "$window" \
        -storage "$storage" -q)"
      after="$(cpu "$name")"
      rates[$name]+="$(sed -n 's/.*msgs_per_sec=\([0-9]*\).*/\1/p' <<<"$out") "
      cpus[$name]+="$(awk -v a="$after" -v b="$before" -v t="$tick" 'BEGIN {print (a-b)/t}') "
    done
  done
  g="$(tr ' ' '\n' <<<"${rates[go]}" | grep . | median)"
  d="$(tr ' ' '\n' <<<"${rates[natsd]}" | grep . | median)"
  gc="$(tr ' ' '\n' <<<"${cpus[go]}" | grep . | median)"
  dc="$(tr ' ' '\n' <<<"${cpus[natsd]}" | grep . | median)"
  ratio="$(awk -v d="$d" -v g="$g" 'BEGIN {printf "%.2f", d / g}')"
  printf '%-8s %-7s %-6s %12s %12s %8s %s %s\n' "$size" "$storage" "$window" "$g" "$d" "$ratio" \
    "$gc" "$dc"
  unset rates cpus
done; done; done
for name in go natsd; do
  echo "peak RSS $name: $(awk '/VmHWM/ {print $2, $3}' "/proc/$(cat "$work/$name.pid")/status")"
done
