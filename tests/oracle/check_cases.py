#!/usr/bin/env python3
"""Checks an implementation against the hand-written expectations of cases/.

    check_cases.py                 # checks oracle.py
    check_cases.py --rubric PATH   # checks `PATH eval -f jsonl`

Each entry of cases/index.json names a partner file, an as-of date, why the
case exists, the expected exit status, optionally the expected sequence of
program ids printed and substrings of the error output, and a list of
expectations. An expectation selects a value of one program's result with a
slash path: `eligible_tier`, `renewal/status`, `tiers/Select/launched_opportunities/mrr`,
`renewal/csat_responses`, `applications/0/remediation`, `corporate_events/1/action`.
When the path ends at a requirement, the other keys (status, actual, required,
unit) are compared with its fields, and `absent: true` asserts it is missing;
otherwise `value` is compared with the value found.
"""
import argparse
import json
import os
import subprocess
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
MISSING = object()


def run_implementation(rubric, case):
    path = os.path.join(CASES, case["file"])
    if rubric:
        cmd = [rubric, "eval", "-f", "jsonl", "--as-of", case["as_of"], path]
    else:
        cmd = [sys.executable, os.path.join(HERE, "oracle.py"), "--as-of", case["as_of"], path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    results = [json.loads(line, parse_float=Decimal) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, results, proc.stderr


def find_requirement(requirements, ids):
    current, found = requirements, None
    for rid in ids:
        found = next((r for r in current if r.get("id") == rid), None)
        if found is None:
            return MISSING
        current = found.get("parts", [])
    return found


def select(result, path):
    """The value or requirement at a slash path, MISSING when absent."""
    keys = path.split("/")
    node = result
    while keys:
        key = keys[0]
        if isinstance(node, list):
            if key.isdigit():
                node = node[int(key)] if int(key) < len(node) else MISSING
            else:
                tier = next((t for t in node if t.get("tier") == key), MISSING)
                if tier is MISSING or len(keys) == 1:
                    return tier
                return find_requirement(tier["requirements"], keys[1:])
            keys = keys[1:]
        elif isinstance(node, dict) and key in node:
            node = node[key]
            keys = keys[1:]
        elif isinstance(node, dict) and "requirements" in node:
            return find_requirement(node["requirements"], keys)
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


def same(expected, actual):
    if isinstance(expected, bool) or expected is None or isinstance(actual, bool):
        return expected is actual or expected == actual and type(expected) is type(actual)
    if isinstance(expected, (int, float)) and isinstance(actual, (int, Decimal)):
        return Decimal(str(expected)) == Decimal(actual)
    return expected == actual


def check_expectation(results, exp):
    result = next((r for r in results if r["program"]["id"] == exp["program"]), None)
    if result is None:
        return f"no {exp['program']} result"
    found = select(result, exp["at"])
    if exp.get("absent"):
        return None if found is MISSING else "expected absent, found it"
    if found is MISSING:
        return "not found"
    problems = []
    if "value" in exp:
        if not same(exp["value"], found):
            problems.append(f"value {found!r}, expected {exp['value']!r}")
    for field in ("status", "actual", "required", "unit"):
        if field in exp and not same(exp[field], found.get(field, MISSING)):
            problems.append(f"{field} {found.get(field)!r}, expected {exp[field]!r}")
    return "; ".join(problems) or None


def check_case(rubric, case):
    code, results, stderr = run_implementation(rubric, case)
    problems = []
    if code != case["exit"]:
        problems.append(f"exit {code}, expected {case['exit']}")
    for text in case.get("errors", []):
        if text not in stderr:
            problems.append(f"error output lacks {text!r}: {stderr.strip()!r}")
    if "programs" in case:
        printed = [r["program"]["id"] for r in results]
        if sorted(printed) != sorted(case["programs"]):
            problems.append(f"programs printed {printed}, expected {case['programs']}")
    for exp in case["expect"]:
        problem = check_expectation(results, exp)
        if problem:
            problems.append(f"{exp['program']} {exp['at']}: {problem}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rubric", help="check this rubric binary instead of the oracle")
    ap.add_argument("names", nargs="*", help="only these case files")
    args = ap.parse_args()
    with open(os.path.join(CASES, "index.json"), encoding="utf-8") as f:
        cases = json.load(f)
    failed = 0
    for case in cases:
        if args.names and case["file"] not in args.names and case["file"].rsplit(".", 1)[0] not in args.names:
            continue
        problems = check_case(args.rubric, case)
        if problems:
            failed += 1
            print(f"FAIL {case['file']} (as of {case['as_of']}): {case['why']}")
            for p in problems:
                print(f"  {p}")
    print(f"{len(cases) - failed} of {len(cases)} cases pass" if not args.names else f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
