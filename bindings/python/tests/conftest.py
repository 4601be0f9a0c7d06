"""Fixtures of the binding's tests: the rubric command to compare with, the
example partners, a generated population, and the standard rules."""
import gzip
import json
import os
import pathlib
import subprocess

import pytest

import rubric

AS_OF = "2026-11-22"
SOURCE = pathlib.Path(os.environ["RUBRIC_SOURCE_DIR"])
BINARY = os.environ["RUBRIC_BINARY"]
EXAMPLES = SOURCE / "examples" / "partners"


def command(*args, check=True):
    """Run the rubric command; its CompletedProcess (text)."""
    done = subprocess.run([BINARY, *args], capture_output=True, text=True)
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"rubric {' '.join(args)}: {done.returncode}: {done.stderr}")
    return done


def command_jsonl(*args):
    """The JSON Lines objects `rubric eval -f jsonl` prints, as text lines."""
    return command("eval", "-q", "-f", "jsonl", "--as-of", AS_OF, *args).stdout.splitlines()


def as_json(result):
    """A Result's to_dict() as the command writes it: compact, keys in order."""
    return json.dumps(result.to_dict(), separators=(",", ":"), ensure_ascii=False)


def normalized(line):
    """A line of the command's output read and written back the same way."""
    return json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False)


@pytest.fixture(scope="session")
def rules():
    return rubric.Rules.standard()


@pytest.fixture(scope="session")
def example_files():
    return sorted(EXAMPLES.glob("*.json")) + [EXAMPLES / "batch.jsonl"]


@pytest.fixture(scope="session")
def population(tmp_path_factory):
    """200 generated partners as a JSON Lines file (bindings/testdata)."""
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    with gzip.open(SOURCE / "bindings" / "testdata" / "population.jsonl.gz", "rb") as f:
        path.write_bytes(f.read())
    return path
