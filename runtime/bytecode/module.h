/*
 * module.h — a compiled rule set in memory.
 *
 * The compiler builds a bc_module and the bytecode writer serializes it;
 * the bytecode reader turns bytes back into a bc_module, the verifier checks
 * every index, jump, type and stack height in it, and only then do the data
 * loader, the VM and the evaluator use it.  Once verified a module is never
 * modified, so any number of threads may share it.
 *
 * Everything refers to everything else by index:
 *
 *   strings   [] of UTF-8 byte strings           (names, ids, titles, text)
 *   types     [] of bc_type                      (int, list of #3, R?, ...)
 *   consts    [] of typed constant values        (20, $1,500.00, 2019-12-13)
 *   enums     [] of bc_enum                      (Tier, Path, ...)
 *   records   [] of bc_record                    (Partner, Individual, ...)
 *   schema    the root record and its roles
 *   chunks    [] of bc_chunk: typed functions of bytecode (see opcodes.h)
 *   programs  [] of bc_program with their requirement trees
 *
 * BC_NONE marks an absent index.
 */
#ifndef RUBRIC_MODULE_H
#define RUBRIC_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#include "rubric.h"
#include "value.h"

#define BC_NONE UINT32_MAX

/* ------------------------------------------------------------------ types */

typedef enum type_kind {
    TK_INT = 1,
    TK_MONEY,
    TK_DATE,
    TK_MONTH,
    TK_BOOL,
    TK_STRING,
    TK_INTERVAL, /* an interval of dates                                   */
    TK_ENUM,     /* arg: enum index                                        */
    TK_RECORD,   /* arg: record index                                      */
    TK_LIST,     /* arg: element type index                                */
    TK_OPTIONAL, /* arg: base type index (never itself optional)          */
    TK_MAP,      /* arg: value type index; keys are strings                */
    TK_NULL      /* the type of the literal null before it meets a type   */
} type_kind;

typedef struct bc_type {
    uint8_t kind; /* type_kind */
    uint32_t arg;
} bc_type;

/* ------------------------------------------------------------------ data */

typedef struct bc_string {
    const char *ptr; /* NUL-terminated for convenience; len excludes it */
    uint32_t len;
} bc_string;

/* A constant: a value of a type.  Scalars only, plus lists and maps of
 * scalars (set literals, checklists).  A STRING's bytes are a module string. */
typedef struct bc_const {
    uint32_t type;
    value v;
} bc_const;

typedef struct bc_enum_alias {
    uint32_t name;  /* string */
    uint32_t value; /* index into values */
} bc_enum_alias;

typedef struct bc_enum {
    uint32_t name;          /* string */
    bool ordered;           /* declared with '<': comparisons allowed */
    uint32_t nvalues;
    uint32_t *values;       /* strings, in declaration (= ascending) order */
    uint32_t naliases;
    bc_enum_alias *aliases; /* accepted in data, read as their value */
} bc_enum;

enum {
    FIELD_REQUIRED = 1 << 0 /* absent or null is a data error */
};

typedef struct bc_field {
    uint32_t name;          /* string: the JSON key */
    uint32_t type;          /* list types: absent or null = empty list */
    uint8_t flags;          /* FIELD_* */
    uint32_t default_value; /* const used when absent/null, or BC_NONE */
    /* Conditionally required: when the enum field required_when_field of
     * the same record has one of the values of const list
     * required_when_values, this field is required. */
    uint32_t required_when_field;  /* field slot, or BC_NONE */
    uint32_t required_when_values; /* const (list of enum), or BC_NONE */
} bc_field;

typedef struct bc_record {
    uint32_t name; /* string */
    uint32_t nfields;
    bc_field *fields;
} bc_record;

typedef struct bc_schema {
    uint32_t name;        /* string: "apn-partner/1"                         */
    uint32_t root;        /* record index of one partner                     */
    uint32_t key_field;   /* slot in root: partner id, unique in a batch     */
    uint32_t label_field; /* slot in root: partner name, or BC_NONE          */
    uint32_t tag_field;   /* slot in root: when present must equal name,
                             or BC_NONE                                     */
} bc_schema;

/* ----------------------------------------------------------------- chunks */

enum {
    CHUNK_LET = 1 << 0 /* no parameters; CALL_LET memoizes it per context */
};

typedef struct bc_chunk {
    uint32_t name;        /* string, for the disassembler and errors */
    uint8_t flags;        /* CHUNK_* */
    uint16_t nparams;
    uint32_t *param_types;
    uint32_t ret_type;
    uint32_t code_len;
    uint8_t *code;
    /* Computed by the verifier; not serialized. */
    uint16_t max_stack;
} bc_chunk;

/* --------------------------------------------------------------- programs */

typedef enum node_kind {
    NODE_MEASURE = 0, /* measure compared with a threshold per tier         */
    NODE_CHOICE,      /* met when any part is met; no measure of its own    */
    NODE_SUSTAINED    /* consecutive monthly checkpoints at which the nodes
                         `checked` are all met at tier `sustained_tier` in
                         the rolling view; at most the threshold counted    */
} node_kind;

typedef enum node_unit {
    UNIT_COUNT = 0,
    UNIT_USD,
    UNIT_MONTHS,
    UNIT_BOOL,
    UNIT_CHOICE
} node_unit;

typedef enum node_cmp {
    CMP_AT_LEAST = 0, /* actual >= required */
    CMP_AT_MOST,      /* actual <= required */
    CMP_REQUIRED      /* actual is true     */
} node_cmp;

