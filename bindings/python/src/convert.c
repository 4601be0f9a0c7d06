/* convert.c — rubric_result to Python records (convert.h). */
#include "convert.h"

#include "records.h"
#include "values.h"

PyObject *convert_str(const char *s)
{
    if (s)
        return PyUnicode_FromString(s);
    Py_RETURN_NONE;
}

/* Names of enums of the library, the same few strings over and over. */
static PyObject *name(const char *s)
{
    return PyUnicode_InternFromString(s);
}

static const char *comparison_name(rubric_comparison c)
{
    switch (c) {
    case RUBRIC_COMPARE_AT_LEAST:
        return "at_least";
    case RUBRIC_COMPARE_AT_MOST:
        return "at_most";
    case RUBRIC_COMPARE_TRUE:
        break;
    }
    return "true";
}

static PyObject *requirements(const rubric_requirement *reqs, size_t count);

static PyObject *requirement(const rubric_requirement *q)
{
    PyObject *r = record_new(RECORD_REQUIREMENT);
    if (!r)
        return NULL;
    bool ok = record_set(r, REQUIREMENT_id, convert_str(q->id)) &&
              record_set(r, REQUIREMENT_name, convert_str(q->name)) &&
              record_set(r, REQUIREMENT_category, convert_str(q->category)) &&
              record_set(r, REQUIREMENT_index, PyLong_FromUnsignedLong(q->index)) &&
              record_set(r, REQUIREMENT_status, name(rubric_req_status_name(q->status))) &&
              record_set(r, REQUIREMENT_time_bound, PyBool_FromLong(q->time_bound)) &&
              record_set(r, REQUIREMENT_unit, name(rubric_unit_name(q->unit))) &&
              record_set(r, REQUIREMENT_comparison, name(comparison_name(q->comparison))) &&
              record_set(r, REQUIREMENT_actual, value_to_python(&q->actual)) &&
              record_set(r, REQUIREMENT_required, value_to_python(&q->required)) &&
              record_set(r, REQUIREMENT_gap,
                         q->gap ? PyUnicode_DecodeUTF8(q->gap, (Py_ssize_t)q->gap_length,
                                                       "replace")
                                : convert_str(NULL)) &&
              record_set(r, REQUIREMENT_parts, requirements(q->parts, q->part_count));
    if (!ok)
        Py_CLEAR(r);
    return r;
}

static PyObject *requirements(const rubric_requirement *reqs, size_t count)
{
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *q = requirement(&reqs[i]);
        if (!q)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, q);
    }
    return list;
}

/* Categories hold runs of the list's requirements: the same objects. */
static PyObject *categories(const rubric_category *cats, size_t count,
                            const rubric_requirement *base, PyObject *list)
{
    PyObject *out = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; out && i < count; i++) {
        PyObject *c = record_new(RECORD_CATEGORY);
        Py_ssize_t first = cats[i].requirement_count ? cats[i].requirements - base : 0;
        bool ok = c && record_set(c, CATEGORY_name, convert_str(cats[i].name)) &&
                  record_set(c, CATEGORY_requirements,
                             PyList_GetSlice(list, first,
                                             first + (Py_ssize_t)cats[i].requirement_count));
        if (!ok) {
            Py_XDECREF(c);
            Py_CLEAR(out);
        } else {
            PyList_SET_ITEM(out, (Py_ssize_t)i, c);
        }
    }
    return out;
}

static PyObject *view(const rubric_view *v)
{
    if (!v)
        Py_RETURN_NONE;
    PyObject *r = record_new(RECORD_VIEW);
    if (!r)
        return NULL;
    bool ok = record_set(r, VIEW_kind, name(rubric_view_kind_name(v->kind))) &&
              record_set(r, VIEW_tier, convert_str(v->tier)) &&
              record_set(r, VIEW_tier_index, PyLong_FromUnsignedLong(v->tier_index)) &&
              record_set(r, VIEW_status, name(rubric_req_status_name(v->status))) &&
              record_set(r, VIEW_satisfied, PyBool_FromLong(v->satisfied)) &&
              record_set(r, VIEW_eligible, PyBool_FromLong(v->eligible)) &&
              record_set(r, VIEW_review_date, value_to_python(&v->review_date)) &&
              record_set(r, VIEW_requirements, requirements(v->requirements, v->requirement_count)) &&
              record_set(r, VIEW_categories,
                         categories(v->categories, v->category_count, v->requirements,
                                    record_get(r, VIEW_requirements)));
    if (!ok)
        Py_CLEAR(r);
    return r;
}

