#!/usr/bin/env python3
"""Writes the partner files of the standard programs' rule tests: partners
exactly at each tier's thresholds and one below them.  Only the data is
generated; what each test expects is written by hand in the *_test.rubric
files, from spec/programs.md.

Every dated item lies in 2026-01-10 .. 2026-06-15, inside every window the
tests use with as_of 2026-11-22 and renewal_date 2026-12-15: the rolling
window (2025-11-22, 2026-11-22], the renewal window (2025-12-15, 2026-11-22]
and the rolling windows of the sustained-Premier checkpoints down to
A - 5 months = 2026-06-22.

Run from this directory:  python3 generate.py
"""
import json

# Consulting thresholds (spec/programs.md, apn-2019-consulting).
CONSULTING = {
    "select": dict(tech_acc=2, bus_acc=2, foundational=2, tech_cert=2, prof=0,
                   launched=3, mrr=150000, refs=1, csat=5, plan=False),
    "advanced": dict(tech_acc=4, bus_acc=4, foundational=4, tech_cert=6, prof=3,
                     launched=20, mrr=1000000, refs=2, csat=20, plan=True),
    "premier": dict(tech_acc=10, bus_acc=10, foundational=10, tech_cert=25, prof=10,
                    launched=50, mrr=5000000, refs=6, csat=30, plan=True, validations=3, ebr=True),
}

# Technology thresholds (apn-2019-technology).
TECHNOLOGY = {
    "select": dict(tech_cert=1, prof=0, revenue=1500000, launched=3, mrr=150000,
                   refs=1, csat=5, plan=False, tbr=False),
    "advanced": dict(tech_cert=4, prof=2, revenue=35000000, launched=20, mrr=1000000,
                     refs=2, csat=20, plan=True, tbr=True),
}


def money(cents):
    return cents // 100 if cents % 100 == 0 else float("%d.%02d" % divmod(cents, 100))


def day(i):
    """A date in 2026-01-10 .. 2026-06-15 for item i."""
    month = 1 + i % 6
    return "2026-%02d-%02d" % (month, 10 if month < 6 else 10 + i % 5)


def person(pid, accreditation=None, level=None):
    p = {"id": pid, "registered": "2025-06-01", "left": None,
         "accreditations": [], "certifications": []}
    if accreditation:
        p["accreditations"].append({"kind": accreditation, "earned": "2026-01-05"})
    if level:
        p["certifications"].append({"name": level + " certification", "level": level,
                                    "earned": "2026-01-05", "expires": "2029-01-05"})
    return p


def people(n):
    out = []
    for kind, count in (("technical", n.get("tech_acc", 0)), ("business", n.get("bus_acc", 0))):
        out += [person("ACC-%s-%d" % (kind[0].upper(), i), accreditation=kind) for i in range(count)]
    out += [person("FND-%d" % i, level="foundational") for i in range(n.get("foundational", 0))]
    associates = n["tech_cert"] - n["prof"]
    out += [person("ASC-%d" % i, level="associate") for i in range(associates)]
    out += [person("PRO-%d" % i, level="professional" if i % 2 == 0 else "specialty")
            for i in range(n["prof"])]
    return out


def opportunities(count, mrr_cents):
    """count launched opportunities whose MRR sums to mrr_cents exactly."""
    if count == 0:
        return []
    each = mrr_cents // count
    amounts = [each] * (count - 1) + [mrr_cents - each * (count - 1)]
    return [{"id": "O-%d" % i, "customer": "Customer %d" % i, "origin": "partner",
             "status": "launched", "launched": day(i), "mrr": money(a)}
            for i, a in enumerate(amounts)]


def references(count):
    return [{"customer": "Reference %d" % i, "source": "tool", "submitted": day(i),
             "approved": day(i)} for i in range(count)]


def csat(count):
    return [{"date": day(i), "customer": "Customer %d" % (i % 3), "email_confirmed": True,
             "aws_customer": True} for i in range(count)]


def base(pid, name, path, tier):
    return {"format": "apn-partner/1", "id": pid, "name": name, "path": path, "tier": tier,
            "renewal_date": "2026-12-15",
            "fee_payments": [{"date": "2025-12-15", "amount": 2500}]}


def below(n):
    """One below every count and amount; requirements that are yes/no, no.
    Only the technical accreditations are one fewer, so that accredited
    professionals and its technical part are both one below; one fewer
    professional makes technical certified and its part both one below."""
    out = dict(n, below=True, plan=False, tbr=False, ebr=False)
    for key in ("tech_acc", "foundational", "tech_cert", "prof", "launched", "refs", "csat",
                "mrr", "revenue", "validations"):
        if key in n and n[key]:
            out[key] = n[key] - 1
    return out


