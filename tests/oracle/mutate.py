#!/usr/bin/env python3
"""Mutation-based differential test: `rubric` against the oracle at the edges.

    mutate.py RUBRIC [--seed N] [--count N] [--as-of D ...] [--invalid P]
              [--out DIR] [--no-shrink] FILE...

Reads partner files (`.json`: one object or an array; `.jsonl`: one object a
line; records that do not parse are skipped), makes COUNT mutants of them and
compares `RUBRIC eval` with `oracle.py` on the mutants (see compare.py).

Each mutant is a copy of a random input partner, moved to one of the as-of
dates A (its dates shifted by whole years so that the data is current on A),
with one to three mutations aimed at the boundaries of spec/programs.md: dates
set to exactly A, A - 12 months (and one day either side), the renewal date
(and one day either side), month ends and Feb 29; money totals at a threshold
and one cent either side, written as numbers, strings or with exponents;
optional fields made null or absent; lists emptied or with an element
duplicated; statuses, origins, kinds, tiers and paths swapped (with the
`Standard` and `services` aliases); self-assessment answers changed; review
summaries sent around weekends. A fraction `--invalid` of the mutants also get
one schema violation (wrong type, impossible date, more than two decimals,
missing required field, unknown enumeration value): both implementations must
then reject the same records (same exit status, same results printed, errors
on the same lines).

The mutants are written as JSON Lines (one file per as-of date, into --out or a
temporary directory) and compared in one run per date. Every partner with a
difference is then shrunk on its own: list elements and fields are removed
while the same difference persists, and the minimized partner is printed with
its differences. Exit status 1 when any difference was found, 0 otherwise.
Deterministic for a given seed and input.
"""
import argparse
import copy
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # importing the oracle must not write into the source tree
sys.path.insert(0, HERE)
from compare import compare_run  # noqa: E402
from oracle import add_months  # noqa: E402

DEFAULT_AS_OF = ["2026-11-22", "2026-02-28", "2024-02-29", "2027-03-31", "2019-12-13", "2020-03-31"]
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
RAW = "\x00raw:"  # a string holding JSON text to be written as is (see raw())

# Keys holding dates, months and money in apn-partner/1, and the enumerations.
DATE_KEYS = {"renewal_date", "date", "registered", "left", "earned", "expires", "launched",
             "designated", "submitted", "approved", "signed_off", "reviewed", "awarded", "ga",
             "start", "end", "summary_sent", "responded", "decided", "last_validation"}
MONEY_KEYS = {"amount", "mrr"}
ENUMS = {
    "path": ["consulting", "technology", "services"],
    "tier": ["Registered", "Select", "Advanced", "Premier", "Standard"],
    "origin": ["partner", "aws", "legacy_revenue_tool"],
    "status": ["submitted", "approved", "launched", "closed_lost"],
    "level": ["foundational", "associate", "professional", "specialty"],
    "source": ["tool", "legacy"],
    "decision": ["awarded", "declined", None],
}
KIND_ENUMS = {
    "accreditations": ["technical", "business"],
    "designations": ["competency", "msp", "well_architected", "service_delivery",
                     "technical_baseline_review", "consulting_partner"],
    "corporate_events": ["acquires", "acquired_by", "divests"],
}
DESIGNATION_NAMES = ["DevOps", "devops", "Migration", "AWS Managed Service Provider", "Amazon RDS", "FTR"]
THRESHOLDS = {"fee_payments": [2500], "opportunities": [1500, 10000, 50000],
              "direct_revenue": [15000, 350000]}
COUNT_LISTS = {"csat_responses": [5, 20, 30], "individuals": [1, 2, 4, 6, 8, 10, 20, 25],
               "opportunities": [3, 20, 50], "public_references": [1, 2, 6], "designations": [3]}
