/*
 * sema.h — semantic analysis: declarations, name resolution and type
 * checking of every loaded file.  It annotates the AST (ast_expr.sema) and
 * builds the schema (records and enums) into the module under construction,
 * so that types are the module's type indices; lowering (lower.h) then
 * turns the annotated programs into chunks.
 *
 * Names resolve lexically (docs/language.md, "Names and scopes"), with one
 * exception: a `let` of a module or program may be redefined by a program
 * (or a program extending it), and inside that program every use of the
 * name sees the redefinition.  So an EX_NAME that refers to a let records
 * the let it names lexically, and lowering picks the definition in force in
 * the program being lowered.
 */
#ifndef RUBRIC_SEMA_H
#define RUBRIC_SEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "compiler.h"
#include "mbuild.h"
#include "symtab.h"

/* Parameters of a fn (and inputs of a table). */
#define SEMA_MAX_PARAMS 64u

/* Types are module type indices (mbuild.h), plus these analysis-only ones. */
#define TY_ERROR (UINT32_MAX - 1)       /* already reported: accept silently */
#define TY_NULL (UINT32_MAX - 2)        /* `null` before it meets a type      */
#define TY_DUR_DAYS (UINT32_MAX - 3)    /* `90 days`                          */
#define TY_DUR_MONTHS (UINT32_MAX - 4)  /* `12 months`                        */
#define TY_SET (UINT32_MAX - 5)         /* `{a, b}` before it meets `in`      */

/* What an expression's name refers to (ast_expr.sema.ref). */
typedef enum ref_kind {
    REF_NONE = 0,
    REF_LOCAL,        /* index: local (fn parameter or element)            */
    REF_LOCAL_FIELD,  /* index: local; target: (uintptr) field slot         */
    REF_ROOT_FIELD,   /* index: field slot of the partner record            */
    REF_LET,          /* target: let_info of the let named lexically        */
    REF_ENUM_VALUE,   /* index: value; target: (uintptr) enum index         */
    REF_FN,           /* EX_CALL of a user function; target: fn_info        */
    REF_BUILTIN,      /* EX_CALL of a builtin; index: builtin id            */
    REF_FAMILY        /* a family's value; target: its family_info          */
} ref_kind;

typedef enum let_level {
    LET_MODULE,
    LET_PROGRAM,
    LET_REQUIREMENT
} let_level;

typedef struct scope scope;
typedef struct prog_info prog_info;

/* A requirement family's values (ast_family.sema), in order: the value
 * each member binds its name to, and the members made of the template. */
typedef struct family_info {
    const ast_family *ast;
    uint32_t type;            /* the values' type: the enum, or string; TY_ERROR */
    uint32_t count;
    value *values;            /* value_enum(i), or a string of the list */
    const char **texts;       /* each value as `{NAME}` shows it in titles */
    ast_req **members;        /* [count], once made (sema_family.c) */
} family_info;

/* The value of a family member, while a requirement is evaluated or
 * lowered: a chain, innermost family first (families of parts nest). */
typedef struct family_binding {
    const family_info *family;
    uint32_t member;
    const struct family_binding *outer;
} family_binding;

/* A threshold worked out when the rules compile: a family's, in a tiered
 * program, by the dotted path of the member or part it belongs to. */
typedef struct computed_threshold {
    const char *path;
    ast_threshold threshold;
    struct computed_threshold *next;
} computed_threshold;

typedef struct let_info {
    ast_let *ast;
    let_level level;
    uint32_t file;
    scope *scope;           /* where its value is checked */
    prog_info *program;     /* LET_PROGRAM: declaring program */
    uint32_t type;
    uint8_t state;          /* 0 unchecked, 1 checking, 2 checked */
    bool reads_context;     /* partner, as_of or window (transitively) */
    bool reads_window;      /* window (transitively) */
    const char *module;     /* declaring module (visibility), or NULL */
    /* A later module-level let of the same name (an error, reported). */
    struct let_info *next_same_name;
    /* Lowering's memo: the chunk made for program lowered_for - 1. */
    uint32_t lowered_for;
    uint32_t chunk;
} let_info;

