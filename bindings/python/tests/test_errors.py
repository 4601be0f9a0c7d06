"""Failures are exceptions with what Rubric says: CompileError with the
diagnostic's place and hint, DataError with the partner and the data path,
LimitError, RubricError; the exact messages of the library."""
import pytest

import rubric
from conftest import AS_OF, EXAMPLES, command

TYPO_RULES = """import apn.partner

program "typo" "Typo" version "1"
  tiers Select < Advanced by tier
  rolling window (as_of - 12 months, as_of]
  renewal window (renewal_date - 12 months, as_of] due renewal_date
  category Knowledge
    requirement staff "Staff"
      count(individuals where any acreditations (earned <= as_of))   at least 1 | 2
"""


def test_compile_error_has_place_message_and_hint(tmp_path):
    path = tmp_path / "typo.rubric"
    path.write_text(TYPO_RULES)
    with pytest.raises(rubric.CompileError) as caught:
        rubric.Rules.compile(str(path))
    e = caught.value
    assert (e.file, e.line, e.column) == (str(path), 9, 35)
    assert e.message == "unknown name 'acreditations'"
    assert e.hint == "did you mean 'accreditations'?"
    assert e.status == "errors in rules"
    assert isinstance(e, rubric.RubricError)
    assert [d.severity for d in e.diagnostics][0] == "error"
    # str() is the rendering of `rubric check`.
    assert str(e) + "\n" == command("check", str(path)).stderr


def test_compile_of_a_missing_file_is_oserror(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        rubric.Rules.compile([str(tmp_path / "missing.rubric")])
    assert caught.value.filename == str(tmp_path / "missing.rubric")


def test_bad_bytecode_is_rubric_error():
    with pytest.raises(rubric.RubricError) as caught:
        rubric.Rules.load(b"not bytecode at all")
    assert caught.value.status == "invalid bytecode"
    assert str(caught.value) == caught.value.message
    assert "magic" in caught.value.message or "short" in caught.value.message


def test_data_error_names_partner_path_and_place(rules):
    partner = (EXAMPLES / "select.json").read_text().replace(
        '"registered": "2024-02-01"', '"registered": "2023-02-29"', 1)
    with pytest.raises(rubric.DataError) as caught:
        rules.evaluate(partner, AS_OF)
    e = caught.value
    assert e.message == 'invalid date "2023-02-29": no such day in that month'
    assert e.path == "$.individuals[0].registered"
    assert str(e) == f"{e.path}: {e.message}"
    assert partner[e.offset:].startswith('"2023-02-29"')
    before = partner[:e.offset]
    assert (e.line, e.column) == (before.count("\n") + 1, e.offset - before.rfind("\n"))
    assert e.line == 17
    assert e.status == "invalid data"
    assert e.file is None


def test_malformed_json_is_a_data_error(rules):
    with pytest.raises(rubric.DataError) as caught:
        rules.evaluate('{"format": "apn-partner/1", "id": ', AS_OF)
    assert caught.value.status == "invalid data"
    assert caught.value.message == "unexpected end of the document"
    assert str(caught.value) == "$: unexpected end of the document"
    assert (caught.value.line, caught.value.column) == (1, 35)


def test_limit_error():
    rules = rubric.Rules.standard(limits={"max_instructions": 10})
    with pytest.raises(rubric.LimitError) as caught:
        rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)
    assert caught.value.message == "apn-2019-consulting: instruction limit reached"
    assert caught.value.partner_id == "P-0000002"
    assert caught.value.status == "limit exceeded"


def test_input_limit_error():
    rules = rubric.Rules.standard(limits={"max_input_bytes": 100})
    with pytest.raises(rubric.LimitError):
        rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)


def test_bad_limits_are_refused():
    with pytest.raises(ValueError, match="unknown limit"):
        rubric.Rules.standard(limits={"max_speed": 1})
    with pytest.raises(TypeError):
        rubric.Rules.standard(limits=[1])


def test_bad_arguments(rules):
    partner = (EXAMPLES / "select.json").read_text()
    with pytest.raises(rubric.RubricError) as caught:
        rules.evaluate(partner, "22/11/2026")
    assert caught.value.message == "as_of must be a date YYYY-MM-DD"
    assert caught.value.status == "invalid argument"
    with pytest.raises(TypeError, match="as_of must be a datetime.date"):
        rules.evaluate(partner, 20261122)
    with pytest.raises(TypeError, match="partner must be a dict, str or bytes"):
        rules.evaluate(12, AS_OF)
    with pytest.raises(TypeError, match="programs must be a list"):
        rules.evaluate(partner, AS_OF, programs="apn-2019-consulting")
    with pytest.raises(ValueError, match="NUL"):
        rules.evaluate(partner, "2026-11-22\0")


def test_file_errors_raise_in_place_and_iteration_goes_on(rules, tmp_path):
    good = (EXAMPLES / "batch.jsonl").read_text().splitlines()
    lines = [good[0], '{"format": "apn-partner/1", "id": ', "", good[1], good[0]]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    stderr = command("eval", "-q", "-f", "jsonl", "--as-of", AS_OF, str(path)).stderr
    it = rules.evaluate_file(path, AS_OF, jobs=2)
    seen, errors = [], []
    while True:
        try:
            seen.append(next(it).partner.id)
        except rubric.DataError as e:
            errors.append(e)
        except StopIteration:
            break
    assert len(errors) == 2
    assert (errors[0].file, errors[0].line, errors[0].column) == (str(path), 2, 35)
    assert f"{path}:2:35: error: {errors[0]}" in stderr
    assert errors[1].message.startswith('duplicate partner id "') and errors[1].line == 5
    assert errors[1].message.endswith(f"(first seen at {path}:1); this record is skipped")
    assert f"{path}:5: error: {errors[1].message}" in stderr
    skipped = rules.evaluate_file(path, AS_OF, errors="skip")
    assert [r.partner.id for r in skipped] == seen
    assert [e.line for e in skipped.errors] == [2, 5]


def test_evaluate_file_arguments(rules, tmp_path):
    with pytest.raises(FileNotFoundError):
        rules.evaluate_file(tmp_path / "missing.jsonl", AS_OF)
    with pytest.raises(ValueError, match="errors must be 'raise' or 'skip'"):
        rules.evaluate_file(EXAMPLES / "batch.jsonl", AS_OF, errors="ignore")
    with pytest.raises(ValueError, match="jobs must be from 1 to 64"):
        rules.evaluate_file(EXAMPLES / "batch.jsonl", AS_OF, jobs=0)