TEMPLATE_APPLICATION = {
    "designation": "Amazon RDS", "submitted": "2026-09-01",
    "self_assessment": {"RDS-1": "Y", "RDS-2": "Y", "RDS-3": "Y"},
    "practice": {"title": "t", "selling_proposition": "s", "description": "d",
                 "microsite_url": "https://example.com/m", "customer_success_page": "https://example.com/c"},
    "case_studies": [{"title": "t", "customer": "c", "public": True, "aws_account_id": "123456789012",
                      "start": "2025-01-06", "end": "2025-06-30", "use_case": "u", "solution": "s",
                      "metrics": "m", "lessons_learned": "l", "architecture_diagram": "https://example.com/a",
                      "services": ["Amazon RDS"], "focal_service": "Amazon RDS"}] * 2,
    "review": {"summary_sent": "2026-09-20", "responded": "2026-09-24", "open_action_items": 1,
               "action_plan": False, "decision": None, "decided": None, "last_validation": None},
}


# ----------------------------------------------------------------------------
# Reading and writing partners

def read_partners(paths):
    partners = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if path.endswith((".jsonl", ".ndjson")):
            chunks = text.splitlines()
        else:
            chunks = [text]
        for chunk in chunks:
            try:
                value = json.loads(chunk)
            except ValueError:
                continue
            for item in value if isinstance(value, list) else [value]:
                # other JSON files (cases/index.json) are not partners
                if isinstance(item, dict) and "renewal_date" in item:
                    partners.append(item)
    return partners


def raw(json_text):
    """A value written into the mutant as this JSON text (`2.5e3`, `"\\u0041"`)."""
    return RAW + json_text.encode("utf-8").hex()


def dump(partner):
    """One JSON line, with the raw() values written as their JSON text."""
    text = json.dumps(partner, ensure_ascii=False)
    return re.sub(r'"\\u0000raw:([0-9a-f]*)"', lambda m: bytes.fromhex(m.group(1)).decode("utf-8"), text)


def write_jsonl(path, partners):
    with open(path, "w", encoding="utf-8") as f:
        for p in partners:
            f.write(dump(p) + "\n")


# ----------------------------------------------------------------------------
# Walking a partner

def slots(node, path=()):
    """Every (container, key, path) below node, depth first."""
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return
    for key, value in items:
        yield node, key, path + (key,)
        yield from slots(value, path + (key,))


def date_slots(partner):
    return [(c, k) for c, k, _ in slots(partner)
            if isinstance(k, str) and k in DATE_KEYS and isinstance(c[k], str) and DATE_RE.match(c[k])]


def lists_in(partner):
    return [(c, k) for c, k, _ in slots(partner) if isinstance(c[k], list) and c[k]]


def parse(text):
    return dt.date.fromisoformat(text)


def shift_years(partner, years):
    """Moves every date and month by whole years (Feb 29 clamped to Feb 28)."""
    for c, k, _ in list(slots(partner)):
        v = c[k]
        if isinstance(v, str) and DATE_RE.match(v):
            try:
                c[k] = add_months(parse(v), 12 * years).isoformat()
            except ValueError:
                pass
        elif isinstance(k, str) and k == "month" and isinstance(v, str) and MONTH_RE.match(v):
            c[k] = f"{int(v[:4]) + years:04d}{v[4:]}"


# ----------------------------------------------------------------------------
# Edge values

def edge_dates(rng, partner, as_of):
    """Dates on which some rule of the programs changes its answer."""
    out = [as_of, add_months(as_of, -12)]
    out += [add_months(as_of, -12) + dt.timedelta(days=d) for d in (-1, 1)]
    out += [as_of + dt.timedelta(days=d) for d in (-1, 1)]
    out += [add_months(as_of, -k) for k in range(1, 6)]
    try:
        renewal = parse(partner.get("renewal_date", ""))
        out += [renewal + dt.timedelta(days=d) for d in (-1, 0, 1)]
        out += [add_months(renewal, -12) + dt.timedelta(days=d) for d in (-1, 0, 1)]
        out += [add_months(renewal, -12) + dt.timedelta(days=d) for d in (89, 90, 91)]
    except (TypeError, ValueError, OverflowError):
        pass
    first = as_of.replace(day=1)
    out += [first - dt.timedelta(days=1), first]
    for year in range(as_of.year - 2, as_of.year + 1):
        if year % 4 == 0 and (year % 100 or year % 400 == 0):
            out.append(dt.date(year, 2, 29))
    out += [dt.date(2019, 4, 1), dt.date(2019, 12, 13), dt.date(2020, 3, 31)]
    return out


