#!/usr/bin/env python3
"""check_sqlite.py SQLITE3 EXTENSION RUBRIC SOURCE_DIR — the SQLite extension
through the sqlite3 shell, against the rubric command.

A database holds a table of partners (the example partners and a generated
population, bindings/testdata); queries of the shell with `.load EXTENSION`
must give what `rubric eval -f jsonl` prints for the same partners:
rubric_eval (all programs and one), rubric_tier, the rows of
rubric_requirements, and the same with rules selected by rubric_load_rules
(source and .rbc).  Bad input must be an SQL error with Rubric's message,
and the shell must live to say it."""
import gzip
import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile

AS_OF = "2026-11-22"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def shell(db, *commands):
    """Run the sqlite3 shell with the extension loaded; (status, stdout, stderr)."""
    args = [SQLITE3, "-bail", str(db), f".load {EXTENSION}", ".mode json", *commands]
    done = subprocess.run(args, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def query(db, *commands):
    """The rows of the last command, as dicts."""
    status, out, err = shell(db, *commands)
    if status != 0:
        raise AssertionError(f"sqlite3 failed ({status}): {err}")
    return json.loads(out) if out.strip() else []


def command_results(path, *rules):
    """rubric eval -f jsonl: {partner id: [result objects, in order]}."""
    args = [RUBRIC, "eval", "-q", "-f", "jsonl", "--as-of", AS_OF]
    for r in rules:
        args += ["-r", str(r)]
    done = subprocess.run(args + [str(path)], capture_output=True, text=True)
    by_partner = {}
    for line in done.stdout.splitlines():
        obj = json.loads(line)
        by_partner.setdefault(obj["partner"]["id"], []).append(obj)
    return by_partner


def make_database(tmp, partners):
    db = tmp / "partners.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE partners(id TEXT PRIMARY KEY, json TEXT)")
    con.executemany("INSERT INTO partners VALUES (?, ?)",
                    [(json.loads(p)["id"], p) for p in partners])
    con.commit()
    con.close()
    return db


def partner_texts(source, tmp):
    """The example partners and the population, one JSON text each."""
    examples = source / "examples" / "partners"
    texts = [p.read_text() for p in sorted(examples.glob("*.json"))]
    texts += [line for line in (examples / "batch.jsonl").read_text().splitlines() if line.strip()]
    with gzip.open(source / "bindings" / "testdata" / "population.jsonl.gz", "rt") as f:
        texts += [line for line in f if line.strip()]
    # One partner per id (batch.jsonl repeats some example partners).
    first = {}
    for t in texts:
        first.setdefault(json.loads(t)["id"], t)
    texts = list(first.values())
    jsonl = tmp / "all.jsonl"
    jsonl.write_text("".join(json.dumps(json.loads(t)) + "\n" for t in texts))
    return texts, jsonl


# ------------------------------------------------------------------ rows

def part_rows(program, view, tier, item, req, top=None, path=None):
    rows = [[program, view, tier, item, req["category"], top or req["id"], path,
             req["status"], req["actual"], req["required"], req["unit"]]]
    for part in req["parts"]:
        rows += part_rows(program, view, tier, item, part, top or req["id"],
                          f"{path}.{part['id']}" if path else part["id"])
    return rows


def expected_rows(result):
    """The rows of rubric_requirements for one result of the command."""
    program, rows = result["program"]["id"], []
    views = [("renewal", result.get("renewal")), ("upgrade", result.get("upgrade"))]
    views += [("rolling", v) for v in result.get("tiers", [])]
    for kind, view in views:
        for req in (view or {}).get("requirements", []):
            rows += part_rows(program, kind, view["tier"], None, req)
    if "tiers" not in result:
        items_key = list(result)[3]  # after partner, program and as_of
        for item in result[items_key]:
            label = next(v for k, v in item.items() if k not in ("status", "requirements"))
            for req in item["requirements"]:
                rows += part_rows(program, "item", None, label, req)
    return rows


