/*
 * parser.y — the grammar of the Rubric language (docs/language.md).
 *
 * A pure parser fed by the layout layer (layout.h), which turns the
 * indentation into NEWLINE, INDENT and DEDENT tokens.  Actions only build
 * the tree of ast.h, through ast_build.h, in the compilation's arena;
 * every check of meaning is left to the semantic passes.
 *
 * Error recovery is by line: each block's statement list has an
 * `error NEWLINE` alternative, so a bad line costs one diagnostic and the
 * parser carries on with the next one (the layout layer also drops any
 * block indented under the bad line: ctx->skip_deeper).  syntax_error.c
 * words the messages.
 */
%code requires {
#include "ast_build.h"
}

%code {
#include "layout.h"
#include "parse_ctx.h"
#include "syntax_error.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                       \
    do {                                                                  \
        if (N) {                                                          \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                           \
            (Cur).line = YYRHSLOC(Rhs, 1).line;                           \
            (Cur).col = YYRHSLOC(Rhs, 1).col;                             \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                   \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                     \
        } else {                                                          \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                           \
            (Cur).line = (Cur).end_line = YYRHSLOC(Rhs, 0).end_line;      \
            (Cur).col = (Cur).end_col = YYRHSLOC(Rhs, 0).end_col;         \
        }                                                                 \
    } while (0)

/* Far above what any rules file needs; the nesting limits keep real
 * input well below it. */
#define YYMAXDEPTH 5000

/* No malloc in the parser.  Its stacks grow in the parse's arena
 * (yyoverflow, parse_stack_copy).  What look-ahead correction explores
 * has a stack of its own, 20 states on the C stack that this grammar's
 * chains of empty rules never come near; only YYSTACK_ALLOC would grow
 * it, and it refuses: the parse would end as nested too deeply. */
#define YYSTACK_ALLOC(size) NULL
#define yyoverflow(message, ss, ss_used, vs, vs_used, ls, ls_used, size)              \
    do {                                                                            \
        YYPTRDIFF_T to_ = *(size) > YYMAXDEPTH / 2 ? YYMAXDEPTH : 2 * *(size);      \
        void *ss_ = NULL, *vs_ = NULL, *ls_ = NULL;                                 \
        if (*(size) < YYMAXDEPTH &&                                                 \
            (ss_ = parse_stack_copy(ctx, *(ss), ss_used, to_ * sizeof **(ss))) &&   \
            (vs_ = parse_stack_copy(ctx, *(vs), vs_used, to_ * sizeof **(vs))) &&   \
            (ls_ = parse_stack_copy(ctx, *(ls), ls_used, to_ * sizeof **(ls)))) {   \
            *(ss) = ss_;                                                            \
            *(vs) = vs_;                                                            \
            *(ls) = ls_;                                                            \
            *(size) = to_;                                                          \
        } else {                                                                    \
            rbp_error(&yylloc, ctx, message);                                       \
        }                                                                           \
    } while (0)

/* Bison's own errors: only "memory exhausted", from a parser stack that
 * outgrew YYMAXDEPTH (when the arena ran out, ctx->oom says so and the
 * error is not reported). */
static void rbp_error(ast_loc *loc, parse_ctx *ctx, const char *msg)
{
    (void)msg;
    parse_error(ctx, *loc, "this expression is nested too deeply");
}
}

