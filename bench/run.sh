#!/usr/bin/env bash
# bench/run.sh — Rubric's speed and memory as ratios measured side by side in
# one run (DESIGN.md, "Performance"):
#
#   - batch evaluation of every standard program against the raw parse speed
#     of simdjson On-Demand walking every value of the same file;
#   - the same against apn-2019-consulting written in jq (bench/consulting_2019.jq);
#   - throughput with --jobs 1 and with every core;
#   - the same partners as one JSON array instead of JSON Lines (it should
#     take the same time and memory), and one very long line (linear time);
#   - peak memory for N partners and for 4N (it should not grow);
#   - compiling the standard rules (an evaluation of no partners).
#
# usage: bench/run.sh [-n PARTNERS] [-g GENERATOR] [-b BUILD_DIR]
#   GENERATOR defaults to bench/gen_partners.py.
set -euo pipefail
cd "$(dirname "$0")/.."

n=20000
generator=bench/gen_partners.py
build=build-bench
while getopts "n:g:b:h" opt; do
    case $opt in
    n) n=$OPTARG ;;
    g) generator=$OPTARG ;;
    b) build=$OPTARG ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
    esac
done
[ -f "$generator" ] || { echo "bench: no generator at $generator (use -g)" >&2; exit 2; }

as_of=2026-11-22
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUBRIC_TESTS=OFF >/dev/null
cmake --build "$build" --target rubric parse_speed >/dev/null
rubric=$build/rubric

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$generator" -n "$n" --seed 1 --as-of $as_of >"$tmp/small.jsonl"
python3 "$generator" -n $((4 * n)) --seed 2 --as-of $as_of >"$tmp/large.jsonl"
: >"$tmp/empty.jsonl"
# The small population as one JSON array, one partner per line.
{ echo '['; sed '$!s/$/,/' "$tmp/small.jsonl"; echo ']'; } >"$tmp/small.json"
# One partner whose unread "notes" field is a 200 MB string: one long line.
python3 -c '
import sys
sys.stdout.write("{\"format\": \"apn-partner/1\", \"id\": \"L-1\", \"name\": \"Long\", "
                 "\"path\": \"consulting\", \"tier\": \"Select\", \"renewal_date\": \"2026-12-15\", "
                 "\"notes\": \"" + "x" * (200 << 20) + "\"}\n")' >"$tmp/long.jsonl"
mb=$(awk -v b="$(stat -c %s "$tmp/small.jsonl")" 'BEGIN { printf "%.1f", b / 1e6 }')

# Best of three: "seconds max_rss_kb".
measure() {
    local best="" line
    for _ in 1 2 3; do
        line=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1)
        if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
            best=$line
        fi
    done
    echo "$best"
}
speed() { awk -v mb="$mb" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? mb / s : 0) }'; }

parse=$("$build/parse_speed" "$tmp/small.jsonl")
parse_mbs=$(echo "$parse" | awk '{ print $3 }')
one=$(measure "$rubric" eval --as-of $as_of -f jsonl -j 1 "$tmp/small.jsonl")
all=$(measure "$rubric" eval --as-of $as_of -f jsonl "$tmp/small.jsonl")
big=$(measure "$rubric" eval --as-of $as_of -f jsonl -j 1 "$tmp/large.jsonl")
array=$(measure "$rubric" eval --as-of $as_of -f jsonl -j 1 "$tmp/small.json")
long=$(measure "$rubric" eval --as-of $as_of -f jsonl -j 1 "$tmp/long.jsonl")
jq_one=$(measure jq -c --arg asof $as_of -f bench/consulting_2019.jq "$tmp/small.jsonl")
rubric_consulting=$(measure "$rubric" eval --as-of $as_of -f jsonl -j 1 -p apn-2019-consulting "$tmp/small.jsonl")
compile=$(measure "$rubric" eval --as-of $as_of -f jsonl "$tmp/empty.jsonl")

one_mbs=$(speed "${one%% *}")
all_mbs=$(speed "${all%% *}")
cat <<REPORT
$n partners, $mb MB of JSON Lines; $(nproc) cores

simdjson On-Demand, every value walked   $parse_mbs MB/s
rubric eval, all programs, -j 1          $one_mbs MB/s   ($(awk -v a="$one_mbs" -v b="$parse_mbs" 'BEGIN { printf "%.0f%%", 100 * a / b }') of the parse)
rubric eval, all programs, -j $(nproc)         $all_mbs MB/s   (x$(awk -v a="$all_mbs" -v b="$one_mbs" 'BEGIN { printf "%.2f", a / b }') of -j 1)
the same as one JSON array, -j 1         ${array%% *} s, ${array##* } KB   (JSON Lines: ${one%% *} s, ${one##* } KB)
one 200 MB line, -j 1                    $(awk -v s="${long%% *}" 'BEGIN { printf "%.0f", (s > 0 ? 209.7 / s : 0) }') MB/s

apn-2019-consulting only, -j 1:
  rubric                                 ${rubric_consulting%% *} s
  jq (bench/consulting_2019.jq)          ${jq_one%% *} s   (rubric x$(awk -v a="${jq_one%% *}" -v b="${rubric_consulting%% *}" 'BEGIN { printf "%.0f", a / b }') faster)

peak memory, -j 1:  $n partners ${one##* } KB;  $((4 * n)) partners ${big##* } KB
compiling the standard rules and starting: ${compile%% *} s
REPORT