def money_text(rng, cents):
    """cents written as a number, a string, with trailing zero or an exponent."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    plain = f"{sign}{whole}" if frac == 0 else f"{sign}{whole}.{frac:02d}".rstrip("0")
    form = rng.randrange(5)
    if form == 0:
        return f"{sign}{whole}.{frac:02d}"                 # string with two decimals
    if form == 1:
        return raw(f"{sign}{whole}.{frac:02d}")         # number, trailing zero kept
    if form == 2 and frac == 0:
        return raw(f"{sign}{whole / 1000:g}e3" if whole % 10 == 0 else plain)
    if form == 3:
        return raw(f"{sign}{abs(cents)}e-2")            # whole number of cents via exponent
    return raw(plain)


# ----------------------------------------------------------------------------
# Valid mutations: each changes partner in place and says what it did

def list_field(p, key):
    """p[key] as a list to append to (an absent or null list becomes [])."""
    if not isinstance(p.get(key), list):
        p[key] = []
    return p[key]


def m_date_edge(rng, p, a):
    found = date_slots(p)
    if not found:
        return None
    c, k = rng.choice(found)
    c[k] = rng.choice(edge_dates(rng, p, a)).isoformat()
    return f"{k}={c[k]}"


def m_renewal(rng, p, a):
    choices = [a, a + dt.timedelta(days=1), a - dt.timedelta(days=1), add_months(a, 12),
               add_months(a, 12) + dt.timedelta(days=1), add_months(a, -12), add_months(a, 1),
               dt.date(2024, 2, 29), dt.date(a.year, 2, 28), dt.date(2019, 4, 1), dt.date(2019, 12, 13),
               dt.date(2019, 12, 14), dt.date(2019, 3, 31), a.replace(day=1) - dt.timedelta(days=1)]
    p["renewal_date"] = rng.choice(choices).isoformat()
    return f"renewal_date={p['renewal_date']}"


def m_threshold(rng, p, a):
    """A money total at a threshold, or one cent either side."""
    field = rng.choice(list(THRESHOLDS))
    items = [x for x in p.get(field) or [] if isinstance(x, dict)]
    key = "mrr" if field == "opportunities" else "amount"
    if not items:
        if field == "fee_payments":
            p[field] = items = [{"date": a.isoformat(), "amount": 0}]
        else:
            return None
    total = rng.choice(THRESHOLDS[field]) * 100 + rng.choice((-1, 0, 1))
    share = rng.sample(items, rng.randint(1, min(3, len(items))))
    for item in items:
        if item not in share and key in item:
            item[key] = 0
    for i, item in enumerate(share):
        part = total // len(share) + (total % len(share) if i == 0 else 0)
        item[key] = money_text(rng, part)
    return f"{field} total {total / 100:.2f} over {len(share)}"


def m_null_optional(rng, p, a):
    optional = {"left", "registered", "expires", "launched", "mrr", "customer", "public_reference",
                "approved", "business_plan", "signed_off", "reviewed", "executive_business_review",
                "ga", "format", "counterparty", "decision", "decided", "last_validation", "summary_sent",
                "open_action_items", "action_plan", "review", "practice", "self_assessment", "url",
                "source", "responded", "case_studies"}
    found = [(c, k) for c, k, _ in slots(p) if isinstance(k, str) and k in optional]
    if not found:
        return None
    c, k = rng.choice(found)
    if rng.random() < 0.5:
        c[k] = None
        return f"{k}=null"
    del c[k]
    return f"{k} absent"


def m_empty_list(rng, p, a):
    found = lists_in(p)
    if not found:
        return None
    c, k = rng.choice(found)
    how = rng.randrange(3)
    if how == 0:
        c[k] = []
    elif how == 1 and isinstance(k, str):
        c[k] = None
    elif isinstance(c, dict):
        del c[k]
    else:
        c[k] = []
    return f"{k} emptied"


def m_duplicate(rng, p, a):
    found = [(c, k) for c, k in lists_in(p) if k != "individuals" or rng.random() < 0.5]
    if not found:
        return None
    c, k = rng.choice(found)
    item = rng.choice(c[k])
    c[k].insert(rng.randrange(len(c[k]) + 1), copy.deepcopy(item))
    return f"{k} duplicate"


def m_count(rng, p, a):
    """A counted list cut to a threshold or one below."""
    field = rng.choice(list(COUNT_LISTS))
    items = p.get(field)
    if not isinstance(items, list) or not items:
        return None
    n = rng.choice(COUNT_LISTS[field]) + rng.choice((-1, 0))
    while 0 < len(items) < n:
        items.append(copy.deepcopy(rng.choice(items)))
    del items[max(n, 0):]
    return f"{field} x{len(items)}"


def m_enum(rng, p, a):
    found = [(c, k, ENUMS[k]) for c, k, _ in slots(p) if isinstance(k, str) and k in ENUMS]
    for c, k, path in slots(p):
        if k == "kind" and len(path) >= 3 and path[-3] in KIND_ENUMS:
            found.append((c, k, KIND_ENUMS[path[-3]]))
        if k == "name" and len(path) >= 3 and path[-3] == "designations":
            found.append((c, k, DESIGNATION_NAMES))
    if not found:
        return None
    c, k, values = rng.choice(found)
    c[k] = rng.choice(values)
    if k == "kind" and c[k] == "divests":
        c.setdefault("material", rng.random() < 0.5)
    if k == "kind" and c[k] in ("acquires", "acquired_by"):
        c.setdefault("counterparty_service_delivery", rng.random() < 0.5)
    return f"{k}={c[k]}"


def m_legacy(rng, p, a):
    """A legacy revenue tool entry or legacy reference around the 2020-03-31 cut-off."""
    when = rng.choice(edge_dates(rng, p, a)).isoformat()
    if rng.random() < 0.5:
        list_field(p, "opportunities").append({"id": "O-L", "customer": rng.choice(["Acme Corp", None, ""]),
                                   "origin": "legacy_revenue_tool", "status": rng.choice(["launched", "approved"]),
                                   "launched": when, "mrr": money_text(rng, 150000)})
        return f"legacy revenue {when}"
    list_field(p, "public_references").append({"customer": rng.choice(["Acme Corp", "Zeta"]), "source": "legacy",
                                   "submitted": when, "approved": None})
    return f"legacy reference {when}"


def application_of(rng, p, a):
    apps = p.get("service_delivery_applications")
    if not isinstance(apps, list) or not apps:
        p["service_delivery_applications"] = apps = [copy.deepcopy(TEMPLATE_APPLICATION)]
    return rng.choice([x for x in apps if isinstance(x, dict)] or [apps[0]])


def review_of(app):
    """The application's review object, made an empty one when absent or null."""
    if not isinstance(app.get("review"), dict):
        app["review"] = {}
    return app["review"]