%define api.pure full
%define api.prefix {rbp_}
%define api.location.type {ast_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {parse_ctx *ctx}
%expect 0

%union {
    int64_t i;
    struct {
        int64_t amount;
        ast_duration_unit unit;
    } dur;
    struct {
        const char *ptr;
        uint32_t len;
    } str;
    const char *name;
    ast_name nm;
    ast_expr *expr;
    ast_type *type;
    ast_field *field;
    ast_enum *enum_;
    ast_let *let;
    ast_program *program;
    ast_req *req;
    ast_category *category;
    parse_measure *measure;
    ast_threshold threshold;
    parse_vec vec;
    struct {
        parse_vec args, by;
    } args;
    int flags;
    rubric_test_value tval;
}

%token <name> T_IDENT "a name"
%token <i> T_INT "a number"
%token <i> T_MONEY "an amount"
%token <i> T_DATE "a date"
%token <i> T_MONTH "a month"
%token <dur> T_DURATION "a duration"
%token <str> T_STRING "a string"
%token T_NEWLINE "end of line"
%token T_INDENT "an indented block"
%token T_DEDENT "end of block"

%token T_ALIAS "'alias'" T_ALL "'all'" T_AND "'and'" T_ANY "'any'"
%token T_APPLIES "'applies'" T_AS_OF "'as_of'" T_AT_RISK "'at_risk'" T_BY "'by'"
%token T_CATEGORY "'category'" T_DUE "'due'" T_EITHER "'either'" T_ELSE "'else'"
%token T_ENUM "'enum'" T_EXCEPT "'except'" T_EXTENDS "'extends'" T_FALSE "'false'"
%token T_FN "'fn'" T_FOR "'for'" T_GRACE "'grace'" T_IF "'if'" T_IMPORT "'import'" T_IN "'in'"
%token T_IT "'it'" T_LET "'let'" T_MODULE "'module'" T_NOT "'not'"
%token T_NOT_APPLICABLE "'not_applicable'" T_NULL "'null'" T_OF "'of'" T_OR "'or'"
%token T_PART "'part'" T_PROGRAM "'program'" T_RECORD "'record'"
%token T_REQUIREMENT "'requirement'" T_REQUIRED "'required'" T_ROOT "'root'"
%token T_SCHEMA "'schema'" T_SUSTAINED "'sustained'" T_THEN "'then'" T_TIERS "'tiers'"
%token T_TIME_BOUND "'time_bound'" T_TRUE "'true'" T_WHEN "'when'" T_WHERE "'where'"
%token T_WINDOW "'window'" T_AT_LEAST "'at least'" T_AT_MOST "'at most'"
%token T_EQ "'=='" T_NE "'!='" T_LE "'<='" T_GE "'>='" T_COALESCE "'??'"

/* Rule-test files: their words, and the JSON block under `data`. */
%token T_TEST "'test'" T_DATA "'data'" T_EXPECT "'expect'"
%token <str> T_JSON "a JSON block"
/* The first token of a parse: what it reads (parse.c). */
%token T_START_RULES "rules" T_START_TESTS "a test file"

%left T_WHERE
%precedence T_ELSE
%left T_OR
%left T_AND
%precedence T_NOT
%nonassoc T_EQ T_NE '<' T_LE '>' T_GE T_IN
%right T_COALESCE
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%type <nm> dotted
%type <expr> expr postfix primary path_expr column required_column field_default field_when
%type <expr> due_opt label_opt
%type <type> type type_base let_type
%type <field> field
%type <flags> annotations req_flags
%type <enum_> enum_values enum_or enum_lt
%type <vec> fields aliases params param_list expr_list columns required_columns names
%type <vec> tier_names cat_body report_block report_columns table_rows table_cells
%type <nm> table_cell
%type <let> let
%type <program> members program_header
%type <req> req_body req_block requirement part req_rest
%type <category> category
%type <measure> measure
%type <threshold> threshold
%type <args> args
%type <nm> cat_name
%type <nm> req_id family_id
%type <expr> family_values
%type <tval> test_value test_value_opt test_word data_file data_block

%%

start:
    T_START_RULES file
  | T_START_TESTS test_file
  ;

file:
    module_opt imports items
  ;

module_opt:
    %empty
  | T_MODULE dotted T_NEWLINE      { ctx->out->module = $2; }
  | T_MODULE error T_NEWLINE       { yyerrok; }
  ;

imports:
    %empty
  | imports T_IMPORT dotted T_NEWLINE  { parse_vec_add(ctx, &ctx->imports, &$3, sizeof $3); }
  | imports T_IMPORT error T_NEWLINE   { yyerrok; }
  ;

dotted:
    T_IDENT                 { $$ = ast_make_name($1, @1); }
  | dotted '.' T_IDENT      { $$ = ast_dotted_append(ctx, $1, $3, @3); }
  ;

items:
    %empty
  | items item
  ;

item:
    schema
  | record
  | enum
  | fn
  | let                     { ast_add_item(ctx, ITEM_LET, $1); }
  | program
  | table
  | error T_NEWLINE         { yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ data */

schema:
    T_SCHEMA T_STRING T_ROOT T_IDENT T_NEWLINE
      {
        ast_schema *s = parse_alloc(ctx, sizeof *s);
        s->id = $2.ptr;
        s->id_loc = @2;
        s->root = ast_make_name($4, @4);
        s->loc = ast_span(@1, @4);
        ast_add_item(ctx, ITEM_SCHEMA, s);
      }
  ;

record:
    T_RECORD T_IDENT T_NEWLINE T_INDENT fields T_DEDENT
      {
        ast_record *r = parse_alloc(ctx, sizeof *r);
        r->name = ast_make_name($2, @2);
        r->fields = $5.items;
        r->nfields = $5.count;
        ast_add_item(ctx, ITEM_RECORD, r);
      }
  /* `extend record NAME`: `extend` stays an ordinary name elsewhere. */
  | T_IDENT T_RECORD T_IDENT T_NEWLINE T_INDENT fields T_DEDENT
      { ast_add_extend(ctx, $1, @1, ast_make_name($3, @3), $6); }
  ;

fields:
    %empty                  { $$ = (parse_vec){0}; }
  | fields field            { $$ = $1; parse_vec_add(ctx, &$$, $2, sizeof *$2); }
  | fields error T_NEWLINE  { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

field:
    T_IDENT ':' type field_default field_when annotations T_NEWLINE
      {
        $$ = parse_alloc(ctx, sizeof *$$);
        $$->name = ast_make_name($1, @1);
        $$->type = $3;
        $$->default_value = $4;
        $$->required_when = $5;
        $$->annotations = (uint8_t)$6;
        $$->loc = ast_span(@1, @6);
      }
  ;

field_default:
    %empty                  { $$ = NULL; }
  | '=' expr                { $$ = $2; }
  ;

field_when:
    %empty                  { $$ = NULL; }
  | T_REQUIRED T_WHEN expr  { $$ = $3; }
  ;

annotations:
    %empty                  { $$ = 0; }
  | annotations T_IDENT     { $$ = $1 | ast_field_annotation(ctx, $2, @2); }
  ;

type:
    type_base
  | T_IDENT T_OF type       { $$ = ast_container_type(ctx, $1, @1, $3, @$); }
  ;

type_base:
    T_IDENT                 { $$ = ast_new_type(ctx, TY_NAME, $1, NULL, @1); }
  | '(' type ')'            { $$ = $2; }
  | type_base '?'           { $$ = ast_new_type(ctx, TY_OPTIONAL, NULL, $1, @$); }
  ;

enum:
    T_ENUM T_IDENT enum_values T_NEWLINE
      {
        $3->name = ast_make_name($2, @2);
        ast_add_item(ctx, ITEM_ENUM, $3);
      }
  | T_ENUM T_IDENT enum_values T_NEWLINE T_INDENT aliases T_DEDENT
      {
        $3->name = ast_make_name($2, @2);
        $3->aliases = $6.items;
        $3->naliases = $6.count;
        ast_add_item(ctx, ITEM_ENUM, $3);
      }
  ;

enum_values:
    T_IDENT
      {
        $$ = parse_alloc(ctx, sizeof *$$);
        ast_name n = ast_make_name($1, @1);
        parse_vec v = {0};
        parse_vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_or
  | enum_lt                 { $$ = $1; $$->ordered = true; }
  ;

enum_or:
    T_IDENT '|' T_IDENT
      {
        $$ = parse_alloc(ctx, sizeof *$$);
        ast_name a = ast_make_name($1, @1), b = ast_make_name($3, @3);
        parse_vec v = {0};
        parse_vec_add(ctx, &v, &a, sizeof a);
        parse_vec_add(ctx, &v, &b, sizeof b);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_or '|' T_IDENT
      {
        $$ = $1;
        ast_name n = ast_make_name($3, @3);
        parse_vec v = parse_vec_of(ctx, $$->values.items, $$->values.count);
        parse_vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  ;

enum_lt:
    T_IDENT '<' T_IDENT
      {
        $$ = parse_alloc(ctx, sizeof *$$);
        ast_name a = ast_make_name($1, @1), b = ast_make_name($3, @3);
        parse_vec v = {0};
        parse_vec_add(ctx, &v, &a, sizeof a);
        parse_vec_add(ctx, &v, &b, sizeof b);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_lt '<' T_IDENT
      {
        $$ = $1;
        ast_name n = ast_make_name($3, @3);
        parse_vec v = parse_vec_of(ctx, $$->values.items, $$->values.count);
        parse_vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  ;

aliases:
    %empty                  { $$ = (parse_vec){0}; }
  | aliases T_ALIAS T_IDENT '=' T_IDENT T_NEWLINE
      {
        $$ = $1;
        ast_alias a = {ast_make_name($3, @3), ast_make_name($5, @5)};
        parse_vec_add(ctx, &$$, &a, sizeof a);
      }
  | aliases error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ definitions */

fn:
    T_FN T_IDENT '(' params ')' ':' type '=' expr T_NEWLINE
      {
        ast_fn *f = parse_alloc(ctx, sizeof *f);
        f->name = ast_make_name($2, @2);
        f->params = $4.items;
        f->nparams = $4.count;
        f->ret = $7;
        f->body = $9;
        f->loc = ast_span(@1, @9);
        ast_add_item(ctx, ITEM_FN, f);
      }
  ;

params:
    %empty                  { $$ = (parse_vec){0}; }
  | param_list
  ;

param_list:
    T_IDENT ':' type
      {
        $$ = (parse_vec){0};
        ast_param p = {ast_make_name($1, @1), $3};
        parse_vec_add(ctx, &$$, &p, sizeof p);
      }
  | param_list ',' T_IDENT ':' type
      {
        $$ = $1;
        ast_param p = {ast_make_name($3, @3), $5};
        parse_vec_add(ctx, &$$, &p, sizeof p);
      }
  ;

let:
    T_LET T_IDENT let_type '=' expr T_NEWLINE
      { $$ = ast_new_let(ctx, ast_make_name($2, @2), $3, $5, ast_span(@1, @5)); }
  ;

let_type:
    %empty                  { $$ = NULL; }
  | ':' type                { $$ = $2; }
  ;

/* ------------------------------------------------------------ programs */

program:
    program_header T_NEWLINE T_INDENT members T_DEDENT
      {
        ast_program *p = $4;
        p->id = $1->id;
        p->id_loc = $1->id_loc;
        p->title = $1->title;
        p->version = $1->version;
        p->loc = $1->loc;
        ast_add_item(ctx, ITEM_PROGRAM, p);
      }
  ;

program_header:
    T_PROGRAM T_STRING T_STRING T_IDENT T_STRING
      {
        ast_check_version_word(ctx, $4, @4);
        $$ = parse_alloc(ctx, sizeof *$$);
        $$->id = $2.ptr;
        $$->id_loc = @2;
        $$->title = $3.ptr;
        $$->version = $5.ptr;
        $$->loc = @$;
      }
  ;

members:
    %empty                  { $$ = parse_alloc(ctx, sizeof *$$); }
  | members T_EXTENDS T_STRING T_NEWLINE
      { $$ = $1; ast_set_extends(ctx, $$, $3.ptr, @3, @2); }
  | members T_APPLIES T_WHEN expr T_NEWLINE
      { $$ = $1; ast_set_once(ctx, &$$->applies, $4, @2, "`applies when`"); }
  | members T_TIERS tier_names T_BY expr T_NEWLINE
      { $$ = $1; ast_set_tiers(ctx, $$, $3, $5, @2); }
  | members T_IDENT T_WINDOW expr due_opt T_NEWLINE
      { $$ = $1; ast_set_window(ctx, $$, ast_make_name($2, @2), $4, $5, @5); }
  | members let
      {
        $$ = $1;
        parse_vec v = parse_vec_of(ctx, $$->lets, $$->nlets);
        parse_vec_add_ptr(ctx, &v, $2);
        $$->lets = v.items;
        $$->nlets = v.count;
      }
  | members T_REQUIREMENT dotted threshold T_NEWLINE
      {
        $$ = $1;
        ast_req *o = parse_alloc(ctx, sizeof *o);
        o->id = $3;
        o->threshold = $4;
        o->loc = ast_span(@2, @4);
        parse_vec v = parse_vec_of(ctx, $$->overrides.items, $$->overrides.count);
        parse_vec_add_ptr(ctx, &v, o);
        $$->overrides = (ast_req_list){v.items, v.count};
      }
  | members T_FOR T_IDENT T_IDENT T_IN expr T_IDENT T_IDENT label_opt T_NEWLINE report_block
      {
        $$ = $1;
        ast_set_for_each(ctx, $$, $3, @3, ast_make_name($4, @4), $6, $7, @7,
                         ast_make_name($8, @8), $9, $11, ast_span(@2, @8));
      }
  | members T_IDENT T_WHEN expr T_STRING T_NEWLINE
      { $$ = $1; ast_add_item_error(ctx, $$, $2, @2, $4, $5.ptr, @5); }
  | members category
      {
        $$ = $1;
        parse_vec v = parse_vec_of(ctx, $$->categories, $$->ncategories);
        parse_vec_add(ctx, &v, $2, sizeof *$2);
        $$->categories = v.items;
        $$->ncategories = v.count;
      }
  | members error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

tier_names:
    T_IDENT
      {
        $$ = (parse_vec){0};
        ast_name n = ast_make_name($1, @1);
        parse_vec_add(ctx, &$$, &n, sizeof n);
      }
  | tier_names '<' T_IDENT
      {
        $$ = $1;
        ast_name n = ast_make_name($3, @3);
        parse_vec_add(ctx, &$$, &n, sizeof n);
      }
  ;

label_opt:
    %empty                  { $$ = NULL; }
  | T_IDENT expr
      { $$ = $2; if (!ast_expect_word(ctx, $1, "label", @1)) $$ = NULL; }
  ;

report_block:
    %empty                  { $$ = (parse_vec){0}; }
  | T_INDENT report_columns T_DEDENT { $$ = $2; }
  ;

report_columns:
    %empty                  { $$ = (parse_vec){0}; }
  | report_columns T_IDENT '=' expr T_NEWLINE
      {
        $$ = $1;
        ast_report_column c = {ast_make_name($2, @2), $4};
        parse_vec_add(ctx, &$$, &c, sizeof c);
      }
  | report_columns error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

due_opt:
    %empty                  { $$ = NULL; }
  | T_DUE expr              { $$ = $2; }
  ;

category:
    T_CATEGORY cat_name T_NEWLINE T_INDENT cat_body T_DEDENT
      {
        $$ = parse_alloc(ctx, sizeof *$$);
        $$->name = $2;
        $$->reqs = (ast_req_list){$5.items, $5.count};
      }
  ;

cat_name:
    T_IDENT                 { $$ = ast_make_name($1, @1); }
  | T_STRING                { $$ = ast_make_name($1.ptr, @1); }
  ;

cat_body:
    %empty                  { $$ = (parse_vec){0}; }
  | cat_body requirement    { $$ = $1; parse_vec_add_ptr(ctx, &$$, $2); }
  | cat_body error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ decision tables */

table:
    T_IDENT T_IDENT '(' params ')' ':' type T_NEWLINE T_INDENT table_rows T_DEDENT
      { ast_add_table(ctx, $1, @1, ast_make_name($2, @2), $4, $7, $10, ast_span(@1, @7)); }
  ;

table_rows:
    %empty                  { $$ = (parse_vec){0}; }
  | table_rows table_cells T_NEWLINE
      {
        $$ = $1;
        ast_table_row r = {$2.items, $2.count, @2};
        parse_vec_add(ctx, &$$, &r, sizeof r);
      }
  | table_rows error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

table_cells:
    table_cell              { $$ = (parse_vec){0}; parse_vec_add(ctx, &$$, &$1, sizeof $1); }
  | table_cells '|' table_cell { $$ = $1; parse_vec_add(ctx, &$$, &$3, sizeof $3); }
  ;

table_cell:
    '-'                     { $$ = ast_make_name(NULL, @1); }
  | T_IDENT                 { $$ = ast_make_name($1, @1); }
  | T_TRUE                  { $$ = ast_make_name("true", @1); }
  | T_FALSE                 { $$ = ast_make_name("false", @1); }
  ;

/* ------------------------------------------------------------ requirements */

requirement:
    T_REQUIREMENT req_rest  { $$ = $2; $$->loc = ast_span(@1, @2); }
  ;

part:
    T_PART req_rest         { $$ = $2; $$->is_part = true; $$->loc = ast_span(@1, @2); }
  ;

/* Everything after `requirement` or `part`; its location is the header. */
req_rest:
    req_id T_STRING req_flags T_NEWLINE req_block
      {
        @$ = ast_span(@1, @3);
        $$ = ast_finish_req(ctx, $5, $1, $2.ptr, @2, $3, NULL, @$);
      }
  | req_id T_STRING req_flags measure T_NEWLINE req_block
      {
        @$ = ast_span(@1, @4);
        $$ = ast_finish_req(ctx, $6, $1, $2.ptr, @2, $3, $4, @$);
      }
  | req_id T_STRING req_flags T_FOR T_IDENT T_IDENT T_IN family_values T_NEWLINE req_block
      {
        @$ = ast_span(@1, @8);
        $$ = ast_finish_req(ctx, $10, $1, $2.ptr, @2, $3, NULL, @$);
        ast_set_family(ctx, $$, $5, @5, ast_make_name($6, @6), $8, ast_span(@4, @8));
      }
  ;

/* A requirement's id; a family's holds its value's name, audit_{area}. */
req_id:
    T_IDENT                 { $$ = ast_make_name($1, @1); }
  | family_id
  ;

family_id:
    T_IDENT '{' T_IDENT '}'
      {
        ast_name head = ast_make_name($1, @1);
        $$ = ast_id_piece(ctx, &head, $3, true, ast_span(@2, @4));
      }
  | family_id T_IDENT       { $$ = ast_id_piece(ctx, &$1, $2, false, @2); }
  | family_id '{' T_IDENT '}' { $$ = ast_id_piece(ctx, &$1, $3, true, ast_span(@2, @4)); }
  ;

/* An enum's name or a list of strings; `{}`, an empty list, is reported
 * by sema like any list it cannot go over. */
family_values:
    expr
  | '{' '}'                 { $$ = ast_set_expr(ctx, (parse_vec){0}, @$); }
  ;

req_flags:
    %empty                  { $$ = 0; }
  | req_flags T_TIME_BOUND  { $$ = $1 | REQ_FLAG_TIME_BOUND; }
  | req_flags T_EITHER      { $$ = $1 | REQ_FLAG_EITHER; }
  ;

req_block:
    %empty                  { $$ = NULL; }
  | T_INDENT req_body T_DEDENT { $$ = $2; }
  ;

req_body:
    %empty                  { $$ = parse_alloc(ctx, sizeof *$$); }
  | req_body let
      {
        $$ = $1;
        parse_vec v = parse_vec_of(ctx, $$->lets, $$->nlets);
        parse_vec_add_ptr(ctx, &v, $2);
        $$->lets = v.items;
        $$->nlets = v.count;
      }
  | req_body measure T_NEWLINE { $$ = $1; ast_set_measure(ctx, $$, $2); }
  | req_body part
      {
        $$ = $1;
        parse_vec v = parse_vec_of(ctx, $$->parts.items, $$->parts.count);
        parse_vec_add_ptr(ctx, &v, $2);
        $$->parts = (ast_req_list){v.items, v.count};
      }
  | req_body T_NOT_APPLICABLE T_WHEN expr T_NEWLINE
      { $$ = $1; ast_set_once(ctx, &$$->na_when, $4, @2, "`not_applicable when`"); }
  | req_body T_GRACE T_WHEN expr T_NEWLINE
      { $$ = $1; ast_set_once(ctx, &$$->grace_when, $4, @2, "`grace when`"); }
  | req_body T_AT_RISK T_WHEN expr T_NEWLINE
      { $$ = $1; ast_set_once(ctx, &$$->at_risk_when, $4, @2, "`at_risk when`"); }
  | req_body error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

measure:
    expr threshold          { $$ = ast_new_measure(ctx, $1, $2); }
  | T_SUSTAINED T_IDENT T_EXCEPT names threshold
      {
        ast_expr *e = ast_sustained(ctx, ast_make_name($2, @2), $4, ast_span(@1, @4));
        $$ = ast_new_measure(ctx, e, $5);
      }
  ;

names:
    T_IDENT
      {
        $$ = (parse_vec){0};
        ast_name n = ast_make_name($1, @1);
        parse_vec_add(ctx, &$$, &n, sizeof n);
      }
  | names ',' T_IDENT
      {
        $$ = $1;
        ast_name n = ast_make_name($3, @3);
        parse_vec_add(ctx, &$$, &n, sizeof n);
      }
  ;

threshold:
    T_AT_LEAST columns      { $$ = ast_make_threshold(THR_AT_LEAST, $2, @$); }
  | T_AT_MOST columns       { $$ = ast_make_threshold(THR_AT_MOST, $2, @$); }
  | T_REQUIRED
      {
        parse_vec v = {0};
        parse_vec_add_ptr(ctx, &v, ast_literal_bool(ctx, true, @1));
        $$ = ast_make_threshold(THR_REQUIRED, v, @$);
      }
  | T_REQUIRED required_columns { $$ = ast_make_threshold(THR_REQUIRED, $2, @$); }
  ;

columns:
    column                  { $$ = (parse_vec){0}; parse_vec_add_ptr(ctx, &$$, $1); }
  | columns '|' column      { $$ = $1; parse_vec_add_ptr(ctx, &$$, $3); }
  ;

column:
    '-'                     { $$ = NULL; }
  | expr
  ;

required_columns:
    required_column         { $$ = (parse_vec){0}; parse_vec_add_ptr(ctx, &$$, $1); }
  | required_columns '|' required_column { $$ = $1; parse_vec_add_ptr(ctx, &$$, $3); }
  ;

required_column:
    '-'                     { $$ = NULL; }
  | T_IDENT                 { $$ = ast_required_column(ctx, $1, @1); }
  ;

/* ------------------------------------------------------------ expressions */

expr:
    postfix
  | '-' expr %prec UMINUS   { $$ = ast_unary(ctx, OPX_NEG, $2, @$); }
  | T_NOT expr              { $$ = ast_unary(ctx, OPX_NOT, $2, @$); }
  | expr '+' expr           { $$ = ast_binary(ctx, OPX_ADD, $1, $3); }
  | expr '-' expr           { $$ = ast_binary(ctx, OPX_SUB, $1, $3); }
  | expr '*' expr           { $$ = ast_binary(ctx, OPX_MUL, $1, $3); }
  | expr '/' expr           { $$ = ast_binary(ctx, OPX_DIV, $1, $3); }
  | expr T_EQ expr          { $$ = ast_binary(ctx, OPX_EQ, $1, $3); }
  | expr T_NE expr          { $$ = ast_binary(ctx, OPX_NE, $1, $3); }
  | expr '<' expr           { $$ = ast_binary(ctx, OPX_LT, $1, $3); }
  | expr T_LE expr          { $$ = ast_binary(ctx, OPX_LE, $1, $3); }
  | expr '>' expr           { $$ = ast_binary(ctx, OPX_GT, $1, $3); }
  | expr T_GE expr          { $$ = ast_binary(ctx, OPX_GE, $1, $3); }
  | expr T_IN expr          { $$ = ast_binary(ctx, OPX_IN, $1, $3); }
  | expr T_AND expr         { $$ = ast_binary(ctx, OPX_AND, $1, $3); }
  | expr T_OR expr          { $$ = ast_binary(ctx, OPX_OR, $1, $3); }
  | expr T_COALESCE expr    { $$ = ast_binary(ctx, OPX_COALESCE, $1, $3); }
  | expr T_WHERE expr       { $$ = ast_where_expr(ctx, EX_WHERE, $1, $3, @$); }
  | T_IF expr T_THEN expr T_ELSE expr %prec T_ELSE
      { $$ = ast_if_expr(ctx, $2, $4, $6, @$); }
  ;

postfix:
    primary
  | postfix '.' T_IDENT     { $$ = ast_field_expr(ctx, $1, $3, @3); }
  ;

primary:
    T_INT                   { $$ = ast_literal_int(ctx, EX_INT, $1, @1); }
  | T_MONEY                 { $$ = ast_literal_int(ctx, EX_MONEY, $1, @1); }
  | T_DATE                  { $$ = ast_literal_int(ctx, EX_DATE, $1, @1); }
  | T_MONTH                 { $$ = ast_literal_int(ctx, EX_MONTH, $1, @1); }
  | T_DURATION
      {
        $$ = ast_new_expr(ctx, EX_DURATION, @1);
        $$->u.dur.amount = $1.amount;
        $$->u.dur.unit = $1.unit;
      }
  | T_STRING
      {
        $$ = ast_new_expr(ctx, EX_STRING, @1);
        $$->u.str.ptr = $1.ptr;
        $$->u.str.len = $1.len;
      }
  | T_TRUE                  { $$ = ast_literal_bool(ctx, true, @1); }
  | T_FALSE                 { $$ = ast_literal_bool(ctx, false, @1); }
  | T_NULL                  { $$ = ast_new_expr(ctx, EX_NULL, @1); }
  | T_IT                    { $$ = ast_new_expr(ctx, EX_IT, @1); }
  | T_AS_OF                 { $$ = ast_new_expr(ctx, EX_AS_OF, @1); }
  | T_WINDOW                { $$ = ast_new_expr(ctx, EX_WINDOW, @1); }
  | T_IDENT                 { $$ = ast_name_expr(ctx, $1, @1); }
  | T_IDENT '(' args ')'    { $$ = ast_call(ctx, $1, @1, $3.args, $3.by, @$); }
  | '(' expr ')'            { $$ = $2; }
  | '(' expr ',' expr ')'   { $$ = ast_interval(ctx, $2, $4, true, true, @$); }
  | '(' expr ',' expr ']'   { $$ = ast_interval(ctx, $2, $4, true, false, @$); }
  | '[' expr ',' expr ')'   { $$ = ast_interval(ctx, $2, $4, false, true, @$); }
  | '[' expr ',' expr ']'   { $$ = ast_interval(ctx, $2, $4, false, false, @$); }
  | '{' expr_list '}'       { $$ = ast_set_expr(ctx, $2, @$); }
  | T_ANY path_expr '(' expr ')' { $$ = ast_where_expr(ctx, EX_ANY, $2, $4, @$); }
  | T_ALL path_expr '(' expr ')' { $$ = ast_where_expr(ctx, EX_ALL, $2, $4, @$); }
  | T_SUSTAINED T_IDENT     { $$ = ast_sustained(ctx, ast_make_name($2, @2), (parse_vec){0}, @$); }
  ;

path_expr:
    T_IDENT                 { $$ = ast_name_expr(ctx, $1, @1); }
  | path_expr '.' T_IDENT   { $$ = ast_field_expr(ctx, $1, $3, @3); }
  ;

args:
    %empty                  { $$.args = (parse_vec){0}; $$.by = (parse_vec){0}; }
  | expr_list               { $$.args = $1; $$.by = (parse_vec){0}; }
  | expr_list T_BY expr_list { $$.args = $1; $$.by = $3; }
  | T_BY expr_list          { $$.args = (parse_vec){0}; $$.by = $2; }
  ;

expr_list:
    expr                    { $$ = (parse_vec){0}; parse_vec_add_ptr(ctx, &$$, $1); }
  | expr_list ',' expr      { $$ = $1; parse_vec_add_ptr(ctx, &$$, $3); }
  ;

/* ------------------------------------------------------------ rule tests */

/* A test file (docs/language.md "Tests"): settings for the tests below
 * them, and tests.  An `expect` line has one of a few shapes; its first
 * word, checked in the action, says what it expects. */
test_file:
    %empty
  | test_file test_setting
  | test_file test
  | test_file error T_NEWLINE { yyerrok; ctx->skip_deeper = true; }
  ;

test:
    test_header test_block  { ast_test_end(ctx); }
  ;

test_header:
    T_TEST T_STRING T_NEWLINE
      { ast_test_begin(ctx, ast_test_text(RUBRIC_TEST_STRING, $2.ptr, $2.len, @2)); }
  ;

test_block:
    %empty
  | T_INDENT test_lines T_DEDENT
  ;

test_lines:
    %empty
  | test_lines test_setting
  | test_lines expect
  | test_lines error T_NEWLINE { yyerrok; ctx->skip_deeper = true; }
  ;

test_setting:
    T_AS_OF T_DATE T_NEWLINE
      {
        ast_test_set(ctx, TEST_SET_AS_OF, ast_test_number(RUBRIC_TEST_DATE, $2, @2),
                     (rubric_test_value){0}, @1);
      }
  | T_PROGRAM T_STRING T_NEWLINE
      {
        rubric_test_value id = ast_test_text(RUBRIC_TEST_STRING, $2.ptr, $2.len, @2);
        ast_test_set(ctx, TEST_SET_PROGRAM, id, (rubric_test_value){0}, @1);
      }
  | T_DATA data_file T_NEWLINE data_block
      { ast_test_set(ctx, TEST_SET_DATA, $2, $4, @1); }
  ;

data_file:
    %empty                  { $$ = (rubric_test_value){0}; }
  | T_STRING                { $$ = ast_test_text(RUBRIC_TEST_STRING, $1.ptr, $1.len, @1); }
  ;

data_block:
    %empty                  { $$ = (rubric_test_value){0}; }
  | T_INDENT T_JSON T_NEWLINE T_DEDENT { $$ = ast_test_json(ctx, $2.ptr, $2.len, @2); }
  ;

expect:
    T_EXPECT T_IDENT T_NEWLINE
      { ast_test_expect_word(ctx, ast_test_name($2, @2)); }
  | T_EXPECT T_IDENT test_value T_NEWLINE
      { ast_test_expect_scalar(ctx, ast_test_name($2, @2), $3); }
  | T_EXPECT T_IDENT dotted test_word test_value_opt T_NEWLINE
      {
        ast_test_expect_requirement(ctx, ast_test_name($2, @2), ast_test_name($3.name, $3.loc),
                                    $4, $5);
      }
  | T_EXPECT T_IDENT T_STRING test_word T_NEWLINE
      {
        rubric_test_value label = ast_test_text(RUBRIC_TEST_STRING, $3.ptr, $3.len, @3);
        ast_test_expect_item(ctx, ast_test_name($2, @2), label, (rubric_test_value){0}, $4,
                             (rubric_test_value){0});
      }
  | T_EXPECT T_IDENT T_STRING dotted test_word test_value_opt T_NEWLINE
      {
        rubric_test_value label = ast_test_text(RUBRIC_TEST_STRING, $3.ptr, $3.len, @3);
        ast_test_expect_item(ctx, ast_test_name($2, @2), label, ast_test_name($4.name, $4.loc),
                             $5, $6);
      }
  | T_EXPECT T_IDENT T_INT T_IDENT test_value T_NEWLINE
      {
        ast_test_expect_row(ctx, ast_test_name($2, @2), ast_test_number(RUBRIC_TEST_INT, $3, @3),
                            ast_test_name($4, @4), $5);
      }
  ;

/* A name, or a status that is a keyword of rules. */
test_word:
    T_IDENT                 { $$ = ast_test_name($1, @1); }
  | T_AT_RISK               { $$ = ast_test_name("at_risk", @1); }
  | T_GRACE                 { $$ = ast_test_name("grace", @1); }
  | T_NOT_APPLICABLE        { $$ = ast_test_name("not_applicable", @1); }
  ;

test_value:
    T_INT                   { $$ = ast_test_number(RUBRIC_TEST_INT, $1, @1); }
  | T_MONEY                 { $$ = ast_test_number(RUBRIC_TEST_MONEY, $1, @1); }
  | T_TRUE                  { $$ = ast_test_number(RUBRIC_TEST_BOOL, 1, @1); }
  | T_FALSE                 { $$ = ast_test_number(RUBRIC_TEST_BOOL, 0, @1); }
  | T_NULL                  { $$ = ast_test_number(RUBRIC_TEST_NULL, 0, @1); }
  | T_DATE                  { $$ = ast_test_number(RUBRIC_TEST_DATE, $1, @1); }
  | T_MONTH                 { $$ = ast_test_number(RUBRIC_TEST_MONTH, $1, @1); }
  | T_STRING                { $$ = ast_test_text(RUBRIC_TEST_STRING, $1.ptr, $1.len, @1); }
  | test_word
  ;

test_value_opt:
    %empty                  { $$ = (rubric_test_value){0}; }
  | test_value
  ;

%%

/* ------------------------------------------------------------ syntax errors */

/* The lexer's token kind (T_IDENT, '(' ...) of a grammar symbol.  Bison
 * numbers symbols on its own; its table from token kinds to symbols
 * (YYTRANSLATE) is the only way back. */
static int token_kind(yysymbol_kind_t symbol)
{
    if (symbol == YYSYMBOL_YYUNDEF)
        return RBP_UNDEF; /* the symbol of every unknown kind */
    for (int kind = 0; kind <= YYMAXUTOK; kind++)
        if (YYTRANSLATE(kind) == symbol)
            return kind;
    return RBP_EMPTY;
}

/* What bison knows of a syntax error, handed to syntax_error.c in the
 * lexer's terms. */
static int yyreport_syntax_error(const yypcontext_t *yc, parse_ctx *ctx)
{
    yysymbol_kind_t symbols[YYNTOKENS];
    int kinds[YYNTOKENS];
    const char *names[YYNTOKENS];
    int n = yypcontext_expected_tokens(yc, symbols, YYNTOKENS);
    for (int i = 0; i < n; i++) {
        kinds[i] = token_kind(symbols[i]);
        names[i] = yysymbol_name(symbols[i]);
    }
    parse_syntax_error e = {
        .token = token_kind(yypcontext_token(yc)),
        .loc = *yypcontext_location(yc),
        .expected = kinds,
        .expected_names = names,
        .nexpected = n > 0 ? n : 0,
    };
    parse_report_syntax_error(ctx, &e);
    return 0;
}