typedef struct fn_info {
    ast_fn *ast;
    uint32_t file;
    const char *module;
    uint32_t *param_types;
    uint32_t ret_type;
    uint8_t state;          /* 0 unchecked, 1 checking, 2 checked */
    uint32_t lowered_for;   /* lowering's memo, as for lets */
    uint32_t chunk;
    struct fn_info *next_same_name; /* a later fn of the same name (an error) */
} fn_info;

typedef struct type_info {
    const char *name;
    uint32_t file;
    const char *module;
    ast_loc loc;
    bool is_enum;
    uint32_t index;         /* record or enum index in the module */
    uint32_t type;          /* its type index */
} type_info;

/* A program after `extends` is applied: what lowering needs. */
struct prog_info {
    ast_program *ast;
    uint32_t file;
    prog_info *base;          /* extended program, or NULL */
    uint8_t state;            /* 0 unchecked, 1 checking, 2 checked */
    scope *scope;             /* its program scope */
    bool failed;              /* its header had errors: do not lower */
    symtab lets;              /* name -> let_info: own and inherited */
    /* Effective clauses (own, else inherited). */
    ast_expr *applies, *tier_by, *rolling, *renewal, *due;
    uint32_t tier_enum;       /* enum index, BC_NONE if unknown */
    uint32_t ntiers;
    uint32_t *tier_values;    /* enum value indices, ascending */
    const char **tier_names;
    /* The requirements (from the root of the extends chain). */
    ast_category *categories;
    uint32_t ncategories;
    /* Threshold overrides: dotted requirement path -> ast_threshold. */
    symtab overrides;
    /* The thresholds of its families' members, in its own lets' light. */
    computed_threshold *computed;
    /* A per-item program (`for each`): the scope of one item, whose
     * element is local 0 of every requirement's chunks. */
    bool per_item;
    scope *item_scope;
    uint32_t item_type;       /* the record type of an item */
    /* Report lists: the scope of one element of each, in order. */
    scope **report_scopes;
};

typedef enum scope_kind {
    SC_FILE,      /* module-level: lets, root fields                 */
    SC_PROGRAM,   /* program-level lets                              */
    SC_REQ,       /* requirement-level lets                          */
    SC_FN,        /* fn parameters (locals)                          */
    SC_ELEM       /* element of where/any/all (one local)            */
} scope_kind;

struct scope {
    scope_kind kind;
    scope *parent;
    uint32_t file;
    prog_info *program;       /* SC_PROGRAM */
    ast_req *req;             /* SC_REQ */
    fn_info *fn;              /* SC_FN */
    uint32_t elem_type;       /* SC_ELEM */
    const char *elem_name;    /* SC_ELEM of `for each NAME`: names the element */
    uint32_t first_local;     /* index of this scope's first local */
    uint32_t nlocals;         /* locals this scope adds */
    bool time_bound;          /* SC_REQ: `window` allowed */
};

/* Builtin functions (EX_CALL with REF_BUILTIN). */
typedef enum builtin_id {
    BI_COUNT,
    BI_SUM,
    BI_MAX,
    BI_MIN,
    BI_DISTINCT,
    BI_LENGTH,
    BI_IS_DIGITS,
    BI_ADD_DAYS,
    BI_ADD_MONTHS,
    BI_DAYS_BETWEEN,
    BI_MONTHS_BETWEEN,
    BI_BUSINESS_DAYS_BETWEEN,
    BI_FIRST_DAY,
    BI_MONTH_OF,
    BI_GET,
    BI__COUNT
} builtin_id;

/* What the expression being checked reads, for lets and requirements. */
typedef struct sema_reads {
    bool context;        /* the partner, as_of or window */
    bool window;
    ast_loc window_loc;  /* the first `window` read directly */
} sema_reads;

