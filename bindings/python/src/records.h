/*
 * records.h — the read-only objects results come back as: Result, View,
 * Category, Requirement, Item, Partner, Program and Diagnostic.  Each is a
 * record of named attributes (a fixed array of object slots) with a
 * docstring per attribute, declared once below as an X-macro: the slot indices, the attribute table and the documentation all
 * come from that one list.
 */
#ifndef RUBRIC_PY_RECORDS_H
#define RUBRIC_PY_RECORDS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

#define PARTNER_FIELDS(X)                                                        \
    X(PARTNER, id, "The partner's id (str).")                                    \
    X(PARTNER, name, "The partner's name (str), or None.")

#define PROGRAM_FIELDS(X)                                                        \
    X(PROGRAM, id, "The program's id: 'apn-2019-consulting'.")                   \
    X(PROGRAM, title, "The program's title.")                                    \
    X(PROGRAM, version, "The program's version: '1.2'.")

#define RESULT_FIELDS(X)                                                         \
    X(RESULT, partner, "The partner (Partner: id, name).")                       \
    X(RESULT, program, "The program (Program: id, title, version).")             \
    X(RESULT, as_of, "The evaluation date (datetime.date).")                     \
    X(RESULT, kind, "'tiered' or 'per_item'.")                                   \
    X(RESULT, current_tier, "Tiered: the partner's tier as the data gives it.")  \
    X(RESULT, eligible_tier, "Tiered: the highest tier satisfied with every "    \
                             "tier below it, or None.")                          \
    X(RESULT, renewal, "Tiered: the current tier in the renewal window (View), " \
                       "or None below the first tier.")                          \
    X(RESULT, upgrade, "Tiered: the next tier in the rolling window (View), or " \
                       "None at the top tier.")                                  \
    X(RESULT, tiers, "Tiered: the rolling view of every tier, lowest first "     \
                     "(list of View).")                                          \
    X(RESULT, items_name, "Per-item: what the items are called in the JSON "     \
                          "('applications'), else None.")                        \
    X(RESULT, item_label_name, "Per-item: the key of an item's label "          \
                               "('designation'), else None.")                    \
    X(RESULT, items, "Per-item: the items (list of Item); [] for a tiered "      \
                     "program.")                                                 \
    X(RESULT, lists, "The program's report lists: {name: [{column: value}]}.")

#define VIEW_FIELDS(X)                                                           \
    X(VIEW, kind, "'rolling', 'renewal' or 'upgrade'.")                          \
    X(VIEW, tier, "The tier: 'Advanced'.")                                       \
    X(VIEW, tier_index, "The tier's place, 0 for the program's lowest.")         \
    X(VIEW, status, "'not_met' when a requirement is not met, else 'at_risk' "   \
                    "when one is at risk, else 'met'.")                          \
    X(VIEW, satisfied, "Every requirement met, in grace or not applicable.")     \
    X(VIEW, eligible, "The partner qualifies for the tier in the rolling view.") \
    X(VIEW, review_date, "Renewal: the review date (datetime.date); else None.") \
    X(VIEW, requirements, "The tier's requirements in rule order "               \
                          "(list of Requirement).")                              \
    X(VIEW, categories, "The same requirements under their headings "            \
                        "(list of Category).")

#define CATEGORY_FIELDS(X)                                                       \
    X(CATEGORY, name, "The heading: 'Knowledge'.")                               \
    X(CATEGORY, requirements, "The requirements under it (list of Requirement).")