def consulting(name, n, tier):
    p = base("P-C-" + name, "Consulting " + name, "consulting", tier)
    p["individuals"] = people(n)
    p["opportunities"] = opportunities(n["launched"], n["mrr"])
    p["public_references"] = references(n["refs"])
    p["csat_responses"] = csat(n["csat"])
    p["business_plan"] = ({"signed_off": "2026-02-01", "reviewed": "2026-02-01"} if n["plan"]
                          else {"signed_off": "2025-06-01", "reviewed": None})
    if "validations" in n:
        p["designations"] = [
            {"kind": kind, "name": name, "awarded": "2026-01-05", "expires": None}
            for kind, name in (("msp", "MSP"), ("competency", "DevOps"),
                               ("competency", "Migration"))][3 - n["validations"]:]
        p["executive_business_review"] = {"approved": "2026-03-01" if n["ebr"] else None}
    return p


def technology(name, n, tier):
    p = base("P-T-" + name, "Technology " + name, "technology", tier)
    p["individuals"] = people(n)
    p["opportunities"] = opportunities(n["launched"], n["mrr"])
    # Direct revenue in six months of the window, summing to the threshold.
    each = n["revenue"] // 6
    amounts = [each] * 5 + [n["revenue"] - each * 5]
    p["direct_revenue"] = [{"month": "2026-%02d" % (i + 1), "amount": money(a)}
                           for i, a in enumerate(amounts)]
    p["products"] = [{"name": "Product", "ga": "2026-01-05" if not n.get("below") else None}]
    p["public_references"] = references(n["refs"])
    p["csat_responses"] = csat(n["csat"])
    p["business_plan"] = ({"signed_off": "2026-02-01", "reviewed": "2026-02-01"} if n["plan"]
                          else {"signed_off": "2025-06-01", "reviewed": None})
    if n["tbr"]:
        p["designations"] = [{"kind": "technical_baseline_review", "name": "FTR",
                              "awarded": "2026-01-05", "expires": None}]
    return p


def premier_2020():
    """A Premier applicant of 2020 for the legacy credit at sustained
    checkpoints (as_of 2020-05-31; checkpoints 2019-12-31 .. 2020-05-31):
    49 opportunities launched on 2019-11-01, one more on 2020-04-15 (counted
    only from the 2020-04-30 checkpoint), and one legacy-revenue-tool entry
    of 2019-11-01 that makes up the fiftieth at the checkpoints up to
    2020-03-31."""
    p = consulting("premier_2020", CONSULTING["premier"], "Advanced")
    p["renewal_date"] = "2020-12-15"
    p["fee_payments"] = [{"date": "2019-12-15", "amount": 2500}]
    for person_ in p["individuals"]:
        person_["registered"] = "2018-06-01"
        for item in person_["accreditations"] + person_["certifications"]:
            item["earned"] = "2019-01-05"
    opportunities_ = p["opportunities"]
    for i, o in enumerate(opportunities_):
        o["launched"] = "2019-11-01" if i < 49 else "2020-04-15"
        o["mrr"] = 1021
    opportunities_.append({"id": "O-legacy", "origin": "legacy_revenue_tool",
                           "status": "launched", "launched": "2019-11-01"})
    for r in p["public_references"]:
        r["submitted"] = r["approved"] = "2019-11-01"
    for c in p["csat_responses"]:
        c["date"] = "2019-11-01"
    p["business_plan"] = {"signed_off": "2019-10-01", "reviewed": None}
    for d in p["designations"]:
        d["awarded"] = "2019-01-05"
    p["executive_business_review"] = {"approved": "2019-10-01"}
    return p


def write(name, partner):
    with open(name + ".json", "w") as f:
        json.dump(partner, f, indent=1)
        f.write("\n")


def main():
    tiers = {"select": "Select", "advanced": "Advanced", "premier": "Advanced"}
    for name, n in CONSULTING.items():
        write("consulting_" + name, consulting(name, n, tiers[name]))
        write("consulting_below_" + name, consulting(name + "_below", below(n), tiers[name]))
    write("consulting_premier_2020", premier_2020())
    without_credit = premier_2020()
    without_credit["opportunities"].pop()
    write("consulting_premier_2020_no_credit", without_credit)
    for name, n in TECHNOLOGY.items():
        write("technology_" + name, technology(name, n, tiers[name]))
        write("technology_below_" + name, technology(name + "_below", below(n), tiers[name]))


if __name__ == "__main__":
    main()
