#!/bin/sh
# same_rules.sh RUBRIC [PARTNERS] — `rubric diff` of the standard rules against
# themselves moves nobody: over a generated population (bench/gen_partners.py;
# partners with two applications of one designation among them), every
# format reports 0 changed, --fail-on-change exits 0, and the text's
# matrices hold every partner on their diagonals.
set -eu
rubric=$1
n=${2:-2000}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 bench/gen_partners.py -n "$n" --seed 7 --as-of 2026-11-22 >"$tmp/partners.jsonl"
summary="$n partners evaluated, 0 changed: 0 eligible tiers changed (up 0, down 0)"
for format in jsonl csv json; do
    "$rubric" diff --old stdlib --new stdlib --as-of 2026-11-22 -f $format --fail-on-change \
        "$tmp/partners.jsonl" >"$tmp/out.$format" 2>"$tmp/err"
    if [ "$(cat "$tmp/err")" != "$summary" ]; then
        echo "same_rules: -f $format: $(cat "$tmp/err")" >&2
        exit 1
    fi
done
if [ -s "$tmp/out.jsonl" ] || [ "$(wc -l <"$tmp/out.csv")" -ne 1 ]; then
    echo "same_rules: changes written" >&2
    exit 1
fi
grep -q '^{"changes":\[\],$' "$tmp/out.json"
"$rubric" diff --old stdlib --new stdlib --as-of 2026-11-22 -f text "$tmp/partners.jsonl" \
    >"$tmp/out.txt"
[ "$(tail -n 1 "$tmp/out.txt")" = "$summary" ]
# No partner line: the text is the matrices, then the summary.
if grep -q '^P-' "$tmp/out.txt"; then
    echo "same_rules: a partner is listed" >&2
    exit 1
fi
# Off the diagonal, every cell is 0; on it, someone.
python3 - "$tmp/out.txt" <<'PY'
import sys
columns = None
for line in open(sys.argv[1]):
    if line.startswith("  old \\ new"):
        columns = line.split()[3:]
    elif line.startswith("  ") and columns:
        label, counts = line.split()[0], line.split()[1:]
        for column, count in zip(columns, counts):
            if (column == label) != (count != "0"):
                sys.exit("same_rules: %s -> %s: %s" % (label, column, count))
PY