COLUMNS = ["program", "view", "tier", "item", "category", "requirement", "part", "status",
           "actual", "required", "unit"]


# ------------------------------------------------------------------ checks

def check_eval(db, want, ids):
    rows = query(db, "SELECT id, rubric_eval(json, '%s') AS r FROM partners ORDER BY rowid" % AS_OF)
    check([r["id"] for r in rows] == ids, "rubric_eval: one row per partner")
    for r in rows:
        check(json.loads(r["r"]) == want.get(r["id"], []), f"rubric_eval({r['id']}) differs")


def check_one_program(db, want, programs):
    for program in programs:
        rows = query(db, f"SELECT id, rubric_eval(json, '{AS_OF}', '{program}') AS r, "
                         f"rubric_tier(json, '{AS_OF}', '{program}') AS t FROM partners")
        for r in rows:
            objs = [o for o in want.get(r["id"], []) if o["program"]["id"] == program]
            got = json.loads(r["r"]) if r["r"] is not None else None
            check(got == (objs[0] if objs else None), f"rubric_eval({r['id']}, {program})")
            tier = objs[0].get("eligible_tier") if objs else None
            check(r["t"] == tier, f"rubric_tier({r['id']}, {program}): {r['t']} != {tier}")


def check_requirements(db, want, rules_sql=()):
    rows = query(db, *rules_sql, "SELECT p.id AS partner_id, r.* FROM partners p, "
                     f"rubric_requirements(p.json, '{AS_OF}') r ORDER BY p.rowid, r.rowid")
    got = {}
    for r in rows:
        got.setdefault(r["partner_id"], []).append([r[c] for c in COLUMNS])
    for pid, results in want.items():
        rows_wanted = [row for res in results for row in expected_rows(res)]
        check(got.get(pid, []) == rows_wanted, f"rubric_requirements({pid}) differs")
    check(set(got) <= set(want), "rubric_requirements: rows of partners without results")
    return len(rows)


def check_docs_query(db, want):
    """docs/sqlite.md: partners at risk at renewal, per tier."""
    rows = query(db, "SELECT r.tier, count(DISTINCT p.id) AS at_risk FROM partners p, "
                     f"rubric_requirements(p.json, '{AS_OF}', 'apn-2019-consulting') r "
                     "WHERE r.view = 'renewal' AND r.status = 'at_risk' "
                     "GROUP BY r.tier ORDER BY r.tier")
    counts = {}
    for results in want.values():
        for res in results:
            if res["program"]["id"] == "apn-2019-consulting" and any(
                    row[1] == "renewal" and row[7] == "at_risk" for row in expected_rows(res)):
                counts[res["renewal"]["tier"]] = counts.get(res["renewal"]["tier"], 0) + 1
    check(rows == [{"tier": t, "at_risk": n} for t, n in sorted(counts.items())] and rows,
          f"partners at risk per tier: {rows} != {counts}")


def check_custom_rules(db, tmp, jsonl):
    cloud = SOURCE / "examples" / "rules" / "cloud_security.rubric"
    rbc = tmp / "cloud.rbc"
    subprocess.run([RUBRIC, "compile", str(cloud), "-o", str(rbc)], check=True)
    want = command_results(jsonl, cloud)
    check(bool(want), "the command evaluates the cloud security program")
    for rules in (cloud, rbc):
        # Loads the rules and prints nothing.
        load = f"SELECT 1 WHERE rubric_load_rules('{rules}') IS NULL"
        rows = query(db, load, "SELECT id, rubric_eval(json, '%s') AS r FROM partners" % AS_OF)
        for r in rows:
            check(json.loads(r["r"]) == want.get(r["id"], []), f"{rules.name}: {r['id']}")
        check_requirements(db, want, (load,))
    count = query(db, f"SELECT rubric_load_rules('{cloud}') AS n")
    check(count == [{"n": 1}], f"rubric_load_rules returns the number of programs: {count}")


