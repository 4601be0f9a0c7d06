/*
 * ast.h — the abstract syntax tree of a Rubric source file.
 *
 * The parser (grammar/parser.y) only builds these nodes; name resolution,
 * type checking and lowering are later passes (sema.c, lower.c) that fill in
 * the `sema` fields of expressions.  All nodes, names and arrays live in the
 * compilation's arena; names are NUL-terminated.
 *
 * docs/language.md is the reference of the language these nodes represent.
 */
#ifndef RUBRIC_AST_H
#define RUBRIC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"

/* A span of source: file index in the compilation's source table, and the
 * first and last byte positions (lines and columns from 1, columns in
 * bytes, last_col inclusive). */
typedef struct ast_loc {
    uint32_t file;
    uint32_t line, col;
    uint32_t end_line, end_col;
} ast_loc;

/* ----------------------------------------------------------- expressions */

typedef enum ast_expr_kind {
    EX_INT,      /* u.i                                   20                 */
    EX_MONEY,    /* u.i  (cents)                          $1,500.50          */
    EX_DATE,     /* u.i  (days since 1970-01-01)          2019-12-13         */
    EX_MONTH,    /* u.i  (year*12 + month-1)              2026-01            */
    EX_DURATION, /* u.dur                                 12 months, 90 days */
    EX_STRING,   /* u.str (unescaped)                     "DevOps"           */
    EX_BOOL,     /* u.b                                   true               */
    EX_NULL,     /*                                       null               */
    EX_NAME,     /* u.name                                staff              */
    EX_IT,       /*                                       it                 */
    EX_AS_OF,    /*                                       as_of              */
    EX_WINDOW,   /*                                       window             */
    EX_FIELD,    /* u.field                               business_plan.reviewed */
    EX_CALL,     /* u.call                                count(staff)       */
    EX_UNARY,    /* u.unary  (OPX_NEG, OPX_NOT)           not x, -x          */
    EX_BINARY,   /* u.binary                              a + b, a in b      */
    EX_WHERE,    /* u.where                               list where pred    */
    EX_ANY,      /* u.where  (list: a path)               any certs (pred)   */
    EX_ALL,      /* u.where                               all certs (pred)   */
    EX_IF,       /* u.if_                                 if c then a else b */
    EX_INTERVAL, /* u.interval                            (a, b]             */
    EX_SET,      /* u.set                                 {a, b, c}          */
    EX_SUSTAINED /* u.sustained                           (see docs)         */
} ast_expr_kind;

typedef enum ast_op {
    OPX_NEG,
    OPX_NOT,
    OPX_ADD,
    OPX_SUB,
    OPX_MUL,
    OPX_DIV,
    OPX_EQ,
    OPX_NE,
    OPX_LT,
    OPX_LE,
    OPX_GT,
    OPX_GE,
    OPX_AND,
    OPX_OR,
    OPX_COALESCE, /* ?? */
    OPX_IN        /* x in interval / set / list */
} ast_op;

typedef enum ast_duration_unit {
    DUR_DAYS,
    DUR_MONTHS /* "years" are read as 12 months each */
} ast_duration_unit;

typedef struct ast_expr ast_expr;

typedef struct ast_expr_list {
    ast_expr **items;
    uint32_t count;
} ast_expr_list;

struct ast_expr {
    ast_expr_kind kind;
    ast_loc loc;
    union {
        int64_t i;
        bool b;
        struct {
            int64_t amount;
            ast_duration_unit unit;
        } dur;
        struct {
            const char *ptr; /* NUL-terminated; may contain NUL if escaped */
            uint32_t len;
        } str;
        const char *name;
        struct {
            ast_expr *base;
            const char *name;
            ast_loc name_loc;
        } field;
        struct {
            const char *name;
            ast_loc name_loc;
            ast_expr_list args;
            ast_expr_list by; /* distinct(L by e1, e2): e1, e2 */
        } call;
        struct {
            ast_op op;
            ast_expr *operand;
        } unary;
        struct {
            ast_op op;
            ast_expr *left, *right;
        } binary;
        struct {
            ast_expr *list;
            ast_expr *pred;
        } where;
        struct {
            ast_expr *cond, *then_, *else_;
        } if_;
        struct {
            ast_expr *lo, *hi;
            bool lo_open, hi_open;
        } interval;
        ast_expr_list set;
        struct {
            const char *tier;      /* "Premier" */
            ast_loc tier_loc;
            const char **except;   /* requirement ids left out */
            ast_loc *except_locs;
            uint32_t nexcept;
        } sustained;
    } u;
    /* Filled by semantic analysis. */
    struct {
        uint32_t type;   /* sema type id */
        uint8_t ref;     /* what an EX_NAME refers to (sema.h) */
        uint32_t index;  /* which one */
        void *target;    /* the declaration it refers to, if any */
    } sema;
};

/* ----------------------------------------------------------------- types */

