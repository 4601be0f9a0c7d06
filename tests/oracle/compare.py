#!/usr/bin/env python3
"""Differential test: the C `rubric` binary against the Python oracle.

    compare.py RUBRIC --as-of YYYY-MM-DD [--program ID ...] FILE...
    compare.py RUBRIC --cases          # every case of cases/index.json at its own date

Runs `RUBRIC eval -f jsonl --as-of D FILE...` and `oracle.py --as-of D FILE...`
on the same inputs, matches results by (partner id, program id) and prints a
readable difference per partner, program and requirement. Numbers are compared
by their literal JSON text (the spec fixes how money is printed) and objects
also by key order. Exits 1 on any difference, 0 when everything agrees.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Literal:
    """A JSON number kept as written."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Literal) and self.text == other.text

    def __repr__(self):
        return self.text


def parse_jsonl(text, who, diffs):
    results = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_float=Literal, parse_int=Literal)
            key = (obj["partner"]["id"], obj["program"]["id"])
        except (ValueError, KeyError, TypeError) as e:
            diffs.append(f"{who} output line {number} is not a result object: {e}")
            continue
        if key in results:
            diffs.append(f"{who} printed {key[0]} {key[1]} twice")
        results[key] = obj
    return results


def show(value):
    if isinstance(value, Literal):
        return value.text
    if isinstance(value, (dict, list)):
        text = json.dumps(value, default=repr)
        return text if len(text) <= 80 else text[:77] + "..."
    return json.dumps(value)


def compare_values(where, c_value, o_value, out):
    if isinstance(c_value, dict) and isinstance(o_value, dict):
        compare_objects(where, c_value, o_value, out)
    elif isinstance(c_value, list) and isinstance(o_value, list) and is_requirement_list(c_value, o_value):
        compare_requirements(where, c_value, o_value, out)
    elif isinstance(c_value, list) and isinstance(o_value, list) and is_tier_list(c_value, o_value):
        compare_keyed(where, c_value, o_value, "tier", out)
    elif isinstance(c_value, list) and isinstance(o_value, list) and len(c_value) == len(o_value):
        for i, (c_item, o_item) in enumerate(zip(c_value, o_value)):
            compare_values(f"{where}[{i}]", c_item, o_item, out)
    elif not same_scalar(c_value, o_value):
        out.append(f"{where}: rubric {show(c_value)}, oracle {show(o_value)}")


def same_scalar(a, b):
    if type(a) is not type(b):
        return False
    return a == b


def compare_objects(where, c_obj, o_obj, out):
    for key in o_obj:
        if key not in c_obj:
            out.append(f"{where}.{key}: missing in rubric (oracle {show(o_obj[key])})")
    for key in c_obj:
        if key not in o_obj:
            out.append(f"{where}.{key}: unexpected in rubric ({show(c_obj[key])})")
    common_c = [k for k in c_obj if k in o_obj]
    common_o = [k for k in o_obj if k in c_obj]
    if common_c != common_o:
        out.append(f"{where}: key order rubric {common_c}, oracle {common_o}")
    for key in common_o:
        # requirement lists label their items by id already
        label = where if key in ("requirements", "parts") else (f"{where}.{key}" if where else key)
        compare_values(label, c_obj[key], o_obj[key], out)


def is_requirement_list(a, b):
    return all(isinstance(x, dict) and "id" in x and "status" in x for x in a + b) and (a or b)


def is_tier_list(a, b):
    return all(isinstance(x, dict) and "tier" in x and "satisfied" in x for x in a + b) and (a or b)


def compare_requirements(where, c_reqs, o_reqs, out):
    compare_keyed(where, c_reqs, o_reqs, "id", out)


def compare_keyed(where, c_items, o_items, key, out):
    c_ids = [item.get(key) for item in c_items]
    o_ids = [item.get(key) for item in o_items]
    for item in o_items:
        if item.get(key) not in c_ids:
            out.append(f"{where}/{item.get(key)}: missing in rubric")
    for item in c_items:
        if item.get(key) not in o_ids:
            out.append(f"{where}/{item.get(key)}: unexpected in rubric")
    common_c = [i for i in c_ids if i in o_ids]
    common_o = [i for i in o_ids if i in c_ids]
    if common_c != common_o:
        out.append(f"{where}: order rubric {common_c}, oracle {common_o}")
    for item in o_items:
        match = next((c for c in c_items if c.get(key) == item.get(key)), None)
        if match is not None:
            compare_values(f"{where}/{item.get(key)}", match, item, out)


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def compare_run(rubric, as_of, programs, files, checklists):
    """Returns the list of difference lines for one as-of date and input set."""
    selection = [arg for p in programs for arg in ("--program", p)]
    c_cmd = [rubric, "eval", "-f", "jsonl", "--as-of", as_of] + selection + files
    o_cmd = [sys.executable, os.path.join(HERE, "oracle.py"), "--as-of", as_of] + selection + files
    if checklists:
        o_cmd += ["--checklists", checklists]
    c_code, c_out, c_err = run(c_cmd)
    o_code, o_out, o_err = run(o_cmd)
    diffs = []
    if c_code != o_code:
        diffs.append(f"exit status: rubric {c_code}, oracle {o_code}")
        diffs += [f"  rubric stderr: {line}" for line in c_err.splitlines()[:5]]
        diffs += [f"  oracle stderr: {line}" for line in o_err.splitlines()[:5]]
    c_results = parse_jsonl(c_out, "rubric", diffs)
    o_results = parse_jsonl(o_out, "oracle", diffs)
    for key in o_results:
        if key not in c_results:
            diffs.append(f"{key[0]} {key[1]}: no rubric result")
    for key in c_results:
        if key not in o_results:
            diffs.append(f"{key[0]} {key[1]}: rubric printed a result the oracle does not have")
    c_order = [k for k in c_results if k in o_results]
    o_order = [k for k in o_results if k in c_results]
    if c_order != o_order:
        diffs.append("results are printed in a different order")
    for key in o_results:
        if key in c_results:
            details = []
            compare_values("", c_results[key], o_results[key], details)
            diffs += [f"{key[0]} {key[1]} {d}" for d in details]
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rubric", help="path of the rubric binary")
    ap.add_argument("--as-of", help="evaluation date YYYY-MM-DD")
    ap.add_argument("-p", "--program", action="append", default=[])
    ap.add_argument("--checklists", help="checklist file for the oracle (default: its own)")
    ap.add_argument("--cases", action="store_true", help="compare on every case of cases/index.json")
    ap.add_argument("files", nargs="*")
    args = ap.parse_intermixed_args()
    if args.cases:
        with open(os.path.join(HERE, "cases", "index.json"), encoding="utf-8") as f:
            runs = [(c["as_of"], [os.path.join(HERE, "cases", c["file"])]) for c in json.load(f)]
    elif args.as_of and args.files:
        runs = [(args.as_of, args.files)]
    else:
        ap.error("give --as-of and FILE..., or --cases")
    differing = 0
    for as_of, files in runs:
        diffs = compare_run(args.rubric, as_of, args.program, files, args.checklists)
        if diffs:
            differing += 1
            print(f"== {' '.join(os.path.basename(f) for f in files)} (as of {as_of}): {len(diffs)} difference(s)")
            for d in diffs:
                print(f"  {d}")
    print(f"{len(runs) - differing} of {len(runs)} runs agree")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