def m_self_assessment(rng, p, a):
    app = application_of(rng, p, a)
    items = {"Amazon RDS": ["RDS-1", "RDS-2", "RDS-3"], "Amazon EC2": ["EC2-1", "EC2-2", "EC2-3"]}
    app["designation"] = rng.choice(list(items))
    answers = {item: rng.choice("YYYN") for item in items[app["designation"]] if rng.random() < 0.9}
    if rng.random() < 0.3:
        answers["EXTRA-1"] = "N"
    app["self_assessment"] = answers
    return f"self_assessment {answers}"


def m_business_days(rng, p, a):
    """A review summary sent 3 to 9 days before A, so that weekends fall in between."""
    review = review_of(application_of(rng, p, a))
    review["summary_sent"] = (a - dt.timedelta(days=rng.randint(-1, 9))).isoformat()
    review["open_action_items"] = rng.choice([0, 1, 3])
    review["action_plan"] = rng.random() < 0.2
    return f"summary_sent={review['summary_sent']} ({parse(review['summary_sent']).strftime('%a')})"


def m_validation(rng, p, a):
    review = review_of(application_of(rng, p, a))
    review["decision"] = rng.choice(["awarded", "awarded", "declined", None])
    dates = [None] + edge_dates(rng, p, a)
    review["decided"] = (lambda d: d and d.isoformat())(rng.choice(dates))
    review["last_validation"] = (lambda d: d and d.isoformat())(rng.choice(dates))
    return f"validation {review['decision']} {review['decided']} {review['last_validation']}"


