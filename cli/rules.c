/* rules.c — compiling rules sources and loading bytecode for the commands.
 * Among rules files, the word `stdlib` names the standard programs built
 * into rubric: they compile together with the .rubric files given, as one
 * compilation with one schema (docs/language.md, "Extending the data"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_stdlib_word(const char *path)
{
    /* "--stdlib" too: getopt reads `--new --stdlib` as the value of --new. */
    return strcmp(path, "stdlib") == 0 || strcmp(path, "--stdlib") == 0;
}

void cli_print_compiler_diags(const rubric_compiler *c)
{
    if (!rubric_compiler_diag_count(c))
        return;
    char *text = rubric_compiler_render_diags(c, cli_stderr_color());
    if (text) {
        fputs(text, stderr);
        rubric_free(NULL, text, strlen(text) + 1);
    }
}

int cli_compile_sources(const char *const *paths, size_t npaths, const char *const *search,
                        size_t nsearch, bool check_only, void **bytecode, size_t *len)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    if (!c) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    int status = EXIT_DONE;
    /* The standard programs first: their results come before the files'. */
    bool stdlib = npaths == 0;
    for (size_t i = 0; i < npaths; i++)
        stdlib |= is_stdlib_word(paths[i]);
    rubric_status st = rubric_compiler_use_stdlib(c, stdlib);
    for (size_t i = 0; i < nsearch && st == RUBRIC_OK; i++)
        st = rubric_compiler_add_search_path(c, search[i]);
    for (size_t i = 0; i < npaths && st == RUBRIC_OK; i++) {
        if (is_stdlib_word(paths[i]))
            continue;
        char why[1024];
        size_t text_len;
        char *text =
            cli_read_file(paths[i], RUBRIC_MAX_SOURCE_SIZE, &text_len, why, sizeof why);
        if (!text) {
            cli_error("%s", why);
            status = EXIT_ERRORS;
            continue;
        }
        st = rubric_compiler_add_source(c, paths[i], text, text_len);
        free(text);
    }
    if (st == RUBRIC_OK && status == EXIT_DONE)
        st = rubric_compiler_run(c, check_only, check_only ? NULL : bytecode,
                                 check_only ? NULL : len);
    cli_print_compiler_diags(c);
    if (st == RUBRIC_ERR_NOMEM)
        cli_error("out of memory");
    if (st != RUBRIC_OK)
        status = EXIT_ERRORS;
    rubric_compiler_free(c);
    return status;
}

static bool add_module(cli_rules *out, const void *bytes, size_t len, const char *what)
{
    rubric_module *m = NULL;
    char err[512];
    rubric_status st = rubric_module_load(NULL, bytes, len, &m, err, sizeof err);
    if (st != RUBRIC_OK) {
        cli_error("%s: %s", what, err);
        return false;
    }
    rubric_module **grown = realloc(out->modules, (out->count + 1) * sizeof *grown);
    if (!grown) {
        rubric_module_free(m);
        cli_error("out of memory");
        return false;
    }
    out->modules = grown;
    out->modules[out->count++] = m;
    return true;
}

bool cli_load_rules(const char *const *paths, size_t npaths, const char *const *search,
                    size_t nsearch, cli_rules *out)
{
    memset(out, 0, sizeof *out);
    const char **sources = calloc(npaths + 1, sizeof *sources);
    size_t nsources = 0;
    /* The compiled sources take the place of the first of them, so that
     * the modules are in the order given (a later one overrides). */
    size_t sources_at = 0;
    bool ok = sources != NULL;
    for (size_t i = 0; ok && i < npaths; i++) {
        if (!has_suffix(paths[i], ".rbc")) {
            if (nsources == 0)
                sources_at = out->count;
            sources[nsources++] = paths[i];
            continue;
        }
        size_t len;
        char why[1024];
        char *bytes = cli_read_file(paths[i], RUBRIC_MAX_BYTECODE_SIZE, &len, why, sizeof why);
        if (!bytes) {
            cli_error("%s", why);
            ok = false;
            break;
        }
        ok = add_module(out, bytes, len, paths[i]);
        free(bytes);
    }
    /* The .rubric files (and stdlib) compile together; no rules at all:
     * the standard programs. */
    if (ok && (nsources || npaths == 0)) {
        void *bytecode = NULL;
        size_t len = 0;
        ok = cli_compile_sources(sources, nsources, search, nsearch, false, &bytecode, &len) ==
             EXIT_DONE;
        if (ok)
            ok = add_module(out, bytecode, len, nsources ? sources[0] : "standard rules");
        if (ok) {
            rubric_module *compiled = out->modules[out->count - 1];
            memmove(out->modules + sources_at + 1, out->modules + sources_at,
                    (out->count - 1 - sources_at) * sizeof *out->modules);
            out->modules[sources_at] = compiled;
        }
        if (bytecode)
            rubric_free(NULL, bytecode, len);
    }
    free(sources);
    if (!ok)
        cli_free_rules(out);
    return ok;
}

void cli_free_rules(cli_rules *rules)
{
    for (size_t i = 0; i < rules->count; i++)
        rubric_module_free(rules->modules[i]);
    free(rules->modules);
    memset(rules, 0, sizeof *rules);
}
