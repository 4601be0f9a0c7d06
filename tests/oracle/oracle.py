#!/usr/bin/env python3
"""Reference implementation ("oracle") of the Rubric standard programs.

An independent reading of spec/programs.md, spec/data.md and spec/cli.md,
written in plain Python 3 (standard library only) so that the C runtime can be
tested against it differentially.

    oracle.py --as-of 2026-11-22 [--program ID ...] [--checklists FILE] FILE...

Prints one result object per partner and program, one per line (the shape of
`rubric eval -f jsonl`). Data errors go to stderr as `file:line: error: ...`;
the run then exits 1 while the other partners are still evaluated.
"""
import argparse
import datetime as dt
import json
import os
import re
import sys
from decimal import Decimal, InvalidOperation

TIER_ORDER = ["Registered", "Select", "Advanced", "Premier"]
LEGACY_REVENUE_CUTOFF = dt.date(2020, 3, 31)
TRANSITION_FIRST = dt.date(2019, 4, 1)
TRANSITION_REVIEW = dt.date(2019, 12, 13)
FEE_GRACE_DAYS = 90
REMEDIATION_BUSINESS_DAYS = 5
DEFAULT_CHECKLISTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checklists.json")


# ----------------------------------------------------------------------------
# Dates and money

def add_months(d, n):
    """d + n months from the original date, clamped to the month's last day."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, days_in_month(year, month)))


def days_in_month(year, month):
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def in_window(d, window):
    """Half-open window (start, end]."""
    start, end = window
    return d is not None and start < d <= end


class Money:
    """Exact US dollars as integer cents."""

    def __init__(self, cents):
        self.cents = cents

    def to_json(self):
        sign = "-" if self.cents < 0 else ""
        whole, frac = divmod(abs(self.cents), 100)
        if frac == 0:
            return f"{sign}{whole}"
        if frac % 10 == 0:
            return f"{sign}{whole}.{frac // 10}"
        return f"{sign}{whole}.{frac:02d}"

    def __ge__(self, other):
        return self.cents >= other.cents


def dollars(amount):
    return Money(int(amount) * 100)


# ----------------------------------------------------------------------------
# Output: JSON with exact money and the spec's key order (dict insertion order)

def to_json(value):
    if isinstance(value, Money):
        return value.to_json()
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + to_json(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    raise TypeError(f"cannot serialize {value!r}")


# ----------------------------------------------------------------------------
# Reading partner files

class Number:
    """A JSON number kept as its literal text, so money is never a float."""

    def __init__(self, text):
        self.text = text


class DataError(Exception):
    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def reject_constant(name):
    raise ValueError(f"invalid JSON literal {name}")


DECODER = json.JSONDecoder(parse_float=Number, parse_int=Number, parse_constant=reject_constant)


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def read_records(filename):
    """Yields (line, object-or-None, error-or-None) for every partner record."""
    if filename == "-":
        yield from read_jsonl(sys.stdin.read())
        return
    with open(filename, encoding="utf-8") as f:
        text = f.read()
    if filename.endswith((".jsonl", ".ndjson")):
        yield from read_jsonl(text)
    else:
        yield from read_json(text)


def read_jsonl(text):
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value, end = DECODER.raw_decode(line, len(line) - len(line.lstrip()))
            if line[end:].strip():
                raise ValueError("extra data after the JSON value")
            yield number, value, None
        except ValueError as e:
            yield number, None, f"malformed JSON: {e}"


def read_json(text):
    pos = skip_ws(text, 0)
    if pos < len(text) and text[pos] == "[":
        yield from read_json_array(text, pos)
        return
    try:
        value, end = DECODER.raw_decode(text, pos)
        if skip_ws(text, end) != len(text):
            raise ValueError("extra data after the JSON value")
        yield line_of(text, pos), value, None
    except ValueError as e:
        yield line_of(text, pos), None, f"malformed JSON: {e}"


def read_json_array(text, pos):
    """Decodes the array element by element to know each record's line."""
    pos = skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        try:
            value, pos_after = DECODER.raw_decode(text, pos)
        except ValueError as e:
            yield line_of(text, pos), None, f"malformed JSON: {e}"
            return
        yield line_of(text, pos), value, None
        pos = skip_ws(text, pos_after)
        if pos < len(text) and text[pos] == ",":
            pos = skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]" and skip_ws(text, pos + 1) == len(text):
            return
        yield line_of(text, pos), None, "malformed JSON: expected ',' or ']' in the array"
        return


def skip_ws(text, pos):
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


# ----------------------------------------------------------------------------
# Schema of apn-partner/1: validates and normalizes one partner object.
# A field spec is (type, required); records normalize to dicts holding every
# declared field (absent -> None), lists to Python lists (absent/null -> []).

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONEY_STRING_RE = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")
NUMBER_PLAIN_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
INT_RE = re.compile(r"^-?[0-9]+$")
MAX_CENTS = 2 ** 63 - 1


