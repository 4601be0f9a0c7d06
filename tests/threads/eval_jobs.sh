#!/bin/sh
# eval_jobs.sh RUBRIC — `rubric eval -j 4` over a population of partners
# writes exactly what `-j 1` writes: the same results in the same order,
# the same diagnostics, the same exit status, in every format.  Built with
# -DRUBRIC_TSAN=ON, ThreadSanitizer watches the four workers meanwhile
# (.ci/run).
#
# The population: the example partners, each copied under new ids with
# its dates unchanged, and among them records that must fail (malformed
# JSON, a type error, a duplicate id), so that errors cross threads too.
set -eu
rubric=$1
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - examples/partners "$tmp/population.jsonl" <<'EOF'
import glob, json, os, sys
src, out = sys.argv[1], sys.argv[2]
partners = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(src, "*.json")))]
with open(os.path.join(src, "batch.jsonl")) as f:
    partners += [json.loads(line) for line in f if line.strip()]
with open(out, "w") as f:
    for n in range(1200):
        p = dict(partners[n % len(partners)])
        p["id"] = "P-JOBS-%05d" % n
        if n % 401 == 7:
            f.write('{"format": "apn-partner/1", "id": "P-BAD-%d", "name": \n' % n)
            continue
        if n % 397 == 11:
            p["renewal_date"] = 20261215
        if n % 389 == 13:
            p["id"] = "P-JOBS-00000"
        f.write(json.dumps(p, separators=(",", ":")) + "\n")
EOF

status=0
for format in jsonl json csv csv-requirements text html; do
    for jobs in 1 4; do
        set +e
        "$rubric" eval --as-of 2026-11-22 -q -f $format -j $jobs "$tmp/population.jsonl" \
            >"$tmp/out.$jobs" 2>"$tmp/err.$jobs"
        echo $? >"$tmp/status.$jobs"
        set -e
    done
    for part in out err status; do
        if ! cmp -s "$tmp/$part.1" "$tmp/$part.4"; then
            echo "eval_jobs: -f $format: -j 4 differs from -j 1 ($part):" >&2
            diff "$tmp/$part.1" "$tmp/$part.4" | head -20 >&2
            status=1
        fi
    done
    if [ "$(cat "$tmp/status.1")" != 1 ] || ! grep -q "duplicate partner id" "$tmp/err.1"; then
        echo "eval_jobs: -f $format: expected the bad records reported, exit status 1:" >&2
        head -5 "$tmp/err.1" >&2
        status=1
    fi
done
exit $status