#define REQUIREMENT_FIELDS(X)                                                    \
    X(REQUIREMENT, id, "'launched_opportunities'; a part's own id: 'mrr'.")      \
    X(REQUIREMENT, name, "'Launched Opportunities'.")                            \
    X(REQUIREMENT, category, "'Experience'; a part takes its parent's.")         \
    X(REQUIREMENT, index, "Its place among the program's requirements and "      \
                          "parts, the same in every view.")                      \
    X(REQUIREMENT, status, "'met', 'not_met', 'at_risk', 'grace' or "            \
                           "'not_applicable'.")                                  \
    X(REQUIREMENT, time_bound, "Counts only what falls in the view's window.")   \
    X(REQUIREMENT, unit, "'count', 'usd', 'months', 'bool' or 'choice'.")        \
    X(REQUIREMENT, comparison, "'at_least', 'at_most' or 'true'.")               \
    X(REQUIREMENT, actual, "The measured value: int, decimal.Decimal (usd), "    \
                           "bool, or None (not applicable, choice).")            \
    X(REQUIREMENT, required, "The threshold, as actual; None for a choice.")     \
    X(REQUIREMENT, gap, "What the scorecards say is missing ('needs 15 more "    \
                        "launched opportunities'), or None.")                    \
    X(REQUIREMENT, parts, "Its parts (list of Requirement).")

#define ITEM_FIELDS(X)                                                           \
    X(ITEM, label, "The item's label ('Amazon RDS'), or None.")                  \
    X(ITEM, status, "'ready' or 'not_ready'.")                                   \
    X(ITEM, requirements, "The item's requirements (list of Requirement).")      \
    X(ITEM, categories, "The same under their headings (list of Category).")


#define DIAGNOSTIC_FIELDS(X)                                                     \
    X(DIAGNOSTIC, severity, "'error', 'warning' or 'note'.")                     \
    X(DIAGNOSTIC, file, "The rules file.")                                       \
    X(DIAGNOSTIC, line, "Line, from 1.")                                         \
    X(DIAGNOSTIC, column, "Column in bytes, from 1.")                            \
    X(DIAGNOSTIC, length, "Bytes underlined from column.")                       \
    X(DIAGNOSTIC, message, "What is wrong.")                                     \
    X(DIAGNOSTIC, hint, "A suggestion ('did you mean ...?'), or None.")

#define RECORD_FIELD_INDEX(T, name, doc) T##_##name,
enum { PARTNER_FIELDS(RECORD_FIELD_INDEX) PARTNER_NFIELDS };
enum { PROGRAM_FIELDS(RECORD_FIELD_INDEX) PROGRAM_NFIELDS };
enum { RESULT_FIELDS(RECORD_FIELD_INDEX) RESULT_NFIELDS };
enum { VIEW_FIELDS(RECORD_FIELD_INDEX) VIEW_NFIELDS };
enum { CATEGORY_FIELDS(RECORD_FIELD_INDEX) CATEGORY_NFIELDS };
enum { REQUIREMENT_FIELDS(RECORD_FIELD_INDEX) REQUIREMENT_NFIELDS };
enum { ITEM_FIELDS(RECORD_FIELD_INDEX) ITEM_NFIELDS };
enum { DIAGNOSTIC_FIELDS(RECORD_FIELD_INDEX) DIAGNOSTIC_NFIELDS };
#undef RECORD_FIELD_INDEX

typedef enum record_kind {
    RECORD_PARTNER,
    RECORD_PROGRAM,
    RECORD_RESULT,
    RECORD_VIEW,
    RECORD_CATEGORY,
    RECORD_REQUIREMENT,
    RECORD_ITEM,
    RECORD_DIAGNOSTIC,
    RECORD_KIND_COUNT
} record_kind;

/* Create the record types and add them to the module.  False with an
 * exception set on failure. */
bool records_init(PyObject *module);

/* A new record of a kind, every attribute None until set. */
PyObject *record_new(record_kind kind);

/* Set attribute index of a new record to value, stealing the reference.
 * False (and nothing set) when value is NULL: an exception is pending. */
bool record_set(PyObject *record, int index, PyObject *value);

/* Attribute index of a record (borrowed). */
PyObject *record_get(PyObject *record, int index);

/* Whether obj is a record of kind. */
bool record_is(PyObject *obj, record_kind kind);

#endif