def parse_date(value, path):
    if not isinstance(value, str):
        raise DataError(path, "expected a date \"YYYY-MM-DD\"")
    m = DATE_RE.match(value)
    if not m:
        raise DataError(path, f"invalid date \"{value}\" (expected YYYY-MM-DD)")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise DataError(path, f"invalid date \"{value}\"") from None


def parse_month(value, path):
    if not isinstance(value, str):
        raise DataError(path, "expected a month \"YYYY-MM\"")
    m = MONTH_RE.match(value)
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1:
        raise DataError(path, f"invalid month \"{value}\" (expected YYYY-MM)")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def parse_money(value, path):
    if isinstance(value, str):
        if not MONEY_STRING_RE.match(value):
            raise DataError(path, f"invalid money \"{value}\" (a decimal with at most two decimals)")
        cents = int(Decimal(value) * 100)
    elif isinstance(value, Number):
        if NUMBER_PLAIN_RE.match(value.text) and "." in value.text and len(value.text.split(".")[1]) > 2:
            raise DataError(path, f"money {value.text} has more than two decimals")
        try:
            exact = Decimal(value.text) * 100
        except InvalidOperation:
            raise DataError(path, f"invalid money {value.text}") from None
        if exact != exact.to_integral_value():
            raise DataError(path, f"money {value.text} is not exact to the cent")
        cents = int(exact)
    else:
        raise DataError(path, "expected money (a number or a decimal string)")
    if abs(cents) > MAX_CENTS:
        raise DataError(path, "money out of range")
    return Money(cents)


def parse_int(value, path):
    if not isinstance(value, Number) or not INT_RE.match(value.text):
        raise DataError(path, "expected an integer")
    return int(value.text)


