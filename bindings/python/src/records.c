/*
 * records.c — the record types of records.h, made from their field lists
 * with PyType_FromSpec: read-only attributes, a short repr, and the
 * methods of record_methods.h.
 */
#include "records.h"

#include <stddef.h>
#include <structmember.h>

#include "record_methods.h"

typedef struct record_object {
    PyObject_HEAD
    PyObject *slots[];
} record_object;

#define SLOT_OFFSET(i) ((Py_ssize_t)(offsetof(record_object, slots) + (i) * sizeof(PyObject *)))
#define RECORD_MEMBER(T, name, doc) {#name, T_OBJECT, SLOT_OFFSET(T##_##name), READONLY, doc},

static PyMemberDef partner_members[] = {PARTNER_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef program_members[] = {PROGRAM_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef result_members[] = {RESULT_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef view_members[] = {VIEW_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef category_members[] = {CATEGORY_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef requirement_members[] = {REQUIREMENT_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef item_members[] = {ITEM_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};
static PyMemberDef diagnostic_members[] = {DIAGNOSTIC_FIELDS(RECORD_MEMBER){NULL, 0, 0, 0, NULL}};

typedef struct record_info {
    const char *name;       /* "rubric.Requirement" */
    const char *doc;
    PyMemberDef *members;
    int nfields;
    const char *repr_fields; /* space-separated, shown by repr() */
    PyMethodDef *methods;
} record_info;

static const record_info infos[RECORD_KIND_COUNT] = {
    [RECORD_PARTNER] = {"rubric.Partner", "The partner a result is about.", partner_members,
                        PARTNER_NFIELDS, "id name", NULL},
    [RECORD_PROGRAM] = {"rubric.Program", "The program a result is about.", program_members,
                        PROGRAM_NFIELDS, "id version", NULL},
    [RECORD_RESULT] = {"rubric.Result",
                       "One program evaluated for one partner: the object `rubric eval -f "
                       "jsonl` prints, as attributes.\n\nto_dict() gives that very object.",
                       result_members, RESULT_NFIELDS, "partner program eligible_tier",
                       record_result_methods},
    [RECORD_VIEW] = {"rubric.View",
                     "One tier in one view: rolling (eligibility), renewal (the current tier "
                     "in the renewal window) or upgrade (the next tier).",
                     view_members, VIEW_NFIELDS, "kind tier status", record_view_methods},
    [RECORD_CATEGORY] = {"rubric.Category", "The requirements under one category heading.",
                         category_members, CATEGORY_NFIELDS, "name", NULL},
    [RECORD_REQUIREMENT] = {"rubric.Requirement", "One requirement, or one part of one, in one view.",
                            requirement_members, REQUIREMENT_NFIELDS,
                            "id status actual required", NULL},
    [RECORD_ITEM] = {"rubric.Item", "One item of a per-item program (an application).",
                     item_members, ITEM_NFIELDS, "label status", record_view_methods},
    [RECORD_DIAGNOSTIC] = {"rubric.Diagnostic", "One diagnostic about rules source.",
                           diagnostic_members, DIAGNOSTIC_NFIELDS,
                           "severity file line column message", NULL},
};

static PyTypeObject *types[RECORD_KIND_COUNT];

static Py_ssize_t slot_count(PyObject *self)
{
    return (Py_TYPE(self)->tp_basicsize - SLOT_OFFSET(0)) / (Py_ssize_t)sizeof(PyObject *);
}

static int record_traverse(PyObject *self, visitproc visit, void *arg)
{
    record_object *r = (record_object *)self;
    Py_VISIT(Py_TYPE(self));
    for (Py_ssize_t i = 0; i < slot_count(self); i++)
        Py_VISIT(r->slots[i]);
    return 0;
}

static int record_clear(PyObject *self)
{
    record_object *r = (record_object *)self;
    for (Py_ssize_t i = 0; i < slot_count(self); i++)
        Py_CLEAR(r->slots[i]);
    return 0;
}

static void record_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    record_clear(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static const record_info *info_of(PyObject *self)
{
    for (int k = 0; k < RECORD_KIND_COUNT; k++)
        if (Py_TYPE(self) == types[k])
            return &infos[k];
    return NULL;
}

static PyMemberDef *member_named(const record_info *info, const char *name, size_t len)
{
    for (PyMemberDef *m = info->members; m->name; m++)
        if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
            return m;
    return NULL;
}

/* rubric.Requirement(id='mrr', status='met', actual=Decimal('10498.56'), ...) */
static PyObject *record_repr(PyObject *self)
{
    const record_info *info = info_of(self);
    PyObject *parts = PyList_New(0);
    if (!info || !parts)
        return parts;
    for (const char *s = info->repr_fields; *s;) {
        size_t len = strcspn(s, " ");
        PyMemberDef *m = member_named(info, s, len);
        PyObject *value = m ? *(PyObject **)((char *)self + m->offset) : NULL;
        PyObject *piece = PyUnicode_FromFormat("%s=%R", m ? m->name : "?",
                                               value ? value : Py_None);
        if (!piece || PyList_Append(parts, piece) < 0) {
            Py_XDECREF(piece);
            Py_DECREF(parts);
            return NULL;
        }
        Py_DECREF(piece);
        s += len + (s[len] == ' ');
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *joined = sep ? PyUnicode_Join(sep, parts) : NULL;
    PyObject *repr = joined ? PyUnicode_FromFormat("%s(%U)", info->name, joined) : NULL;
    Py_XDECREF(sep);
    Py_XDECREF(joined);
    Py_DECREF(parts);
    return repr;
}

static PyTypeObject *make_type(const record_info *info)
{
    PyType_Slot slots[] = {
        {Py_tp_doc, (void *)info->doc},
        {Py_tp_members, info->members},
        {Py_tp_dealloc, record_dealloc},
        {Py_tp_traverse, record_traverse},
        {Py_tp_clear, record_clear},
        {Py_tp_repr, record_repr},
        {info->methods ? Py_tp_methods : 0, info->methods},
        {0, NULL},
    };
    PyType_Spec spec = {
        .name = info->name,
        .basicsize = (int)SLOT_OFFSET(info->nfields),
        .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
        .slots = slots,
    };
    return (PyTypeObject *)PyType_FromSpec(&spec);
}

bool records_init(PyObject *module)
{
    for (int k = 0; k < RECORD_KIND_COUNT; k++) {
        types[k] = make_type(&infos[k]);
        if (!types[k])
            return false;
        const char *short_name = strchr(infos[k].name, '.') + 1;
        Py_INCREF(types[k]);
        if (PyModule_AddObject(module, short_name, (PyObject *)types[k]) < 0) {
            Py_DECREF(types[k]);
            return false;
        }
    }
    return true;
}

PyObject *record_new(record_kind kind)
{
    return PyType_GenericAlloc(types[kind], 0);
}

bool record_set(PyObject *record, int index, PyObject *value)
{
    if (!value)
        return false;
    record_object *r = (record_object *)record;
    Py_XSETREF(r->slots[index], value);
    return true;
}

PyObject *record_get(PyObject *record, int index)
{
    PyObject *value = ((record_object *)record)->slots[index];
    return value ? value : Py_None;
}

bool record_is(PyObject *obj, record_kind kind)
{
    return Py_TYPE(obj) == types[kind];
}
