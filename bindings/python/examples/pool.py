"""Evaluate JSON Lines partitions on a local pool of processes, as a cluster
engine (Spark's mapInPandas, Dask's map_partitions) would on its workers:

  - the driver compiles the rules once and ships the bytecode (bytes);
  - each worker loads it once (Rules.load) and evaluates its partitions;
  - what comes back is flat rows, one per partner and program.

    python3 pool.py RULES.rbc|stdlib AS_OF PARTITION.jsonl... > rows.jsonl
"""
import json
import multiprocessing
import sys

import rubric

_rules = None


def _load(bytecode):
    """Once per worker process."""
    global _rules
    _rules = rubric.Rules.load(bytecode)


def partner_rows(path_and_as_of):
    """One partition: partner-level rows (plain dicts: picklable, and a
    DataFrame's columns) and the errors of the partners that had any."""
    path, as_of = path_and_as_of
    rows = []
    results = _rules.evaluate_file(path, as_of, jobs=1, errors="skip")
    for r in results:
        rows.append({
            "partner_id": r.partner.id,
            "program": r.program.id,
            "current_tier": r.current_tier,
            "eligible_tier": r.eligible_tier,
            "renewal_status": r.renewal.status if r.renewal else None,
        })
    errors = [f"{e.file}:{e.line}: {e}" for e in results.errors]
    return rows, errors


def evaluate(bytecode, as_of, partitions, processes=None):
    with multiprocessing.Pool(processes, initializer=_load, initargs=(bytecode,)) as pool:
        for rows, errors in pool.imap(partner_rows, [(p, as_of) for p in partitions]):
            yield rows, errors


def main(argv):
    rules_arg, as_of, partitions = argv[1], argv[2], argv[3:]
    bytecode = (rubric.Rules.standard().bytecode() if rules_arg == "stdlib"
                else open(rules_arg, "rb").read())
    status = 0
    for rows, errors in evaluate(bytecode, as_of, partitions):
        for row in rows:
            print(json.dumps(row))
        for e in errors:
            print(e, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