/* The state of the check in progress, saved around lazy checks of lets and
 * fns that a use triggers. */
typedef struct sema_ctx {
    sema_reads *reads;       /* NULL: not tracked */
    bool allow_sustained;    /* checking a requirement's measure */
    const char *clause;      /* checking a program clause ("applies when") */
} sema_ctx;

typedef struct sema {
    compiler *c;
    mbuild *b;
    diag_list *diags;
    arena *mem;
    const rubric_allocator *alloc;
    symtab types;             /* name -> type_info */
    symtab lets;              /* module-level: name -> let_info */
    symtab fns;               /* name -> fn_info */
    symtab programs;          /* id -> prog_info */
    uint32_t *file_order;     /* loaded files, each after what it imports */
    VEC(uint64_t) bad_fields; /* record << 32 | slot of fields of unknown type */
    VEC(prog_info *) program_list; /* in declaration order */
    VEC(let_info *) module_lets;   /* in declaration order */
    VEC(fn_info *) fn_list;        /* in declaration order */
    sema_ctx ctx;
    /* The schema. */
    ast_schema *schema;
    uint32_t schema_file;
    uint32_t root_record;     /* record index, BC_NONE without a schema */
    uint32_t root_type;
    /* Common types. */
    uint32_t t_int, t_money, t_date, t_month, t_bool, t_string, t_interval;
} sema;

/* Declarations, the schema, then every fn, let and program.  Errors go to
 * c->diags; returns false when any was reported. */
bool sema_run(sema *s, compiler *c, mbuild *b);
void sema_free(sema *s);

/* --- shared between the sema_*.c files and lower*.c --------------------- */

bool sema_is_optional(const sema *s, uint32_t t);
uint32_t sema_base(const sema *s, uint32_t t);     /* T for T? */
/* The type of field slot of record rec; TY_ERROR when its declared type
 * was unknown (reported once, where it is declared). */
uint32_t sema_field_type(const sema *s, uint32_t rec, uint32_t slot);
uint32_t sema_optional(sema *s, uint32_t t);
uint32_t sema_list_of(sema *s, uint32_t elem);
/* Kind of a (non-analysis) type, looking through T? when through_opt. */
type_kind sema_kind(const sema *s, uint32_t t, bool through_opt);
/* The element type of a list type, or TY_ERROR. */
uint32_t sema_elem(const sema *s, uint32_t list_type);
/* The record index of R or R?, or BC_NONE. */
uint32_t sema_record_of(const sema *s, uint32_t t);
/* Field slot by name in a record, or BC_NONE. */
uint32_t sema_field_slot(const sema *s, uint32_t record, const char *name);
/* "list of Individual", "date?" */
const char *sema_type_name(sema *s, uint32_t t);

/* Check an expression in a scope; returns its type (also stored in
 * e->sema.type). */
uint32_t sema_check_expr(sema *s, scope *sc, ast_expr *e);
/* Give `null` literals (and ifs of them) a concrete optional type. */
void sema_settle_null(sema *s, ast_expr *e, uint32_t type);
/* Check e and that it can be used where `want` is expected (T to T?,
 * null to T?).  Reports "expected X, found Y" otherwise. */
bool sema_check_assign(sema *s, scope *sc, ast_expr *e, uint32_t want,
                       const char *what);
/* Type a let lazily (on first use or in declaration order). */
uint32_t sema_let_type(sema *s, let_info *li, ast_loc use);
uint32_t sema_fn_check(sema *s, fn_info *fi, ast_loc use);

/* The type of local k visible in scope sc. */
uint32_t sema_local_type(const scope *sc, uint32_t k);

/* Is a declaration of `module` visible from `file`? (its own file, or a
 * module the file imports) */
bool sema_visible(const sema *s, uint32_t file, uint32_t decl_file);
/* Where a declaration comes from, for messages: "module 'apn.common'", or
 * the file's path in quotes when it declares no module. */