static PyObject *item(const rubric_item *it)
{
    PyObject *r = record_new(RECORD_ITEM);
    if (!r)
        return NULL;
    bool ok = record_set(r, ITEM_label, value_to_python(&it->label)) &&
              record_set(r, ITEM_status, name(rubric_item_status_name(it->status))) &&
              record_set(r, ITEM_requirements,
                         requirements(it->requirements, it->requirement_count)) &&
              record_set(r, ITEM_categories,
                         categories(it->categories, it->category_count, it->requirements,
                                    record_get(r, ITEM_requirements)));
    if (!ok)
        Py_CLEAR(r);
    return r;
}

static PyObject *views(const rubric_view *vs, size_t count)
{
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *v = view(&vs[i]);
        if (!v)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    return list;
}

static PyObject *items(const rubric_item *its, size_t count)
{
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *v = item(&its[i]);
        if (!v)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    return list;
}

/* One row of a report list: {column: value}, columns in declaration order. */
static PyObject *list_row(const rubric_list *list, size_t row)
{
    PyObject *d = PyDict_New();
    const rubric_value *values = &list->values[row * list->column_count];
    for (size_t c = 0; d && c < list->column_count; c++) {
        PyObject *v = value_to_python(&values[c]);
        if (!v || PyDict_SetItemString(d, list->columns[c], v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *report_lists(const rubric_result *r)
{
    PyObject *d = PyDict_New();
    for (size_t l = 0; d && l < r->list_count; l++) {
        const rubric_list *list = &r->lists[l];
        PyObject *rows = PyList_New((Py_ssize_t)list->row_count);
        for (size_t row = 0; rows && row < list->row_count; row++) {
            PyObject *x = list_row(list, row);
            if (!x)
                Py_CLEAR(rows);
            else
                PyList_SET_ITEM(rows, (Py_ssize_t)row, x);
        }
        if (!rows || PyDict_SetItemString(d, list->name, rows) < 0)
            Py_CLEAR(d);
        Py_XDECREF(rows);
    }
    return d;
}

static PyObject *partner(const rubric_result *r)
{
    PyObject *p = record_new(RECORD_PARTNER);
    if (p && !(record_set(p, PARTNER_id, value_to_python(&r->partner_id)) &&
               record_set(p, PARTNER_name, value_to_python(&r->partner_name))))
        Py_CLEAR(p);
    return p;
}

static PyObject *program(const rubric_result *r)
{
    PyObject *p = record_new(RECORD_PROGRAM);
    if (p && !(record_set(p, PROGRAM_id, convert_str(r->program_id)) &&
               record_set(p, PROGRAM_title, convert_str(r->program_title)) &&
               record_set(p, PROGRAM_version, convert_str(r->program_version))))
        Py_CLEAR(p);
    return p;
}

PyObject *convert_result(const rubric_result *r)
{
    PyObject *out = record_new(RECORD_RESULT);
    if (!out)
        return NULL;
    bool tiered = r->kind == RUBRIC_PROGRAM_TIERED;
    bool ok = record_set(out, RESULT_partner, partner(r)) &&
              record_set(out, RESULT_program, program(r)) &&
              record_set(out, RESULT_as_of, value_date(r->as_of)) &&
              record_set(out, RESULT_kind, name(tiered ? "tiered" : "per_item")) &&
              record_set(out, RESULT_current_tier, convert_str(r->current_tier)) &&
              record_set(out, RESULT_eligible_tier, convert_str(r->eligible_tier)) &&
              record_set(out, RESULT_renewal, view(r->renewal)) &&
              record_set(out, RESULT_upgrade, view(r->upgrade)) &&
              record_set(out, RESULT_tiers, views(r->tiers, r->tier_count)) &&
              record_set(out, RESULT_items_name, convert_str(r->items_name)) &&
              record_set(out, RESULT_item_label_name, convert_str(r->item_label_name)) &&
              record_set(out, RESULT_items, items(r->items, r->item_count)) &&
              record_set(out, RESULT_lists, report_lists(r));
    if (!ok)
        Py_CLEAR(out);
    return out;
}