enum {
    NODE_TIME_BOUND = 1 << 0 /* counts only what falls in the view's window */
};

typedef enum threshold_kind {
    TH_NONE = 0,  /* the tier does not have this requirement       */
    TH_CONST,     /* index: a constant                             */
    TH_CHUNK      /* index: a chunk computing it (per-item nodes)  */
} threshold_kind;

typedef struct bc_threshold {
    uint8_t kind; /* threshold_kind */
    uint32_t index;
} bc_threshold;

typedef struct bc_node {
    uint32_t id;        /* string: "launched_opportunities"                  */
    uint32_t name;      /* string: "Launched Opportunities"                  */
    uint32_t category;  /* string: "Experience" (parts: the parent's)        */
    uint8_t kind;       /* node_kind */
    uint8_t unit;       /* node_unit */
    uint8_t cmp;        /* node_cmp */
    uint8_t flags;      /* NODE_* */
    uint32_t parent;    /* node index, or BC_NONE for a top-level requirement */
    /* Chunks; their parameters are () in a tiered program and (item) in a
     * per-item program.  BC_NONE when absent. */
    uint32_t measure;      /* -> the measure (NODE_MEASURE, NODE_SUSTAINED: none) */
    uint32_t na_when;      /* -> bool: not_applicable                       */
    uint32_t grace_when;   /* -> bool: not met, but in grace                 */
    uint32_t at_risk_when; /* -> bool: not met, but still at risk            */
    uint32_t nparts;
    uint32_t *parts;       /* node indices, in order */
    bc_threshold *thresholds; /* [program.ntiers] (per-item: [1]) */
    /* NODE_SUSTAINED */
    uint32_t sustained_tier; /* tier index */
    uint32_t nchecked;
    uint32_t *checked;       /* node indices (top-level) */
} bc_node;

typedef enum program_kind {
    PROGRAM_TIERED = 0, /* tiers, views, renewal and upgrade               */
    PROGRAM_PER_ITEM    /* each item of a list evaluated on its own        */
} program_kind;

/* An output list of a program: for each element of `items`, one object
 * with the given columns ("corporate_events": kind, counterparty, date,
 * action). */
typedef struct bc_report_column {
    uint32_t name;  /* string: output key */
    uint32_t chunk; /* (elem) -> a scalar */
} bc_report_column;

typedef struct bc_report_list {
    uint32_t name;  /* string: output key */
    uint32_t items; /* chunk () -> list of R */
    uint32_t ncolumns;
    bc_report_column *columns;
} bc_report_list;

/* An item of a per-item program that the rules call an error (`error
 * when` in the language): the program's result for that partner is
 * withheld and the message reported.  The message is `text` with each
 * "{}" replaced by the value of args[i] for the item. */
typedef struct bc_item_error {
    uint32_t when;  /* chunk (R) -> bool */
    uint32_t text;  /* string */
    uint32_t nargs;
    uint32_t *args; /* chunks (R) -> a scalar */
} bc_item_error;

typedef struct bc_program {
    uint32_t id;      /* string: "apn-2019-consulting" */
    uint32_t title;   /* string */
    uint32_t version; /* string */
    uint8_t kind;     /* program_kind */
    uint32_t applies; /* chunk () -> bool, or BC_NONE (always) */

    /* PROGRAM_TIERED */
    uint32_t tier_enum;      /* enum index */
    uint32_t ntiers;
    uint32_t *tiers;         /* values of tier_enum, strictly ascending */
    uint32_t current_tier;   /* chunk () -> tier_enum */
    uint32_t rolling_window; /* chunk () -> interval */
    uint32_t renewal_window; /* chunk () -> interval */
    uint32_t review_date;    /* chunk () -> date: when the renewal is reviewed */

    /* PROGRAM_PER_ITEM */
    uint32_t items_name;     /* string: output key, "applications" */
    uint32_t items;          /* chunk () -> list of R */
    uint32_t item_label_name;/* string: output key, "designation" */
    uint32_t item_label;     /* chunk (R) -> string */

    /* Requirement trees, in preorder: a node's parts follow it. */
    uint32_t nnodes;
    bc_node *nodes;

    uint32_t nlists;
    bc_report_list *lists;

    /* PROGRAM_PER_ITEM: the items that are errors, checked in order. */
    uint32_t nerrors;
    bc_item_error *errors;
} bc_program;

/* ----------------------------------------------------------------- module */

typedef struct bc_module {
    rubric_allocator alloc; /* owns every array below */

    uint32_t nstrings;
    bc_string *strings;
    uint32_t ntypes;
    bc_type *types;
    uint32_t nconsts;
    bc_const *consts;
    uint32_t nenums;
    bc_enum *enums;
    uint32_t nrecords;
    bc_record *records;
    bool has_schema;
    bc_schema schema;
    uint32_t nchunks;
    bc_chunk *chunks;
    uint32_t nprograms;
    bc_program *programs;
} bc_module;

/* Free every array of the module (not the struct itself). */
void module_release(bc_module *m);

/* The string at index i (caller has verified i). */
static inline const char *module_str(const bc_module *m, uint32_t i)
{
    return m->strings[i].ptr;
}

/* True when type a and type b are the same type, structurally. */
bool module_type_equal(const bc_module *m, uint32_t a, uint32_t b);

/* The slot of the partner record's field called name (the schema's root),
 * or BC_NONE when the module has no schema or no such field. */
uint32_t module_root_field(const bc_module *m, const char *name);

#endif /* RUBRIC_MODULE_H */