def m_event(rng, p, a):
    kind = rng.choice(KIND_ENUMS["corporate_events"])
    event = {"kind": kind, "date": rng.choice(edge_dates(rng, p, a)).isoformat()}
    if rng.random() < 0.7:
        event["counterparty"] = "Initech"
    if kind == "divests":
        event["material"] = rng.random() < 0.6
    else:
        event["counterparty_service_delivery"] = rng.random() < 0.5
    list_field(p, "corporate_events").append(event)
    if rng.random() < 0.5:
        list_field(p, "designations").append({"kind": "service_delivery", "name": "Amazon RDS",
                                  "awarded": rng.choice(edge_dates(rng, p, a)).isoformat(),
                                  "expires": rng.choice([None, a.isoformat(), (a + dt.timedelta(days=1)).isoformat()])})
    return f"event {kind}"


def m_month_edge(rng, p, a):
    """Direct revenue in the months whose first day is at a window edge."""
    months = [a, add_months(a, -12), add_months(a, -11), add_months(a, 1), add_months(a, -13)]
    month = rng.choice(months).strftime("%Y-%m")
    list_field(p, "direct_revenue").append({"month": month, "amount": money_text(rng, rng.choice([1500000, 35000000, 1]))})
    return f"direct_revenue {month}"


EXOTIC_MONEY = ["-0", "-0.00", "007.50", "0", raw("-0"), raw("-0.0"), raw("1E3"), raw("2.5E+3"),
                raw("250000e-2"), raw("0.1e1"), raw("1e-2"), raw("0.25e4"), raw("2500.10"), raw("25e2")]


def m_exotic_money(rng, p, a):
    """A valid but unusual way of writing an amount."""
    found = [(c, k) for c, k, _ in slots(p) if isinstance(k, str) and k in MONEY_KEYS]
    if not found:
        return None
    c, k = rng.choice(found)
    c[k] = rng.choice(EXOTIC_MONEY)
    return f"{k}={c[k]!r}"


# names that are equal, or differ only in ways that exact comparison must see
CUSTOMER_NAMES = ["Acme Corp", raw('"\\u0041cme Corp"'), "acme corp", "Acme Corp ", "Café", "Cafe\u0301", ""]


def m_customer(rng, p, a):
    found = [(c, k) for c, k, _ in slots(p) if k == "customer"]
    if not found:
        return None
    c, k = rng.choice(found)
    c[k] = rng.choice(CUSTOMER_NAMES)
    return f"customer={c[k]!r}"


def m_case_study(rng, p, a):
    app = application_of(rng, p, a)
    studies = app.get("case_studies")
    if not isinstance(studies, list) or not studies:
        app["case_studies"] = studies = copy.deepcopy(TEMPLATE_APPLICATION["case_studies"])
    study = rng.choice(studies)
    if not isinstance(study, dict):
        return None
    submitted = app.get("submitted") if isinstance(app.get("submitted"), str) else a.isoformat()
    change = rng.choice([
        ("aws_account_id", rng.choice(["12345678901", "1234567890123", "12345678901a", "\uff11" * 12,
                                       "000000000000", " 23456789012"])),
        ("end", submitted), ("end", rng.choice(edge_dates(rng, p, a)).isoformat()),
        ("start", study.get("end")), ("focal_service", rng.choice(["Amazon EC2", "amazon rds", ""])),
        ("services", []), ("public", False), ("public", None), ("title", ""), ("title", " "),
        ("metrics", None)])
    study[change[0]] = change[1]
    if change[1] is None:
        del study[change[0]]
    return f"case study {change[0]}={change[1]!r}"