typedef enum ast_type_kind {
    TY_NAME,     /* int, money, date, month, bool, string, or a declared name */
    TY_LIST,     /* list of T */
    TY_MAP,      /* map of T */
    TY_OPTIONAL  /* T? */
} ast_type_kind;

typedef struct ast_type ast_type;
struct ast_type {
    ast_type_kind kind;
    ast_loc loc;
    const char *name; /* TY_NAME */
    ast_type *elem;   /* TY_LIST, TY_MAP, TY_OPTIONAL */
};

/* ------------------------------------------------------------ declarations */

typedef struct ast_name {
    const char *name;
    ast_loc loc;
} ast_name;

typedef struct ast_name_list {
    ast_name *items;
    uint32_t count;
} ast_name_list;

enum {
    FIELD_ANN_KEY = 1 << 0,   /* `key`: the partner id                     */
    FIELD_ANN_LABEL = 1 << 1, /* `label`: the partner name                  */
    FIELD_ANN_TAG = 1 << 2    /* `tag`: when present must equal the schema  */
};

typedef struct ast_field {
    ast_name name;
    ast_type *type;
    ast_expr *default_value;  /* `= literal`, or NULL                    */
    ast_expr *required_when;  /* `required when cond`, or NULL           */
    uint8_t annotations;      /* FIELD_ANN_*                             */
    ast_loc loc;
} ast_field;

/* `record NAME` and its fields; also `extend record NAME` (ITEM_EXTEND):
 * fields added to the record NAME, which another declaration declares. */
typedef struct ast_record {
    ast_name name;
    ast_field *fields;
    uint32_t nfields;
} ast_record;

typedef struct ast_alias {
    ast_name name;
    ast_name target;
} ast_alias;

typedef struct ast_enum {
    ast_name name;
    bool ordered;         /* values joined by '<' rather than '|' */
    ast_name_list values;
    ast_alias *aliases;
    uint32_t naliases;
} ast_enum;

typedef struct ast_schema {
    const char *id;       /* "apn-partner/1" */
    ast_loc id_loc;
    ast_name root;
    ast_loc loc;
} ast_schema;

typedef struct ast_param {
    ast_name name;
    ast_type *type;
} ast_param;

typedef struct ast_fn {
    ast_name name;
    ast_param *params;
    uint32_t nparams;
    ast_type *ret;
    ast_expr *body;
    ast_loc loc;
} ast_fn;

typedef struct ast_let {
    ast_name name;
    ast_type *type;       /* optional annotation, or NULL */
    ast_expr *value;
    ast_loc loc;
    void *sema;           /* filled by sema */
} ast_let;

typedef enum ast_threshold_kind {
    THR_NONE,      /* no threshold line (choice requirements)   */
    THR_AT_LEAST,  /* at least v1 | v2 | v3                      */
    THR_AT_MOST,   /* at most v1 | v2 | v3                       */
    THR_REQUIRED   /* required, or required - | yes | yes        */
} ast_threshold_kind;

typedef struct ast_threshold {
    ast_threshold_kind kind;
    /* One column per tier, or a single column that applies to every tier.
     * A NULL entry is '-' (the tier does not have it).  For THR_REQUIRED
     * a non-NULL entry is an EX_BOOL true ("yes"); `required` alone is one
     * column.  Values are literals: EX_INT, EX_MONEY, EX_DURATION (months)
     * or, for per-item programs and families, any expression. */
    ast_expr **columns;
    uint32_t ncolumns;
    ast_loc loc;
} ast_threshold;

typedef struct ast_req ast_req;

typedef struct ast_req_list {
    ast_req **items;
    uint32_t count;
} ast_req_list;

/* `for each NAME in VALUES` after a requirement's title: a family, one
 * requirement per value (docs/language.md, "Requirement families").  The
 * family's id and title hold `{NAME}`, replaced in each member. */
typedef struct ast_family {
    ast_name bound;           /* NAME: the value, inside the requirement */
    ast_expr *values;         /* an enum's name, or a list {"a", "b"}      */
    ast_loc loc;              /* `for each NAME in VALUES`                 */
    void *sema;               /* filled by sema: the values (family_info)  */
} ast_family;

/* A requirement or a part (parts nest). */
struct ast_req {
    ast_name id;
    const char *title;        /* "AWS Accredited Professionals" */
    ast_loc title_loc;
    bool is_part;
    bool time_bound;
    bool either;              /* choice: met when any part is met */
    ast_let **lets;
    uint32_t nlets;
    ast_expr *measure;        /* NULL for `either` */
    ast_threshold threshold;
    ast_expr *na_when;        /* not_applicable when ... */
    ast_expr *grace_when;     /* grace when ... */
    ast_expr *at_risk_when;   /* at_risk when ... */
    ast_req_list parts;
    ast_loc loc;
    /* A family's requirement as written (its template), and each member
     * sema makes of it: a copy with the id and title of one value, whose
     * template_req is the one written and `member` the index of its value. */
    ast_family *family;
    ast_req *template_req;    /* a member: its template; NULL otherwise */
    uint32_t member;
};

