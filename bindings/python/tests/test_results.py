"""Results equal the command's: to_dict() is, key for key and in order, the
object `rubric eval -f jsonl` prints; the attributes hold the same values as
Python types."""
import datetime
import decimal
import json

from conftest import AS_OF, EXAMPLES, as_json, command_jsonl, normalized


def partners_of(path):
    """The partners of an example file, as JSON text."""
    text = path.read_text()
    if path.suffix == ".jsonl":
        return [line for line in text.splitlines() if line.strip()]
    return [text]


def test_examples_equal_the_command(rules, example_files):
    for path in example_files:
        want = [normalized(line) for line in command_jsonl(str(path))]
        got = [as_json(r) for text in partners_of(path) for r in rules.evaluate(text, AS_OF)]
        assert got == want, path.name
        assert want, path.name


def test_population_equals_the_command(rules, population):
    want = [normalized(line) for line in command_jsonl(str(population))]
    assert len(want) > 200
    got = [as_json(r) for line in population.read_text().splitlines()
           for r in rules.evaluate(line, AS_OF)]
    assert got == want


def test_evaluate_file_equals_the_command(rules, population):
    want = [normalized(line) for line in command_jsonl(str(population))]
    for jobs in (1, 4):
        got = [as_json(r) for r in rules.evaluate_file(population, AS_OF, jobs=jobs)]
        assert got == want, f"jobs={jobs}"


def test_programs_select_results(rules):
    path = EXAMPLES / "advanced.json"
    want = [normalized(line) for line in command_jsonl("-p", "apn-2019-consulting", str(path))]
    got = rules.evaluate(path.read_bytes(), AS_OF, programs=["apn-2019-consulting"])
    assert [as_json(r) for r in got] == want
    assert len(got) == 1


def test_partner_as_dict_str_or_bytes(rules):
    text = (EXAMPLES / "select.json").read_text()
    want = [as_json(r) for r in rules.evaluate(text, AS_OF)]
    assert [as_json(r) for r in rules.evaluate(json.loads(text), AS_OF)] == want
    assert [as_json(r) for r in rules.evaluate(text.encode(), AS_OF)] == want
    assert [as_json(r) for r in rules.evaluate(text, datetime.date(2026, 11, 22))] == want


def test_attributes_of_a_tiered_result(rules):
    # docs/embedding.md: the renewal view says launched_opportunities is at
    # risk, 18 of 20; the rolling view of Advanced says met, 20 of 20.
    result = rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)[0]
    assert result.program.id == "apn-2019-consulting"
    assert result.partner.id == "P-0000002"
    assert result.partner.name == "Stratus Advanced Cloud"
    assert result.as_of == datetime.date(2026, 11, 22)
    assert result.kind == "tiered"
    assert (result.current_tier, result.eligible_tier) == ("Advanced", "Advanced")
    renewal = result.renewal
    assert renewal.kind == "renewal" and renewal.tier == "Advanced"
    assert isinstance(renewal.review_date, datetime.date)
    launched = renewal.requirement("launched_opportunities")
    assert (launched.status, launched.actual, launched.required) == ("at_risk", 18, 20)
    assert launched.gap == "needs 2 more launched opportunities [at risk]"
    assert launched.time_bound is True and launched.unit == "count"
    rolling = [v for v in result.tiers if v.tier == "Advanced"][0]
    assert rolling.kind == "rolling" and rolling.eligible and rolling.satisfied
    met = rolling.requirement("launched_opportunities")
    assert (met.status, met.actual, met.required) == ("met", 20, 20)
    assert met.index == launched.index
    assert [v.tier for v in result.tiers] == ["Select", "Advanced", "Premier"]
    assert result.upgrade.tier == "Premier"
    assert result.items == [] and result.items_name is None


def test_money_is_decimal_and_categories_share_requirements(rules):
    result = rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)[0]
    fee = result.renewal.requirement("program_fee")
    assert fee.unit == "usd"
    assert isinstance(fee.required, decimal.Decimal) and fee.required == decimal.Decimal("2500")
    assert str(fee.required) == "2500.00"
    view = result.tiers[0]
    in_categories = [q for c in view.categories for q in c.requirements]
    assert [id(q) for q in in_categories] == [id(q) for q in view.requirements]
    assert [c.name for c in view.categories][:2] == ["Fee", "Knowledge"]
    assert result.to_dict()["renewal"]["requirements"][0]["required"] == 2500


def test_parts_and_lookup_of_parts(rules):
    result = rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)[0]
    view = result.upgrade
    mrr = view.requirement("launched_opportunities.mrr")
    assert mrr is not None and mrr.id == "mrr"
    assert mrr in view.requirement("launched_opportunities").parts
    assert isinstance(mrr.actual, decimal.Decimal)
    assert view.requirement("no_such_requirement") is None
    assert view.requirement("launched_opportunities.no_such_part") is None


def test_per_item_result(rules):
    results = rules.evaluate((EXAMPLES / "service_delivery.json").read_text(), AS_OF,
                             programs=["service-delivery"])
    (result,) = results
    assert result.kind == "per_item"
    assert (result.items_name, result.item_label_name) == ("applications", "designation")
    assert result.tiers == [] and result.renewal is None and result.current_tier is None
    item = result.items[0]
    assert item.status in ("ready", "not_ready")
    assert isinstance(item.label, str)
    d = result.to_dict()
    assert list(d)[:3] == ["partner", "program", "as_of"]
    assert d["applications"][0]["designation"] == item.label
    events = result.lists["corporate_events"]
    assert d["corporate_events"] == [
        {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in row.items()}
        for row in events]


def test_repr_names_the_result(rules):
    result = rules.evaluate((EXAMPLES / "advanced.json").read_text(), AS_OF)[0]
    assert repr(result).startswith("rubric.Result(partner=rubric.Partner(id='P-0000002'")
    assert repr(result.renewal.requirement("launched_opportunities")) == (
        "rubric.Requirement(id='launched_opportunities', status='at_risk', actual=18, "
        "required=20)")
