/* Placeholder grammar: replaced by the real one. */
%code requires {
#include "ast.h"
#include "diag.h"
}
%code {
#include "parse.h"
}
%define api.pure full
%define api.prefix {rbp_}
%param {void *scanner}
%token PLACEHOLDER
%code provides {
int rbp_lex(RBP_STYPE *lval, void *scanner);
void rbp_error(void *scanner, const char *msg);
}
%%
start: %empty ;
%%
ast_file *parse_file(uint32_t file, arena *mem, diag_list *diags)
{
    (void)diags;
    ast_file *f = arena_calloc(mem, 1, sizeof *f);
    if (f)
        f->file = file;
    return f;
}
void ast_dump(const ast_file *f, strbuf *out) { (void)f; (void)out; }
int rbp_lex(RBP_STYPE *lval, void *scanner) { (void)lval; (void)scanner; return 0; }
void rbp_error(void *scanner, const char *msg) { (void)scanner; (void)msg; }
