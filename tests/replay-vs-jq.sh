#!/usr/bin/env bash
# replay beside jq on the same generated CloudTrail events: throughput and
# peak memory (maximum resident set size) of each, on uncompressed JSON Lines
# and on CloudTrail's .json.gz files. replay runs every alarm of the example
# stack (22 in Pulumi.prod.yaml); jq evaluates one of them, the CIS root-usage
# condition.
#
#   tests/replay-vs-jq.sh [SIZE_MIB] [DAYS]     (defaults: 1024 MiB, 30 days)
#
# Needs jq (apt-get install jq) and GNU time (/usr/bin/time). Times are CPU
# seconds (user + system), so that other work on the machine does not
# count, and wall seconds beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
days=${2:-30}
work=${REPLAY_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
trap '[ -z "${REPLAY_BENCH_DIR:-}" ] && rm -rf "$work"' EXIT

command -v jq >/dev/null || { echo "jq is not installed: apt-get install jq" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt-get install time" >&2; exit 1; }

go build -o "$work/landing-zone-audit" .
go build -o "$work/cloudtrailgen" ./internal/cloudtrailgen/cmd/cloudtrailgen
[ -f "$work/events.jsonl" ] || "$work/cloudtrailgen" -lines "$work/events.jsonl" -size $((size_mib << 20)) -days "$days"
[ -d "$work/archive" ] || "$work/cloudtrailgen" -archive "$work/archive" -days "$days" -files-per-day 4 -events-per-file 500

root='select(.userIdentity.type == "Root" and .userIdentity.invokedBy == null and .eventType != "AwsServiceEvent")'

# measure NAME BYTES COMMAND...: one line with CPU and wall seconds, MiB per
# CPU second and per wall second, and the peak resident memory.
measure() {
  local name=$1 bytes=$2
  shift 2
  /usr/bin/time -f '%U %S %e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r user sys wall rss <"$work/time"
  awk -v n="$name" -v b="$bytes" -v u="$user" -v s="$sys" -v w="$wall" -v r="$rss" 'BEGIN {
    cpu = u + s; printf "%-44s %7.2f cpu-s %7.2f wall-s %8.1f MiB/cpu-s %8.1f MiB/wall-s %7.1f MiB peak\n", n, cpu, w, b / 1048576 / cpu, b / 1048576 / w, r / 1024 }'
}

lines_bytes=$(stat -c %s "$work/events.jsonl")
gz_bytes=$(du -sb --apparent-size "$work/archive" | cut -f1)
gz_raw=$(find "$work/archive" -path '*/CloudTrail/*' -name '*.json.gz' -exec cat {} + | gzip -dc | wc -c)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JSON Lines: $((lines_bytes >> 20)) MiB; archive: $(find "$work/archive" -path '*/CloudTrail/*' -name '*.json.gz' | wc -l) .json.gz files, $((gz_bytes >> 20)) MiB stored, $((gz_raw >> 20)) MiB uncompressed"
echo
echo "planning the stack alone (every replay below plans it first)"
measure "plan" 0 "$work/landing-zone-audit" plan --stack prod
echo
echo "uncompressed JSON Lines (MiB/cpu-s of the JSON)"
measure "jq, root usage only" "$lines_bytes" jq -c "$root" "$work/events.jsonl"
measure "replay, all alarms, 1 core" "$lines_bytes" "$work/landing-zone-audit" replay --stack prod --parallel 1 --format json "$work/events.jsonl"
# One file is read by one worker: two halves show what a second core adds.
[ -d "$work/halves" ] || { mkdir "$work/halves" && split -n l/2 --additional-suffix=.jsonl "$work/events.jsonl" "$work/halves/part-"; }
measure "replay, the same in two files, 1 core" "$lines_bytes" "$work/landing-zone-audit" replay --stack prod --parallel 1 --format json "$work/halves"
measure "replay, the same in two files, 2 cores" "$lines_bytes" "$work/landing-zone-audit" replay --stack prod --parallel 2 --format json "$work/halves"
echo
echo ".json.gz archive (MiB/cpu-s of the uncompressed JSON)"
measure "gzip -d alone" "$gz_raw" sh -c "find '$work/archive' -path '*/CloudTrail/*' -name '*.json.gz' -exec cat {} + | gzip -dc >/dev/null"
measure "gzip -d | jq, root usage only" "$gz_raw" sh -c "find '$work/archive' -path '*/CloudTrail/*' -name '*.json.gz' -exec cat {} + | gzip -dc | jq -c '.Records[] | $root'"
measure "replay, all alarms, 1 core" "$gz_raw" "$work/landing-zone-audit" replay --stack prod --parallel 1 --format json "$work/archive"
measure "replay, all alarms, 2 cores" "$gz_raw" "$work/landing-zone-audit" replay --stack prod --parallel 2 --format json "$work/archive"
