/*
 * compiler.h — the state of one compilation (struct rubric_compiler): the
 * files loaded (roots and what they import), their ASTs and diagnostics.
 *
 *   compile.c   the public API; loading files and resolving imports
 *   sema*.c     declarations, names and types (sema.h)
 *   lower*.c    typed AST -> chunks and programs (lower.h)
 */
#ifndef RUBRIC_COMPILER_H
#define RUBRIC_COMPILER_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "mem.h"
#include "rubric.h"

/* The largest rules file read from disk: a root file or an imported module
 * (docs/language.md, "Files, modules and imports").  Rule-test files and
 * their data files are held to it too. */
#define COMPILER_MAX_SOURCE_SIZE RUBRIC_MAX_SOURCE_SIZE

/* A module registered with rubric_compiler_add_module (the stdlib). */
typedef struct registered_module {
    char *name;
    char *path;
    char *text;
    size_t len;
} registered_module;

typedef struct loaded_file {
    uint32_t source;        /* index in the source table */
    ast_file *ast;
    const char *module;     /* module name it was loaded as, or NULL (root) */
    bool root;              /* its programs are compiled */
    VEC(uint32_t) imports;  /* loaded file indices, in import order */
    VEC(ast_loc) import_locs; /* where each import is written */
} loaded_file;

struct rubric_compiler {
    rubric_config config;
    mem_watch watch;                   /* sees every allocation of alloc */
    rubric_allocator alloc;            /* the configured one, watched */
    source_table sources;
    diag_list diags;
    arena mem;                         /* ASTs and analysis data */
    VEC(char *) search_paths;
    VEC(registered_module) modules;
    VEC(loaded_file) files;            /* files[i].source == i */
    bool oom;
};

typedef struct rubric_compiler compiler;

/* Whether memory ran out at any time, wherever it was noticed (or not):
 * the compiler is then spent, and its calls say RUBRIC_ERR_NOMEM. */
static inline bool compiler_out_of_memory(const compiler *c)
{
    return c->oom || c->diags.oom || c->watch.refused;
}

/* rubric_compiler_add_file, with the reason of a failure in why:
 * "rules.rubric is not a regular file" (file_read.h). */
rubric_status compiler_add_file(compiler *c, const char *path, char *why, size_t why_size);

#endif /* RUBRIC_COMPILER_H */
