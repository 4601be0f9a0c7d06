"""What docs/python.md shows works: help() texts, the stubs, the pandas
example (when pandas is there) and the multiprocessing example."""
import ast
import json
import pathlib
import subprocess
import sys

import pytest

import rubric
from conftest import AS_OF, SOURCE, command_jsonl

EXAMPLE = SOURCE / "bindings" / "python" / "examples" / "pool.py"


def test_help_shows_docstrings_and_signatures():
    import inspect
    assert "GIL is released" in rubric.Rules.evaluate.__doc__
    assert str(inspect.signature(rubric.Rules.evaluate)) == (
        "(self, /, partner, as_of, programs=None, *, strict=False)")
    assert "rubric eval -f jsonl" in rubric.Result.to_dict.__doc__
    assert rubric.Requirement.gap.__doc__.startswith("What the scorecards say")


def test_stubs_name_every_public_name():
    stubs = pathlib.Path(rubric.__file__).with_name("__init__.pyi")
    tree = ast.parse(stubs.read_text())
    named = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    assert set(rubric.__all__) <= named | {"LIBRARY_VERSION"}
    assert pathlib.Path(rubric.__file__).with_name("py.typed").exists()


def test_pool_example_equals_the_command(population, tmp_path):
    lines = population.read_text().splitlines()
    parts = []
    for i in range(3):
        part = tmp_path / f"part-{i}.jsonl"
        part.write_text("\n".join(lines[i::3]) + "\n")
        parts.append(str(part))
    done = subprocess.run([sys.executable, str(EXAMPLE), "stdlib", AS_OF, *parts],
                          capture_output=True, text=True, check=True)
    got = sorted((r["partner_id"], r["program"], r["eligible_tier"])
                 for r in map(json.loads, done.stdout.splitlines()))
    want = sorted((o["partner"]["id"], o["program"]["id"], o.get("eligible_tier"))
                  for o in map(json.loads, command_jsonl(str(population))))
    assert got == want


def test_pandas_example(rules, population):
    pd = pytest.importorskip("pandas")
    rows = [{"partner": r.partner.id, "tier": r.current_tier,
             "renewal": r.renewal.status if r.renewal else "none"}
            for r in rules.evaluate_file(population, AS_OF, programs=["apn-2019-consulting"])]
    counts = pd.DataFrame(rows).value_counts(["tier", "renewal"]).sort_index()
    want = {}
    for o in map(json.loads, command_jsonl("-p", "apn-2019-consulting", str(population))):
        key = (o["current_tier"], o["renewal"]["status"] if o["renewal"] else "none")
        want[key] = want.get(key, 0) + 1
    assert counts.to_dict() == want