const char *sema_origin(sema *s, uint32_t file);
/* After "… which this file does not import": how, when `file` has no
 * module name to import it by. */
void sema_hint_import(sema *s, uint32_t file);
/* The fn or module-level let named `name` that a use in `file` means:
 * the file's own declaration, even a second one (already reported, so
 * that its uses are not reported again against the first), else the
 * first declared.  NULL when none. */
fn_info *sema_find_fn(const sema *s, uint32_t file, const char *name);
let_info *sema_find_let(const sema *s, uint32_t file, const char *name);

/* sema_prog.c: programs, categories, requirements. */
void sema_check_programs(sema *s);
/* sema_items.c: the clauses of per-item programs and report lists. */
void sema_check_per_item(sema *s, prog_info *pi);
void sema_check_reports(sema *s, prog_info *pi);
/* sema_table.c: every decision table's rows cover each case exactly once. */
void sema_check_tables(sema *s);
/* A scope for one element of a list, its fields as names and, when
 * elem_name is not NULL, the element itself by that name. */
scope *sema_elem_scope(sema *s, scope *parent, uint32_t elem_type, const char *elem_name);

/* The type an AST type names, seen from a file (reports unknown names). */
uint32_t sema_resolve_type(sema *s, uint32_t file, const ast_type *t);
/* Index of a builtin function by name, or -1. */
int sema_builtin_id(const char *name);
/* The unit a requirement's threshold gives it (node_unit). */
uint8_t sema_req_unit(const sema *s, const ast_req *req, const ast_threshold *th);
/* A threshold column written as a literal (a number, an amount, months,
 * `yes`), not computed. */
bool sema_literal_column(const ast_expr *c);
/* The definition of a let in force in program pi (a program may redefine
 * the lets of its base and of modules). */
let_info *sema_effective_let(const prog_info *pi, let_info *li);
/* What a bare name means in sc, without reporting: REF_NONE when nothing
 * declares it. */
ref_kind sema_name_ref(sema *s, const scope *sc, const char *name);

/* sema_family.c: requirement families (docs/language.md, "Requirement
 * families").  Replace each family written in *list by its members, made
 * from it for each value (sc: the scope the family is declared in). */
void sema_expand_families(sema *s, scope *sc, ast_req_list *list);
/* A member's template is checked once: its members then take its parts,
 * whose families it has expanded. */
void sema_family_share_parts(const ast_req *tmpl);
/* The innermost family whose value is in scope in sc, or NULL. */
const family_info *sema_family_around(const scope *sc);
/* A bare name e that found `found`, where it hides a family's value of
 * the same name (an element, or its field): reported, true. */
bool sema_family_hidden(sema *s, const scope *sc, const ast_expr *e, ref_kind found);
/* At most SEMA_MAX_NODES requirements and parts in a program, members of
 * families included (reported, pi->failed, false otherwise). */
#define SEMA_MAX_NODES 10000u
bool sema_family_size_ok(sema *s, prog_info *pi);
/* Work out the computed thresholds of every family member of a tiered
 * program, for it (pi->computed). */
void sema_family_thresholds(sema *s, prog_info *pi);
/* The threshold worked out for path in pi, or NULL. */
const ast_threshold *sema_computed_threshold(const prog_info *pi, const char *path);
/* The value a family binding chain gives the family f (REF_FAMILY). */
value sema_family_value(const family_binding *b, const family_info *f);

/* sema_const.c: the value of e, computed when the rules compile for the
 * family members bound in b: a threshold of a tiered program.  What it
 * cannot compute (division by zero, a date) is reported at e, naming the
 * requirement at path; false then. */
bool sema_const_eval(sema *s, const prog_info *pi, const family_binding *b, const ast_expr *e,
                     const char *path, value *out);

#endif /* RUBRIC_SEMA_H */
