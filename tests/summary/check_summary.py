#!/usr/bin/env python3
"""check_summary.py RUBRIC — `rubric eval -f summary-json` counts what the
jsonl results say: over a generated population (bench/gen_partners.py),
every count of the summary is computed again here from `-f jsonl` and
compared, and the total counts each partner once however many programs
it is evaluated under."""
import collections
import datetime
import json
import os
import subprocess
import sys
import tempfile

rubric = sys.argv[1]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
AS_OF = "2026-11-22"

with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "partners.jsonl")
    with open(data, "w") as f:
        subprocess.run([sys.executable, os.path.join(root, "bench", "gen_partners.py"),
                        "-n", "600", "--seed", "11", "--as-of", AS_OF], stdout=f, check=True)
    run = lambda fmt: subprocess.run([rubric, "eval", "--as-of", AS_OF, "-q", "-f", fmt, data],
                                     capture_output=True, text=True)
    lines = run("jsonl")
    summary_run = run("summary-json")

if summary_run.returncode != lines.returncode:
    sys.exit(f"exit status {summary_run.returncode} != jsonl's {lines.returncode}")
summary = json.loads(summary_run.stdout)
results = [json.loads(line) for line in lines.stdout.splitlines()]

want_partners = len({r["partner"]["id"] for r in results})
problems = []
def check(what, got, want):
    if got != want:
        problems.append(f"{what}: summary says {got}, jsonl says {want}")

check("partners", summary["partners"], want_partners)
check("results", summary["results"], len(results))
check("as_of", summary["as_of"], AS_OF)
as_of = datetime.date.fromisoformat(AS_OF)
by_program = collections.defaultdict(list)
for r in results:
    by_program[r["program"]["id"]].append(r)
check("programs", sorted(p["id"] for p in summary["programs"]), sorted(by_program))
for p in summary["programs"]:
    rs = by_program[p["id"]]
    check(f"{p['id']} partners", p["partners"], len(rs))
    if p["kind"] != "tiered":
        items = [a["status"] for r in rs for a in r["applications"]]
        check(f"{p['id']} items ready", p["items_ready"], items.count("ready"))
        continue
    for current, row in p["matrix"].items():
        for eligible, n in row.items():
            want = sum(1 for r in rs if r["current_tier"] == current and
                       (r["eligible_tier"] or "none") == eligible)
            check(f"{p['id']} matrix {current} x {eligible}", n, want)
    for current, row in p["renewal"].items():
        mine = [r for r in rs if r["current_tier"] == current]
        for status, n in row.items():
            want = sum(1 for r in mine if (r["renewal"] or {}).get("status", "none") == status)
            check(f"{p['id']} renewal {current} {status}", n, want)
        for days in ("30", "60", "90"):
            want = sum(1 for r in mine if r["renewal"] and 0 <= (
                datetime.date.fromisoformat(r["renewal"]["review_date"]) - as_of).days <= int(days))
            check(f"{p['id']} due {current} {days}", p["review_due"][current][days], want)
        want = sum(1 for r in mine if r["upgrade"] and r["upgrade"]["eligible"])
        check(f"{p['id']} upgrade {current}", p["upgrade"][current]["eligible"], want)
    for tier, top in p["top_gaps"].items():
        counts = collections.Counter(
            q["id"] for r in rs if r["renewal"] and r["renewal"]["tier"] == tier
            for q in r["renewal"]["requirements"] if q["status"] in ("not_met", "at_risk"))
        for entry in top:
            check(f"{p['id']} gaps {tier} {entry['requirement']}", entry["partners"],
                  counts[entry["requirement"]])
        if top:
            check(f"{p['id']} top gap of {tier}", top[0]["partners"], max(counts.values()))
    check(f"{p['id']} matrix total", sum(sum(row.values()) for row in p["matrix"].values()),
          len(rs))

if problems:
    sys.exit("\n".join(problems))
print(f"summary matches {len(results)} results of {want_partners} partners")
