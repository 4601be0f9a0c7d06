# consulting_2019.jq — apn-2019-consulting's rolling view written in jq, the
# comparison of bench/run.sh: per partner, the measures of every requirement
# and the eligible tier.  Not a second implementation to trust (no renewal
# view, no sustained-Premier checkpoints, no data validation): a fair
# measure of what the same counting costs in jq.
#
#   jq -c --arg asof 2026-11-22 -f bench/consulting_2019.jq partners.jsonl

def minus12($d):   # D - 12 months, the day clamped to the month's end
  ($d[0:4] | tonumber - 1 | tostring) + $d[4:]
  | if .[5:] == "02-29" then .[0:5] + "02-28" else . end;
def inwin($d; $lo): $d != null and $d > $lo and $d <= $asof;
def active($s; $e): $s != null and $s <= $asof and ($e == null or $e > $asof);
def clampfeb($d): if $d[5:] == "02-29" then $d[0:5] + "02-28" else $d end;
def yearstart($renewal):   # the membership year of A (spec/programs.md, program_fee)
  if $asof < $renewal then minus12($renewal)
  else clampfeb($asof[0:4] + $renewal[4:])
       | if . > $asof then clampfeb(($asof[0:4] | tonumber - 1 | tostring) + $renewal[4:]) else . end
  end;
def days($d): $d + "T00:00:00Z" | fromdateiso8601 / 86400;
def rank: {"associate": 1, "professional": 2, "specialty": 2}[.] // 0;

select(.path == "consulting" or .path == "services")
| minus12($asof) as $lo
| [(.individuals // [])[]
   | select(.registered != null and .registered <= $asof and (.left == null or .left > $asof))] as $staff
| [(.opportunities // [])[]
   | select(.status == "launched" and (.origin == "partner" or .origin == "aws") and inwin(.launched; $lo))]
    as $launched
| yearstart(.renewal_date) as $y
| {
    id,
    fee: ([(.fee_payments // [])[] | select(.date >= $y and .date <= $asof) | .amount | tonumber] | add // 0),
    fee_grace: (days($asof) <= days($y) + 90),
    accredited: [$staff[] | select(any(.accreditations[]?; .earned <= $asof))] | length,
    technical: [$staff[] | select(any(.accreditations[]?; .kind == "technical" and .earned <= $asof))] | length,
    business: [$staff[] | select(any(.accreditations[]?; .kind == "business" and .earned <= $asof))] | length,
    foundational: [$staff[] | select(any(.certifications[]?; .level == "foundational" and active(.earned; .expires)))] | length,
    certified: [$staff[] | select(any(.certifications[]?; (.level | rank) >= 1 and active(.earned; .expires)))] | length,
    professional: [$staff[] | select(any(.certifications[]?; (.level | rank) >= 2 and active(.earned; .expires)))] | length,
    launched: ($launched | length),
    mrr: ([$launched[].mrr // 0 | tonumber] | add // 0),
    plan: (.business_plan != null and .business_plan.signed_off != null
           and inwin([.business_plan.signed_off, .business_plan.reviewed] | max; $lo)),
    validations: ([(.designations // [])[]
                   | select((.kind == "competency" or .kind == "msp" or .kind == "well_architected")
                            and active(.awarded; .expires)) | [.kind, .name]] | unique | length),
    references: ([((.opportunities // [])[] | select(.status == "launched" and .customer != null
                     and .customer != "" and inwin(.public_reference.designated?; $lo)) | .customer),
                  ((.public_references // [])[] | select(.source == "tool" and inwin(.approved; $lo)) | .customer),
                  ((.public_references // [])[] | select(.source == "legacy" and inwin(.submitted; $lo)) | .customer)]
                 | unique | length),
    csat: [(.csat_responses // [])[] | select(inwin(.date; $lo) and .email_confirmed and .aws_customer)] | length
  }
| . + {eligible: (
    if (.fee >= 2500 or .fee_grace) and .accredited >= 4 and .technical >= 2 and .business >= 2 and .foundational >= 2
       and .certified >= 2 and .launched >= 3 and .mrr >= 1500 and .references >= 1 and .csat >= 5
    then (if .accredited >= 8 and .technical >= 4 and .business >= 4 and .foundational >= 4
             and .certified >= 6 and .professional >= 3 and .launched >= 20 and .mrr >= 10000
             and .plan and .references >= 2 and .csat >= 20
          then "Advanced" else "Select" end)
    else null end)}