def parse_scalar(kind, value, path):
    if kind == "string":
        if not isinstance(value, str):
            raise DataError(path, "expected a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise DataError(path, "expected true or false")
        return value
    if kind == "date":
        return parse_date(value, path)
    if kind == "month":
        return parse_month(value, path)
    if kind == "money":
        return parse_money(value, path)
    if kind == "int":
        return parse_int(value, path)
    raise AssertionError(kind)


def enum(*values):
    return ("enum", values)


def record(**fields):
    return ("record", fields)


def list_of(item):
    return ("list", item)


REQ = True
OPT = False

CASE_STUDY = record(
    title=("string", OPT), customer=("string", OPT), public=("bool", OPT),
    aws_account_id=("string", OPT), start=("date", OPT), end=("date", OPT),
    use_case=("string", OPT), solution=("string", OPT), metrics=("string", OPT),
    lessons_learned=("string", OPT), architecture_diagram=("string", OPT),
    services=(list_of("string"), OPT), focal_service=("string", OPT))

APPLICATION = record(
    designation=("string", REQ), submitted=("date", REQ),
    self_assessment=(("answers", enum("Y", "N")), OPT),
    practice=(record(title=("string", OPT), selling_proposition=("string", OPT),
                     description=("string", OPT), microsite_url=("string", OPT),
                     customer_success_page=("string", OPT)), OPT),
    case_studies=(list_of(CASE_STUDY), OPT),
    review=(record(summary_sent=("date", OPT), responded=("date", OPT),
                   open_action_items=("int", OPT), action_plan=("bool", OPT),
                   decision=(enum("awarded", "declined"), OPT), decided=("date", OPT),
                   last_validation=("date", OPT)), OPT))

CORPORATE_EVENT = record(
    kind=(enum("acquires", "acquired_by", "divests"), REQ), date=("date", REQ),
    counterparty=("string", OPT), counterparty_service_delivery=("bool", OPT),
    material=("bool", OPT))

PARTNER = record(
    format=("string", OPT),
    id=("string", REQ),
    name=("string", REQ),
    path=(enum("consulting", "technology", "services"), REQ),
    tier=(enum("Registered", "Select", "Advanced", "Premier", "Standard"), REQ),
    renewal_date=("date", REQ),
    fee_payments=(list_of(record(date=("date", REQ), amount=("money", REQ))), OPT),
    individuals=(list_of(record(
        id=("string", OPT), registered=("date", OPT), left=("date", OPT),
        accreditations=(list_of(record(kind=(enum("technical", "business"), REQ),
                                       earned=("date", REQ))), OPT),
        certifications=(list_of(record(
            name=("string", OPT),
            level=(enum("foundational", "associate", "professional", "specialty"), REQ),
            earned=("date", REQ), expires=("date", OPT))), OPT))), OPT),
    opportunities=(list_of(record(
        id=("string", OPT), customer=("string", OPT),
        origin=(enum("partner", "aws", "legacy_revenue_tool"), REQ),
        status=(enum("submitted", "approved", "launched", "closed_lost"), REQ),
        launched=("date", OPT), mrr=("money", OPT),
        public_reference=(record(designated=("date", REQ)), OPT))), OPT),
    public_references=(list_of(record(
        customer=("string", REQ), source=(enum("tool", "legacy"), OPT), url=("string", OPT),
        submitted=("date", OPT), approved=("date", OPT))), OPT),
    csat_responses=(list_of(record(
        date=("date", REQ), customer=("string", OPT),
        email_confirmed=("bool", REQ), aws_customer=("bool", REQ))), OPT),
    business_plan=(record(signed_off=("date", OPT), reviewed=("date", OPT)), OPT),
    designations=(list_of(record(
        kind=("string", REQ), name=("string", REQ), awarded=("date", REQ),
        expires=("date", OPT))), OPT),
    products=(list_of(record(name=("string", OPT), ga=("date", OPT))), OPT),
    direct_revenue=(list_of(record(month=("month", REQ), amount=("money", REQ))), OPT),
    executive_business_review=(record(approved=("date", OPT)), OPT),
    service_delivery_applications=(list_of(APPLICATION), OPT),
    corporate_events=(list_of(CORPORATE_EVENT), OPT))


def normalize(spec, value, path):
    """Checks value (not None) against spec and returns its normalized form."""
    if isinstance(spec, str):
        return parse_scalar(spec, value, path)
    kind, arg = spec
    if kind == "enum":
        if not isinstance(value, str) or value not in arg:
            shown = f"\"{value}\"" if isinstance(value, str) else "a non-string value"
            raise DataError(path, f"{shown} is not one of {', '.join(arg)}")
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise DataError(path, "expected an array")
        return [normalize_required(arg, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if kind == "answers":
        if not isinstance(value, dict):
            raise DataError(path, "expected an object")
        return {k: normalize(arg, v, f"{path}.{k}") for k, v in value.items()}
    if kind == "record":
        if not isinstance(value, dict):
            raise DataError(path, "expected an object")
        return normalize_record(arg, value, path)
    raise AssertionError(kind)


def normalize_required(spec, value, path):
    if value is None:
        raise DataError(path, "null where a value is required")
    return normalize(spec, value, path)


def normalize_record(fields, value, path):
    out = {}
    for name, (spec, required) in fields.items():
        field_path = f"{path}.{name}" if path else name
        raw = value.get(name)
        if raw is None:
            if required:
                raise DataError(field_path, "missing required field")
            out[name] = [] if isinstance(spec, tuple) and spec[0] == "list" else None
        else:
            out[name] = normalize(spec, raw, field_path)
    return out


def check_event_fields(partner):
    for i, event in enumerate(partner["corporate_events"]):
        needed = "material" if event["kind"] == "divests" else "counterparty_service_delivery"
        if event[needed] is None:
            raise DataError(f"corporate_events[{i}].{needed}", "missing required field")


def load_partner(raw):
    if not isinstance(raw, dict):
        raise DataError("", "a partner must be a JSON object")
    partner = normalize_record(PARTNER[1], raw, "")
    if partner["format"] is not None and partner["format"] != "apn-partner/1":
        raise DataError("format", f"unsupported format \"{partner['format']}\" (expected apn-partner/1)")
    check_event_fields(partner)
    if partner["path"] == "services":
        partner["path"] = "consulting"
    if partner["tier"] == "Standard":
        partner["tier"] = "Select"
    return partner


# ----------------------------------------------------------------------------
# Evaluation context: one view of one partner at one date

class View:
    """as_of: the evaluation date (a checkpoint for sustained Premier);
    window: the (start, end] of time-bound requirements;
    review_date: set in the renewal view (at_risk before it), else None."""

    def __init__(self, partner, program, as_of, window, review_date=None):
        self.partner = partner
        self.program = program
        self.as_of = as_of
        self.window = window
        self.review_date = review_date


def rolling_view(partner, program, as_of):
    return View(partner, program, as_of, (add_months(as_of, -12), as_of))


def counts_on(person, day):
    return person["registered"] is not None and person["registered"] <= day and \
        (person["left"] is None or person["left"] > day)


def active_on(start, expires, day):
    return start is not None and start <= day and (expires is None or expires > day)


def staff(v):
    return [p for p in v.partner["individuals"] if counts_on(p, v.as_of)]


# --- Knowledge

def accredited(v, kinds):
    return sum(1 for p in staff(v)
               if any(a["kind"] in kinds and a["earned"] <= v.as_of for a in p["accreditations"]))


LEVEL_RANK = {"associate": 1, "professional": 2, "specialty": 2}


def highest_technical_level(person, day):
    ranks = [LEVEL_RANK[c["level"]] for c in person["certifications"]
             if c["level"] in LEVEL_RANK and active_on(c["earned"], c["expires"], day)]
    return max(ranks, default=0)


def foundational_certified(v):
    return sum(1 for p in staff(v)
               if any(c["level"] == "foundational" and active_on(c["earned"], c["expires"], v.as_of)
                      for c in p["certifications"]))


def technical_certified(v):
    return sum(1 for p in staff(v) if highest_technical_level(p, v.as_of) >= 1)


def professional_or_specialty(v):
    return sum(1 for p in staff(v) if highest_technical_level(p, v.as_of) >= 2)


# --- Experience

def counted_opportunities(v):
    return [o for o in v.partner["opportunities"]
            if o["status"] == "launched" and o["origin"] in ("partner", "aws")
            and in_window(o["launched"], v.window)]


def legacy_revenue_credits(v):
    if not v.program["legacy"] or v.as_of > LEGACY_REVENUE_CUTOFF:
        return 0
    return sum(1 for o in v.partner["opportunities"]
               if o["status"] == "launched" and o["origin"] == "legacy_revenue_tool"
               and in_window(o["launched"], v.window))


def launched_opportunities(v):
    return len(counted_opportunities(v)) + legacy_revenue_credits(v)


def launched_mrr(v):
    return Money(sum(o["mrr"].cents for o in counted_opportunities(v) if o["mrr"] is not None))


def business_plan(v):
    plan = v.partner["business_plan"]
    if plan is None or plan["signed_off"] is None:
        return False
    latest = max(d for d in (plan["signed_off"], plan["reviewed"]) if d is not None)
    return in_window(latest, v.window)


def validations(v):
    return {(d["kind"], d["name"]) for d in v.partner["designations"]
            if d["kind"] in ("competency", "msp", "well_architected")
            and active_on(d["awarded"], d["expires"], v.as_of)}


def technical_program_validations(v):
    return len(validations(v))


def msp_or_devops(v):
    return any(kind == "msp" or (kind == "competency" and name == "DevOps")
               for kind, name in validations(v))


def executive_business_review(v):
    ebr = v.partner["executive_business_review"]
    return ebr is not None and ebr["approved"] is not None and ebr["approved"] <= v.as_of


def direct_revenue(v):
    return Money(sum(r["amount"].cents for r in v.partner["direct_revenue"]
                     if in_window(r["month"], v.window)))


def product_listing(v):
    return any(p["ga"] is not None and p["ga"] <= v.as_of for p in v.partner["products"])


def technical_baseline_review(v):
    return any(d["kind"] == "technical_baseline_review" and active_on(d["awarded"], d["expires"], v.as_of)
               for d in v.partner["designations"])


# --- Customer success

def public_references(v):
    names = set()
    for o in v.partner["opportunities"]:
        ref = o["public_reference"]
        if o["status"] == "launched" and o["customer"] and ref is not None \
                and in_window(ref["designated"], v.window):
            names.add(o["customer"])
    for r in v.partner["public_references"]:
        if r["source"] == "tool" and in_window(r["approved"], v.window):
            names.add(r["customer"])
        elif r["source"] == "legacy" and v.program["legacy"] and in_window(r["submitted"], v.window):
            names.add(r["customer"])
    return len(names)


def csat_responses(v):
    return sum(1 for r in v.partner["csat_responses"]
               if r["email_confirmed"] and r["aws_customer"] and in_window(r["date"], v.window))


# --- Fee

def membership_year_start(renewal_date, as_of):
    if as_of < renewal_date:
        return add_months(renewal_date, -12)
    k = 0
    while add_months(renewal_date, 12 * (k + 1)) <= as_of:
        k += 1
    return add_months(renewal_date, 12 * k)


def fee_paid(v):
    start = membership_year_start(v.partner["renewal_date"], v.as_of)
    return Money(sum(f["amount"].cents for f in v.partner["fee_payments"] if start <= f["date"] <= v.as_of))


def fee_in_grace(v):
    start = membership_year_start(v.partner["renewal_date"], v.as_of)
    return v.as_of <= start + dt.timedelta(days=FEE_GRACE_DAYS)


# ----------------------------------------------------------------------------
# Programs as data: a requirement is a dict; `required` maps tier -> threshold
# (a tier absent from it does not have the requirement).

def req(id_, name, unit, measure, required, time_bound=False, parts=(), kind="threshold"):
    return {"id": id_, "name": name, "unit": unit, "measure": measure, "required": required,
            "time_bound": time_bound, "parts": list(parts), "kind": kind}


def per_tier(tiers, values, convert=lambda x: x):
    return {t: convert(x) for t, x in zip(tiers, values) if x is not None}


def consulting_requirements(tiers, public_refs, csat):
    s = lambda *xs: per_tier(tiers, xs)  # noqa: E731
    usd = lambda *xs: per_tier(tiers, xs, dollars)  # noqa: E731
    return [
        ("Fee", req("program_fee", "Annual APN Program Fee", "usd", fee_paid, usd(2500, 2500, 2500), kind="fee")),
        ("Knowledge", req("accredited_professionals", "AWS Accredited Professionals", "count",
                          lambda v: accredited(v, ("technical", "business")), s(4, 8, 20), parts=[
                              req("technical", "Technical", "count", lambda v: accredited(v, ("technical",)), s(2, 4, 10)),
                              req("business", "Business", "count", lambda v: accredited(v, ("business",)), s(2, 4, 10))])),
        ("Knowledge", req("foundational_certified", "AWS Foundational Certified Individuals", "count",
                          foundational_certified, s(2, 4, 10))),
        ("Knowledge", req("technical_certified", "AWS Technical Certified Individuals", "count",
                          technical_certified, s(2, 6, 25), parts=[
                              req("professional_or_specialty", "Professional or Specialty", "count",
                                  professional_or_specialty, s(None, 3, 10))])),
        ("Experience", req("launched_opportunities", "Launched Opportunities", "count", launched_opportunities,
                           s(3, 20, 50), time_bound=True, parts=[
                               req("mrr", "Monthly Recurring Revenue Minimum", "usd", launched_mrr,
                                   usd(1500, 10000, 50000), time_bound=True)])),
        ("Experience", req("business_plan", "Partner Business Plan", "bool", business_plan,
                           s(None, True, True), time_bound=True)),
        ("Experience", req("technical_program_validations", "Technical Program Validations", "count",
                           technical_program_validations, s(None, None, 3), parts=[
                               req("msp_or_devops", "Must include MSP or DevOps Competency", "bool",
                                   msp_or_devops, s(None, None, True))])),
        ("Experience", req("sustained_premier", "Sustained Attainment of Premier Tier Criteria", "months",
                           None, s(None, None, 6), kind="sustained")),
        ("Experience", req("executive_business_review", "Executive Business Review", "bool",
                           executive_business_review, s(None, None, True), kind="premier_application")),
        ("Customer Success", req("public_references", "Publicly Referenceable Customers", "count",
                                 public_references, s(*public_refs), time_bound=True)),
        ("Customer Success", req("csat_responses", "Customer Satisfaction Responses", "count",
                                 csat_responses, s(*csat), time_bound=True)),
    ]


def technology_requirements():
    tiers = ["Select", "Advanced"]
    s = lambda *xs: per_tier(tiers, xs)  # noqa: E731
    usd = lambda *xs: per_tier(tiers, xs, dollars)  # noqa: E731
    return [
        ("Fee", req("program_fee", "Annual APN Program Fee", "usd", fee_paid, usd(2500, 2500), kind="fee")),
        ("Knowledge", req("technical_certified", "AWS Technical Certified Individuals", "count",
                          technical_certified, s(1, 4), parts=[
                              req("professional_or_specialty", "Professional or Specialty", "count",
                                  professional_or_specialty, s(None, 2))])),
        ("Experience", req("experience", "Direct Revenue or Launched Opportunities", "choice", None,
                           s(None, None), time_bound=True, kind="choice", parts=[
                               req("direct_revenue", "Direct Revenue", "usd", direct_revenue,
                                   usd(15000, 350000), time_bound=True),
                               req("launched_opportunities", "Launched Opportunities", "count",
                                   launched_opportunities, s(3, 20), time_bound=True, parts=[
                                       req("mrr", "Monthly Recurring Revenue Minimum", "usd", launched_mrr,
                                           usd(1500, 10000), time_bound=True)])])),
        ("Experience", req("product_listing", "Product Listing", "bool", product_listing, s(True, True))),
        ("Experience", req("business_plan", "Partner Business Plan", "bool", business_plan,
                           s(None, True), time_bound=True)),
        ("Experience", req("technical_baseline_review", "Technical Program Validations", "bool",
                           technical_baseline_review, s(None, True))),
        ("Customer Success", req("public_references", "Publicly Referenceable Customers", "count",
                                 public_references, s(1, 2), time_bound=True)),
        ("Customer Success", req("csat_responses", "Customer Satisfaction Responses", "count",
                                 csat_responses, s(5, 20), time_bound=True)),
    ]


def choice_tiers(requirements):
    """The choice requirement exists at every tier where one of its parts does."""
    for _, r in requirements:
        if r["kind"] == "choice":
            r["required"] = {t: None for p in r["parts"] for t in p["required"]}
    return requirements


CONSULTING_TIERS = ["Select", "Advanced", "Premier"]
PROGRAMS = [
    {"id": "apn-2019-consulting", "title": "APN Consulting Partners (2019)", "version": "1.2",
     "path": "consulting", "tiers": CONSULTING_TIERS, "legacy": True, "transition": True,
     "requirements": consulting_requirements(CONSULTING_TIERS, (1, 2, 6), (5, 20, 30))},
    {"id": "apn-2019-technology", "title": "APN Technology Partners (2019)", "version": "1.2",
     "path": "technology", "tiers": ["Select", "Advanced"], "legacy": True, "transition": True,
     "requirements": choice_tiers(technology_requirements())},
    {"id": "apn-2022-services", "title": "Services Path (2022)", "version": "1.0",
     "path": "consulting", "tiers": CONSULTING_TIERS, "legacy": False, "transition": False,
     "requirements": consulting_requirements(CONSULTING_TIERS, (None, 2, 6), (None, 20, 30))},
]
SERVICE_DELIVERY = {"id": "service-delivery", "title": "AWS Service Delivery Program", "version": "3.0"}
PROGRAM_IDS = [p["id"] for p in PROGRAMS] + [SERVICE_DELIVERY["id"]]


# ----------------------------------------------------------------------------
# Statuses of a tiered program's requirements

def evaluate(r, tier, v, category):
    """The result node of requirement r at tier in view v."""
    required = r["required"][tier]
    if r["kind"] in ("sustained", "premier_application") and v.partner["tier"] == "Premier":
        return node(r, category, "not_applicable", None, required, [])
    part_nodes = [evaluate(p, tier, v, category) for p in r["parts"] if tier in p["required"]]
    parts_met = [n["status"] == "met" for n in part_nodes]
    if r["kind"] == "choice":
        return status_node(r, category, v, None, None, any(parts_met), part_nodes)
    actual = sustained_months(v) if r["kind"] == "sustained" else r["measure"](v)
    met = (actual is True) if r["unit"] == "bool" else actual >= required
    met = met and all(parts_met)
    if r["kind"] == "fee" and not met and fee_in_grace(v):
        return node(r, category, "grace", actual, required, part_nodes)
    return status_node(r, category, v, actual, required, met, part_nodes)


def status_node(r, category, v, actual, required, met, part_nodes):
    if met:
        status = "met"
    elif v.review_date is not None and r["time_bound"] and v.as_of < v.review_date:
        status = "at_risk"
    else:
        status = "not_met"
    return node(r, category, status, actual, required, part_nodes)


def node(r, category, status, actual, required, parts):
    return {"id": r["id"], "name": r["name"], "category": category, "time_bound": r["time_bound"],
            "status": status, "actual": actual, "required": required, "unit": r["unit"], "parts": parts}


def tier_requirements(v, tier):
    """(requirement nodes, satisfied) of one tier in one view."""
    nodes, satisfied = [], True
    for category, r in v.program["requirements"]:
        if tier not in r["required"]:
            continue
        n = evaluate(r, tier, v, category)
        nodes.append(n)
        satisfied = satisfied and n["status"] in ("met", "grace", "not_applicable")
    return nodes, satisfied


SUSTAINED_EXCLUDED = ("program_fee", "sustained_premier", "executive_business_review")


def sustained_months(v):
    """Consecutive monthly checkpoints A - k months, k = 0..5, at which every
    other Premier requirement is met in the rolling view of the checkpoint."""
    months = 0
    for k in range(6):
        checkpoint = rolling_view(v.partner, v.program, add_months(v.as_of, -k))
        if not all(evaluate(r, "Premier", checkpoint, c)["status"] == "met"
                   for c, r in v.program["requirements"]
                   if "Premier" in r["required"] and r["id"] not in SUSTAINED_EXCLUDED):
            break
        months += 1
    return months


def review_date(partner, program):
    renewal = partner["renewal_date"]
    if program["transition"] and TRANSITION_FIRST <= renewal <= TRANSITION_REVIEW:
        return TRANSITION_REVIEW
    return renewal


def tier_rank(tier):
    return TIER_ORDER.index(tier) if tier is not None else -1


def renewal_status(nodes):
    statuses = [n["status"] for n in nodes]
    if "not_met" in statuses:
        return "not_met"
    if "at_risk" in statuses:
        return "at_risk"
    return "met"


def tiered_result(partner, program, as_of):
    rolling = rolling_view(partner, program, as_of)
    matrix, eligible = [], None
    still_eligible = True
    for tier in program["tiers"]:
        nodes, satisfied = tier_requirements(rolling, tier)
        matrix.append({"tier": tier, "satisfied": satisfied, "requirements": nodes})
        still_eligible = still_eligible and satisfied
        if still_eligible:
            eligible = tier
    current = partner["tier"]
    result = header(partner, program, as_of)
    result["current_tier"] = current
    result["eligible_tier"] = eligible
    result["renewal"] = renewal_section(partner, program, as_of, current)
    result["upgrade"] = upgrade_section(program, current, eligible, matrix)
    result["tiers"] = matrix
    return result


def renewal_section(partner, program, as_of, current):
    held = [t for t in program["tiers"] if tier_rank(t) <= tier_rank(current)]
    if current == "Registered" or not held:
        return None
    tier, review = held[-1], review_date(partner, program)
    view = View(partner, program, as_of, (add_months(partner["renewal_date"], -12), as_of), review)
    nodes, _ = tier_requirements(view, tier)
    return {"tier": tier, "review_date": review.isoformat(), "status": renewal_status(nodes),
            "requirements": nodes}


def upgrade_section(program, current, eligible, matrix):
    above = [row for row in matrix if tier_rank(row["tier"]) > tier_rank(current)]
    if not above or tier_rank(current) >= tier_rank(program["tiers"][-1]):
        return None
    target = above[0]
    return {"tier": target["tier"], "eligible": tier_rank(eligible) >= tier_rank(target["tier"]),
            "requirements": target["requirements"]}


def header(partner, program, as_of):
    return {"partner": {"id": partner["id"], "name": partner["name"]},
            "program": {"id": program["id"], "title": program["title"], "version": program["version"]},
            "as_of": as_of.isoformat()}


# ----------------------------------------------------------------------------
# service-delivery

PRACTICE_FIELDS = ("title", "selling_proposition", "description", "microsite_url", "customer_success_page")
CASE_STUDY_STRINGS = ("title", "customer", "aws_account_id", "use_case", "solution", "metrics",
                      "lessons_learned", "architecture_diagram", "focal_service")
ACCOUNT_ID_RE = re.compile(r"^[0-9]{12}$")


def sd_node(id_, name, category, status, actual, required, unit, time_bound=False):
    return {"id": id_, "name": name, "category": category, "time_bound": time_bound, "status": status,
            "actual": actual, "required": required, "unit": unit, "parts": []}


def bool_node(id_, name, category, met, time_bound=False):
    return sd_node(id_, name, category, "met" if met else "not_met", met, True, "bool", time_bound)


def count_node(id_, name, category, actual, required):
    return sd_node(id_, name, category, "met" if actual >= required else "not_met", actual, required, "count")


def case_study_counts(study, app):
    return all(study[f] not in (None, "") for f in CASE_STUDY_STRINGS) and study["public"] is not None \
        and bool(study["services"]) and ACCOUNT_ID_RE.match(study["aws_account_id"]) is not None \
        and study["start"] is not None and study["end"] is not None \
        and study["start"] <= study["end"] <= app["submitted"] \
        and study["focal_service"] == app["designation"]


def business_days_after(start, end):
    """Mon-Fri days d with start < d <= end."""
    days, d = 0, start + dt.timedelta(days=1)
    while d <= end:
        if d.weekday() < 5:
            days += 1
        d += dt.timedelta(days=1)
    return days


def remediation_node(review, as_of):
    name, category = "Remediation of action items", "Review"
    if review is None or review["summary_sent"] is None:
        return sd_node("remediation", name, category, "not_applicable", None, True, "bool")
    if (review["open_action_items"] or 0) == 0 or review["action_plan"] is True:
        return sd_node("remediation", name, category, "met", True, True, "bool")
    late = business_days_after(review["summary_sent"], as_of) > REMEDIATION_BUSINESS_DAYS
    return sd_node("remediation", name, category, "not_met" if late else "at_risk", False, True, "bool")


def validation_renewal_node(review, as_of):
    name, category = "Annual technical validation", "Renewal"
    if review is None or review["decision"] != "awarded":
        return sd_node("renewal", name, category, "not_applicable", None, True, "bool", time_bound=True)
    last = review["last_validation"] if review["last_validation"] is not None else review["decided"]
    return bool_node("renewal", name, category, in_window(last, (add_months(as_of, -12), as_of)), True)


def application_result(partner, app, checklist, as_of):
    answers = app["self_assessment"] or {}
    practice = app["practice"] or {}
    nodes = [
        bool_node("consulting_select", "APN Consulting Partner, Select tier or higher", "Prerequisites",
                  partner["path"] == "consulting" and tier_rank(partner["tier"]) >= tier_rank("Select")),
        count_node("self_assessment", "Self-assessment", "Application",
                   sum(1 for item in checklist if answers.get(item) == "Y"), len(checklist)),
        bool_node("practice", "Consulting practice and microsite", "Application",
                  all(practice.get(f) not in (None, "") for f in PRACTICE_FIELDS)),
        count_node("case_studies", "Two customer case studies", "Application",
                   sum(1 for s in app["case_studies"] if case_study_counts(s, app)), 2),
        remediation_node(app["review"], as_of),
        validation_renewal_node(app["review"], as_of),
    ]
    ready = all(n["status"] in ("met", "not_applicable") for n in nodes)
    return {"designation": app["designation"], "status": "ready" if ready else "not_ready", "requirements": nodes}


def holds_service_delivery(partner, as_of):
    return any(d["kind"] == "service_delivery" and active_on(d["awarded"], d["expires"], as_of)
               for d in partner["designations"])


def event_action(partner, event, as_of):
    partner_holds = holds_service_delivery(partner, as_of)
    if event["kind"] == "divests":
        return "disclose" if event["material"] and partner_holds else "none"
    counterparty_holds = event["counterparty_service_delivery"]
    if event["kind"] == "acquires":
        acquirer, acquired = partner_holds, counterparty_holds
    else:
        acquirer, acquired = counterparty_holds, partner_holds
    return "new_application" if acquired and not acquirer else "none"


def service_delivery_result(partner, as_of, checklists):
    for i, app in enumerate(partner["service_delivery_applications"]):
        if app["designation"] not in checklists:
            raise DataError(f"service_delivery_applications[{i}].designation",
                            f"no validation checklist for designation \"{app['designation']}\"")
    result = header(partner, SERVICE_DELIVERY, as_of)
    result["applications"] = [application_result(partner, app, checklists[app["designation"]], as_of)
                              for app in partner["service_delivery_applications"]]
    result["corporate_events"] = [
        {"kind": e["kind"], "counterparty": e["counterparty"], "date": e["date"].isoformat(),
         "action": event_action(partner, e, as_of)} for e in partner["corporate_events"]]
    return result


# ----------------------------------------------------------------------------
# Driver

def applicable_programs(partner, selected):
    ids = [p["id"] for p in PROGRAMS if p["path"] == partner["path"]]
    if partner["service_delivery_applications"] or partner["corporate_events"]:
        ids.append(SERVICE_DELIVERY["id"])
    return [i for i in ids if not selected or i in selected]


def evaluate_partner(partner, as_of, selected, checklists, report):
    """Returns the result objects of one partner; reports the SD error if any."""
    results = []
    for program_id in applicable_programs(partner, selected):
        if program_id == SERVICE_DELIVERY["id"]:
            try:
                results.append(service_delivery_result(partner, as_of, checklists))
            except DataError as e:
                report(e)
        else:
            program = next(p for p in PROGRAMS if p["id"] == program_id)
            results.append(tiered_result(partner, program, as_of))
    return results


def run(files, as_of, selected, checklists, out, err):
    seen_ids, failed = set(), False
    for filename in files:
        try:
            records = list(read_records(filename))
        except (OSError, UnicodeDecodeError) as e:
            err.write(f"{filename}: error: {e}\n")
            failed = True
            continue
        for line, raw, parse_error in records:
            def report(e, line=line):
                where = f" partner {raw.get('id')}:" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
                err.write(f"{filename}:{line}: error:{where} {e}\n")
            if parse_error is not None:
                err.write(f"{filename}:{line}: error: {parse_error}\n")
                failed = True
                continue
            try:
                partner = load_partner(raw)
                if partner["id"] in seen_ids:
                    raise DataError("id", f"duplicate partner id \"{partner['id']}\" in the batch")
            except DataError as e:
                report(e)
                failed = True
                continue
            seen_ids.add(partner["id"])
            errors = []
            try:
                results = evaluate_partner(partner, as_of, selected, checklists, errors.append)
            except (OverflowError, ValueError) as e:
                # A valid date whose window reaches before year 1 or past
                # 9999 (renewal_date 0001-01-01): a data error of this
                # partner, not a reason to stop the batch.
                if "out of range" not in str(e):
                    raise
                report(DataError("", f"date out of range in date arithmetic ({e})"))
                failed = True
                continue
            for result in results:
                out.write(to_json(result) + "\n")
            for e in errors:
                report(e)
                failed = True
    return 1 if failed else 0


def load_checklists(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Reference evaluation of the Rubric standard programs.")
    ap.add_argument("--as-of", required=True, help="evaluation date YYYY-MM-DD")
    ap.add_argument("-p", "--program", action="append", default=[], help="program id (repeatable)")
    ap.add_argument("--checklists", default=DEFAULT_CHECKLISTS,
                    help="JSON object: designation -> list of validation checklist item ids")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args(argv)
    try:
        args.as_of = parse_date(args.as_of, "--as-of")
    except DataError as e:
        ap.error(str(e))
    unknown = [p for p in args.program if p not in PROGRAM_IDS]
    if unknown:
        ap.error(f"unknown program {unknown[0]} (known: {', '.join(PROGRAM_IDS)})")
    return args


def main(argv=None):
    args = parse_args(argv)
    checklists = load_checklists(args.checklists)
    return run(args.files, args.as_of, set(args.program), checklists, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