def check_errors(db, tmp):
    typo = tmp / "typo.rubric"
    typo.write_text(
        "import apn.partner\n\nprogram \"typo\" \"Typo\" version \"1\"\n"
        "  tiers Select < Advanced by tier\n"
        "  rolling window (as_of - 12 months, as_of]\n"
        "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"
        "  category Knowledge\n    requirement staff \"Staff\"\n"
        "      count(individuals where any acreditations (earned <= as_of))   at least 1 | 2\n")
    bad_date = json.dumps({"format": "apn-partner/1", "id": "P-1", "name": "X",
                           "path": "consulting", "tier": "Select",
                           "renewal_date": "2023-02-29"})
    cases = [
        ("SELECT rubric_eval('{\"format\": ', '%s')" % AS_OF,
         "$: unexpected end of the document"),
        (f"SELECT rubric_eval('{bad_date}', '{AS_OF}')",
         '$.renewal_date: invalid date "2023-02-29": no such day in that month'),
        ("SELECT rubric_tier(json, '22/11/2026', 'apn-2019-consulting') FROM partners",
         "as_of must be a date YYYY-MM-DD"),
        ("SELECT * FROM rubric_requirements('{]', '%s')" % AS_OF, "$"),
        ("SELECT * FROM rubric_requirements", "needs the partner and the date"),
        (f"SELECT rubric_load_rules('{tmp}/missing.rubric')", f"{tmp}/missing.rubric: cannot be read"),
        (f"SELECT rubric_load_rules('{typo}')",
         f"{typo}:9:35: error: unknown name 'acreditations'"),
        (f"SELECT rubric_load_rules('{typo}')", "note: did you mean 'accreditations'?"),
        (f"SELECT rubric_load_rules('{tmp / 'partners.db'}.rbc')", "cannot be read"),
    ]
    (tmp / "garbage.rbc").write_bytes(b"not bytecode")
    cases.append((f"SELECT rubric_load_rules('{tmp}/garbage.rbc')", "bytecode"))
    for sql, message in cases:
        status, out, err = shell(db, sql)
        check(status == 1 and message in err and "Error" in err,
              f"{sql}: wanted an SQL error with {message!r}, got {status}: {err.strip()[:300]}")
    rows = query(db, "SELECT rubric_eval(NULL, '%s') AS a, rubric_tier(json, NULL, 'x') AS b "
                     "FROM partners LIMIT 1" % AS_OF)
    check(rows == [{"a": None, "b": None}], f"NULL arguments give NULL: {rows}")
    status, out, err = shell(db, "SELECT rubric_eval('{', '%s')" % AS_OF, "SELECT 7 AS n")
    check(status == 1, "-bail stops at the error")
    out = subprocess.run([SQLITE3, "-cmd", f".load {EXTENSION}", str(db)],
                         input="SELECT rubric_eval('{', '%s');\nSELECT 7;\n" % AS_OF,
                         capture_output=True, text=True).stdout
    check(out.strip() == "7", f"the shell goes on after the error: {out!r}")


def main():
    global SQLITE3, EXTENSION, RUBRIC, SOURCE
    SQLITE3, EXTENSION, RUBRIC = sys.argv[1], os.path.splitext(sys.argv[2])[0], sys.argv[3]
    SOURCE = pathlib.Path(sys.argv[4])
    with tempfile.TemporaryDirectory() as name:
        tmp = pathlib.Path(name)
        texts, jsonl = partner_texts(SOURCE, tmp)
        db = make_database(tmp, texts)
        ids = [json.loads(t)["id"] for t in texts]
        want = command_results(jsonl)
        check(len(want) > 200, f"the command evaluated {len(want)} partners")
        programs = sorted({o["program"]["id"] for results in want.values() for o in results})
        check_eval(db, want, ids)
        check_one_program(db, want, programs)
        rows = check_requirements(db, want)
        check(rows > 10000, f"rubric_requirements gave {rows} rows")
        check_docs_query(db, want)
        check_custom_rules(db, tmp, jsonl)
        check_errors(db, tmp)
    print(f"{len(failures) == 0 and 'all' or len(failures)} checks "
          f"{'passed' if not failures else 'failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
