"""Rules: the standard programs, compiled rules files, bytecode in and out,
and their results against the command's with the same rules."""
import pytest

import rubric
from conftest import AS_OF, EXAMPLES, SOURCE, as_json, command, command_jsonl, normalized

CLOUD = SOURCE / "examples" / "rules" / "cloud_security.rubric"
MSP = SOURCE / "examples" / "rules" / "msp_readiness.rubric"


def results_of(rules, paths):
    return [as_json(r) for p in paths for r in rules.evaluate(p.read_text(), AS_OF)]


def test_standard_programs(rules):
    assert rules.programs == ("apn-2019-consulting", "apn-2022-services",
                              "apn-2019-technology", "service-delivery")
    assert repr(rules).startswith("<rubric.Rules programs=('apn-2019-consulting'")


@pytest.mark.parametrize("rules_file,partners", [
    (CLOUD, sorted(EXAMPLES.glob("*.json"))),
    (MSP, sorted((SOURCE / "examples" / "rules" / "msp").glob("*.json"))),
])
def test_custom_rules_equal_the_command(rules_file, partners):
    custom = rubric.Rules.compile(rules_file, with_standard=False)
    want = [normalized(line) for p in partners for line in command_jsonl("-r", str(rules_file), str(p))]
    assert want
    assert results_of(custom, partners) == want


def test_custom_rules_with_the_standard_programs():
    both = rubric.Rules.compile([str(CLOUD)], with_standard=True)
    assert sorted(both.programs) == sorted(rubric.Rules.standard().programs +
                                           ("cloud-security-2026",))
    partner = EXAMPLES / "advanced.json"
    want = [normalized(line) for line in command_jsonl("-r", "stdlib", "-r", str(CLOUD), str(partner))]
    assert results_of(both, [partner]) == want


def test_bytecode_round_trip_and_rbc_file(rules, tmp_path):
    again = rubric.Rules.load(rules.bytecode())
    assert again.bytecode() == rules.bytecode()
    partner = EXAMPLES / "premier.json"
    assert results_of(again, [partner]) == results_of(rules, [partner])
    rbc = tmp_path / "cloud.rbc"
    command("compile", str(CLOUD), "-o", str(rbc))
    loaded = rubric.Rules.load(rbc.read_bytes())
    assert loaded.programs == ("cloud-security-2026",)
    want = [normalized(line) for line in command_jsonl("-r", str(rbc), str(partner))]
    assert results_of(loaded, [partner]) == want


def test_rules_are_not_made_directly():
    with pytest.raises(TypeError):
        rubric.Rules()
    with pytest.raises(TypeError):
        rubric.Result()