def m_practice(rng, p, a):
    app = application_of(rng, p, a)
    practice = app.get("practice") if isinstance(app.get("practice"), dict) else {}
    app["practice"] = practice
    key = rng.choice(["title", "selling_proposition", "description", "microsite_url", "customer_success_page"])
    value = rng.choice(["", " ", None, "x"])
    practice[key] = value
    if value is None and rng.random() < 0.5:
        del practice[key]
    return f"practice {key}={value!r}"


VALID_MUTATIONS = [m_date_edge, m_date_edge, m_date_edge, m_renewal, m_threshold, m_threshold,
                   m_null_optional, m_empty_list, m_duplicate, m_count, m_count, m_enum, m_enum,
                   m_legacy, m_self_assessment, m_business_days, m_validation, m_event, m_month_edge, m_exotic_money,
                   m_customer, m_case_study, m_practice]


# ----------------------------------------------------------------------------
# Invalid mutations: one schema violation

BAD_DATES = ["2023-02-29", "2026-11-22T00:00:00", "2026-11-22 ", "+2026-11-22", "2026-06-31", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-05", "20260105", "2100-02-29"]
BAD_MONEY = ["1.234", raw("10.500"), "1e3", raw("1.005e2"), True, "+5", " 5", "5.", ".5", "NaN", [], None,
             raw("1e20"), "99999999999999999999", raw("1.2345e1"), raw("2500.0000"), raw("1e400"),
             raw("12345678901234567890123"), "0x10", "\uff12\uff15", "2,500", "$2500", {"amount": 1}]
REQUIRED = ["id", "name", "path", "tier", "renewal_date"]


def i_bad_date(rng, p, a):
    found = date_slots(p)
    if not found:
        return None
    c, k = rng.choice(found)
    c[k] = rng.choice(BAD_DATES + [20260105, True])
    return f"bad date {k}={c[k]!r}"


def i_bad_money(rng, p, a):
    found = [(c, k) for c, k, _ in slots(p) if isinstance(k, str) and k in MONEY_KEYS]
    if not found:
        return None
    c, k = rng.choice(found)
    c[k] = rng.choice(BAD_MONEY)
    return f"bad money {k}={c[k]!r}"


def i_wrong_type(rng, p, a):
    found = [(c, k) for c, k, _ in slots(p) if isinstance(k, str) and k not in ("id",)]
    if not found:
        return None
    c, k = rng.choice(found)
    value = c[k]
    if isinstance(value, bool):
        c[k] = rng.choice(["true", 1, None])
    elif isinstance(value, (int, float)):
        c[k] = rng.choice([str(value), True, raw("1.5")])
    elif isinstance(value, str):
        c[k] = rng.choice([7, False, [value], {"v": value}])
    elif isinstance(value, list):
        c[k] = rng.choice([{}, "x", [1], [None]])
    elif isinstance(value, dict):
        c[k] = rng.choice([[], "x", 1])
    else:
        return None
    return f"wrong type {k}={c[k]!r}"


def i_missing_required(rng, p, a):
    k = rng.choice(REQUIRED)
    if rng.random() < 0.5:
        p.pop(k, None)
        return f"{k} absent"
    p[k] = None
    return f"{k}=null"


def i_bad_enum(rng, p, a):
    choices = [("path", "Consulting"), ("tier", "Gold"), ("format", "apn-partner/2")]
    for c, k, path in slots(p):
        if k in ("origin", "status", "level", "source", "decision"):
            choices.append((c, k))
        if k == "kind" and len(path) >= 3 and path[-3] in ("accreditations", "corporate_events"):
            choices.append((c, k))
        if k == "self_assessment" and isinstance(c[k], dict) and c[k]:
            choices.append((c[k], rng.choice(list(c[k]))))
    pick = rng.choice(choices)
    if isinstance(pick[0], str):
        p[pick[0]] = pick[1]
        return f"{pick[0]}={pick[1]}"
    c, k = pick
    c[k] = rng.choice(["bogus", "y", "Launched", ""])
    return f"bad enum {k}={c[k]}"


def i_bad_integer(rng, p, a):
    review = review_of(application_of(rng, p, a))
    review["open_action_items"] = rng.choice([raw("1.0"), raw("1e0"), "1", True])
    return f"open_action_items={review['open_action_items']!r}"


INVALID_MUTATIONS = [i_bad_date, i_bad_date, i_bad_money, i_bad_money, i_wrong_type, i_missing_required,
                     i_bad_enum, i_bad_integer]


def make_mutant(rng, base, as_of, number, invalid_rate):
    p = copy.deepcopy(base)
    shift_years(p, as_of.year - 2026)
    notes = []
    for _ in range(rng.randint(1, 3)):
        note = rng.choice(VALID_MUTATIONS)(rng, p, as_of)
        if note:
            notes.append(note)
    if rng.random() < invalid_rate:
        note = rng.choice(INVALID_MUTATIONS)(rng, p, as_of)
        if note:
            notes.append("INVALID " + note)
    if "id" in p or rng.random() < 0.9:
        p["id"] = f"M{number:05d}-{p.get('id') if isinstance(p.get('id'), str) else 'x'}"
    return p, notes


# ----------------------------------------------------------------------------
# Running both implementations

ERROR_LINE = re.compile(r":(\d+)(?::\d+)?: error: (?:partner [^:]*: )?(?:\$\.)?([^: ]*)")


def error_lines(stderr):
    """{record line: field path} of the errors an implementation reported."""
    out = {}
    for line in stderr.splitlines():
        m = ERROR_LINE.search(line)
        if m:
            out.setdefault(int(m.group(1)), m.group(2))
    return out


def rejected(rubric, as_of, path):
    """Differences in which records the two implementations reject."""
    c = subprocess.run([rubric, "eval", "-f", "jsonl", "--as-of", as_of, path], capture_output=True, text=True)
    o = subprocess.run([sys.executable, os.path.join(HERE, "oracle.py"), "--as-of", as_of, path],
                       capture_output=True, text=True)
    c_err, o_err = error_lines(c.stderr), error_lines(o.stderr)
    diffs = [f"line {n}: rejected by rubric only ({c_err[n]})" for n in sorted(set(c_err) - set(o_err))]
    diffs += [f"line {n}: rejected by the oracle only ({o_err[n]})" for n in sorted(set(o_err) - set(c_err))]
    return diffs, c_err, o_err


def differences(rubric, as_of, partners, workdir, name):
    path = os.path.join(workdir, name)
    write_jsonl(path, partners)
    diffs = compare_run(rubric, as_of, [], [path], None)
    reject_diffs, c_err, o_err = rejected(rubric, as_of, path)
    return diffs + reject_diffs, c_err, o_err


def signature(diffs):
    """What a difference is about, without the values (kept while shrinking)."""
    out = set()
    for d in diffs:
        if d.startswith("line "):
            out.add(d.split(": ", 1)[1].split(" (")[0])
        elif d.startswith(("  ", "exit status")):
            continue
        else:
            words = d.split(" ")
            out.add(" ".join(words[1:3]).split(":")[0])
    return out


# ----------------------------------------------------------------------------
# Shrinking

def candidates(p):
    """Smaller versions of p: list halves, single elements, single keys removed."""
    for c, k, _ in list(slots(p)):
        v = c[k]
        if isinstance(v, list) and len(v) > 1:
            half = len(v) // 2
            yield lambda c=c, k=k, half=half: c.__setitem__(k, c[k][:half])
            yield lambda c=c, k=k, half=half: c.__setitem__(k, c[k][half:])
    for c, k, _ in reversed(list(slots(p))):
        if isinstance(c, list):
            yield lambda c=c, k=k: c.pop(k)
        elif k != "id":
            yield lambda c=c, k=k: c.pop(k)


def shrink(rubric, as_of, partner, wanted, workdir, budget=400):
    current = partner
    progress = True
    while progress and budget > 0:
        progress = False
        for index in range(10 ** 6):
            trial = copy.deepcopy(current)
            steps = list(candidates(trial))
            if index >= len(steps) or budget <= 0:
                break
            try:
                steps[index]()
            except (IndexError, KeyError):
                continue
            budget -= 1
            diffs, _, _ = differences(rubric, as_of, [trial], workdir, "shrink.jsonl")
            if signature(diffs) & wanted:
                current = trial
                progress = True
                break
    diffs, _, _ = differences(rubric, as_of, [current], workdir, "shrink.jsonl")
    return current, diffs


# ----------------------------------------------------------------------------

def partner_of(diff, ids):
    """The index of the mutant a difference line is about, None if unknown."""
    if diff.startswith("line "):
        return int(diff.split(":")[0].split()[1]) - 1
    return ids.get(diff.split(" ", 1)[0])


def run_round(args, rng, bases, as_of, workdir, first_number):
    a = parse(as_of)
    mutants, notes = [], []
    for i in range(args.count_per_date):
        p, what = make_mutant(rng, rng.choice(bases), a, first_number + i, args.invalid)
        mutants.append(p)
        notes.append(what)
    diffs, _, _ = differences(args.rubric, as_of, mutants, workdir, f"mutants-{as_of}.jsonl")
    ids = {m["id"]: i for i, m in enumerate(mutants) if isinstance(m.get("id"), str)}
    suspects, unattributed = {}, []
    for d in diffs:
        who = partner_of(d, ids)
        if who is None:
            unattributed.append(d)
        else:
            suspects.setdefault(who, []).append(d)
    if suspects:
        # the exit status follows from the attributed differences
        unattributed = [d for d in unattributed if not d.startswith(("exit status", "  "))]
    return mutants, notes, suspects, unattributed


def report(args, as_of, who, found, mutant, what, workdir):
    print(f"== {who} as of {as_of}: mutations {what}")
    for d in found[:12]:
        print(f"  {d}")
    if args.no_shrink:
        return
    alone, _, _ = differences(args.rubric, as_of, [mutant], workdir, "alone.jsonl")
    if not alone:
        print("  (no difference when evaluated alone)")
        return
    small, diffs = shrink(args.rubric, as_of, mutant, signature(alone), workdir)
    print("  minimized partner:")
    print("    " + dump(small))
    for d in diffs[:12]:
        print(f"    {d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rubric", help="path of the rubric binary")
    ap.add_argument("files", nargs="+", help="partner files (.json, .jsonl) to mutate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300, help="number of mutants (default 300)")
    ap.add_argument("--as-of", action="append", help="evaluation dates (default: a fixed set)")
    ap.add_argument("--invalid", type=float, default=0.1, help="fraction of invalid mutants (default 0.1)")
    ap.add_argument("--out", help="directory for the mutant files (default: a temporary one)")
    ap.add_argument("--no-shrink", action="store_true", help="do not minimize differing partners")
    ap.add_argument("--max-reports", type=int, default=20, help="shrink and print at most this many")
    args = ap.parse_intermixed_args()
    dates = args.as_of or DEFAULT_AS_OF
    args.count_per_date = max(1, args.count // len(dates))
    bases = read_partners(args.files)
    if not bases:
        ap.error("no partner objects in the input files")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        return run_all(args, bases, dates, args.out)
    with tempfile.TemporaryDirectory(prefix="rubric-mutants-") as workdir:
        return run_all(args, bases, dates, workdir)


def run_all(args, bases, dates, workdir):
    rng = random.Random(args.seed)
    total = differing = reported = 0
    for as_of in dates:
        mutants, notes, suspects, unattributed = run_round(args, rng, bases, as_of, workdir, total)
        total += len(mutants)
        differing += len(suspects) + (1 if unattributed else 0)
        for d in unattributed:
            print(f"== as of {as_of}: {d}")
        for index, found in suspects.items():
            if reported < args.max_reports:
                report(args, as_of, mutants[index].get("id"), found, mutants[index],
                       "; ".join(notes[index]), workdir)
                reported += 1
    print(f"{total} mutants at {len(dates)} dates, seed {args.seed}: "
          f"{differing} with differences")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