typedef struct ast_category {
    ast_name name;            /* "Knowledge", "Customer Success" */
    ast_req_list reqs;
} ast_category;

typedef enum ast_window_kind {
    WIN_ROLLING,
    WIN_RENEWAL
} ast_window_kind;

/* `error when cond "message {name}"` in a per-item program: an item for
 * which cond holds is an error; the message's {name}s are expressions
 * (args) of the item, and `text` is the message with each one as "{}". */
typedef struct ast_item_error {
    ast_expr *when;
    const char *text;
    ast_expr **args;
    uint32_t nargs;
    ast_loc loc;
} ast_item_error;

/* A column of a report list: `kind = kind`. */
typedef struct ast_report_column {
    ast_name name;
    ast_expr *value;
} ast_report_column;

/* `report NAME for each ELEM in LIST` and its columns: one output object
 * per element of LIST. */
typedef struct ast_report {
    ast_name name;
    ast_name each;
    ast_expr *items;
    ast_report_column *columns;
    uint32_t ncolumns;
    ast_loc loc;
} ast_report;

typedef struct ast_program {
    const char *id;           /* "apn-2019-consulting" */
    ast_loc id_loc;
    const char *title;
    const char *version;
    const char *extends;      /* base program id, or NULL */
    ast_loc extends_loc;
    ast_expr *applies;        /* applies when ... */
    ast_name_list tiers;      /* tiers Select < Advanced < Premier ... */
    ast_expr *tier_by;        /* ... by tier */
    ast_expr *rolling;        /* rolling window (...) */
    ast_expr *renewal;        /* renewal window (...) */
    ast_expr *due;            /* ... due expr */
    ast_let **lets;
    uint32_t nlets;
    ast_category *categories;
    uint32_t ncategories;
    /* `requirement ID threshold` / `requirement ID.part threshold` in an
     * extending program: id.name is the dotted path, title is NULL and only
     * the threshold is set. */
    ast_req_list overrides;
    /* A per-item program: `for each NAME in items report KEY label
     * item_label`; KEY is the results' key ("applications"). */
    ast_name each;            /* name NULL: a tiered program */
    ast_name items_key;
    ast_expr *items;
    ast_expr *item_label;
    ast_item_error *errors;
    uint32_t nerrors;
    ast_report *reports;
    uint32_t nreports;
    ast_loc loc;
} ast_program;

/* A decision table: typed inputs, rows of cells and an output.  A cell is
 * a name (an enum value, or yes/no/true/false for a bool); name NULL is
 * `-`, any value.  The parser also builds `fn`, the same table as a
 * function (an if … else chain over the rows), which is what calls use;
 * sema checks that the rows neither overlap nor leave a case uncovered. */
typedef struct ast_table_row {
    ast_name *cells;          /* [ninputs + 1]: the inputs, then the output */
    uint32_t ncells;
    ast_loc loc;
} ast_table_row;

typedef struct ast_table {
    ast_name name;
    ast_param *inputs;
    uint32_t ninputs;
    ast_type *output;
    ast_table_row *rows;
    uint32_t nrows;
    ast_fn *fn;
    ast_loc loc;
} ast_table;

typedef enum ast_item_kind {
    ITEM_RECORD,
    ITEM_ENUM,
    ITEM_SCHEMA,
    ITEM_FN,
    ITEM_LET,
    ITEM_PROGRAM,
    ITEM_TABLE,
    ITEM_EXTEND               /* extend record NAME: u.record */
} ast_item_kind;

typedef struct ast_item {
    ast_item_kind kind;
    union {
        ast_record *record;   /* ITEM_RECORD, ITEM_EXTEND */
        ast_enum *enum_;
        ast_schema *schema;
        ast_fn *fn;
        ast_let *let;
        ast_program *program;
        ast_table *table;
    } u;
} ast_item;

typedef struct ast_file {
    uint32_t file;            /* index in the source table */
    ast_name module;          /* `module apn.partner`, or name NULL */
    ast_name_list imports;    /* `import apn.partner` (dotted names) */
    ast_item *items;
    uint32_t nitems;
} ast_file;

/* ------------------------------------------------------------ rule tests */

/* A rule-test file (docs/language.md "Tests") parses into the structures
 * that rubric.h hands out: rubric_test_file, its cases (rubric_test_case),
 * their `expect` lines (rubric_test_expect) and the values written in them
 * (rubric_test_value).  The parser builds them through ast_build.h, from
 * the lines of the file: a test's header, its `expect` lines, and the
 * settings below, which a test takes, or the file for every test below. */

typedef enum ast_test_setting {
    TEST_SET_AS_OF,           /* as_of DATE                               */
    TEST_SET_PROGRAM,         /* program "ID"                             */
    TEST_SET_DATA             /* data ["FILE.json"], [indented JSON]      */
} ast_test_setting;

#endif /* RUBRIC_AST_H */
