/*
 * compile.c — the compiler's public API: sources in, diagnostics and
 * verified bytecode out.  Loads the root files and every module they
 * import (from disk, search paths, or modules registered in memory such as
 * the standard rules), then runs analysis, lowering, verification and the
 * bytecode writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "compiler.h"
#include "lower.h"
#include "mbuild.h"
#include "parse.h"
#include "sema.h"
#include "stdlib_sources.h"

/* ------------------------------------------------------------ lifecycle */

rubric_compiler *rubric_compiler_new(const rubric_config *config)
{
    rubric_config defaults;
    if (!config) {
        rubric_config_init(&defaults);
        config = &defaults;
    }
    rubric_allocator alloc = config->allocator.realloc ? config->allocator
                                                       : mem_default_allocator();
    compiler *c = mem_calloc(&alloc, 1, sizeof *c);
    if (!c)
        return NULL;
    c->config = *config;
    c->alloc = alloc;
    sources_init(&c->sources, &c->alloc);
    diags_init(&c->diags, &c->alloc, &c->sources);
    arena_init(&c->mem, &c->alloc, 0);
    return c;
}

static void free_string(const rubric_allocator *a, char *s)
{
    if (s)
        mem_free(a, s, strlen(s) + 1);
}

void rubric_compiler_free(rubric_compiler *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->search_paths.len; i++)
        free_string(&c->alloc, c->search_paths.items[i]);
    vec_free(&c->alloc, &c->search_paths);
    for (uint32_t i = 0; i < c->modules.len; i++) {
        registered_module *m = &c->modules.items[i];
        free_string(&c->alloc, m->name);
        free_string(&c->alloc, m->path);
        mem_free(&c->alloc, m->text, m->len + 1);
    }
    vec_free(&c->alloc, &c->modules);
    for (uint32_t i = 0; i < c->files.len; i++) {
        vec_free(&c->alloc, &c->files.items[i].imports);
        vec_free(&c->alloc, &c->files.items[i].import_locs);
    }
    vec_free(&c->alloc, &c->files);
    diags_free(&c->diags);
    sources_free(&c->sources);
    arena_free(&c->mem);
    rubric_allocator alloc = c->alloc;
    mem_free(&alloc, c, sizeof *c);
}

/* ------------------------------------------------------------ sources */

static bool read_file(compiler *c, const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    strbuf sb;
    sb_init(&sb, &c->alloc);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_append(&sb, buf, n);
    bool ok = !ferror(f) && !sb.failed;
    fclose(f);
    if (!ok) {
        sb_free(&sb);
        return false;
    }
    *len = sb.len;
    if (!sb.data)
        sb_append(&sb, "", 0);
    size_t cap;
    char *data = sb_take(&sb, &cap);
    if (!data)
        return false;
    /* Hand back an exactly-sized copy so that it can be freed by length. */
    *text = mem_strndup(&c->alloc, data, *len);
    mem_free(&c->alloc, data, cap);
    return *text != NULL;
}

/* Add a source and an (unparsed) loaded file for it. */
static uint32_t add_loaded(compiler *c, const char *path, const char *text, size_t len,
                           const char *module, bool root)
{
    uint32_t index = sources_add(&c->sources, path, text, len, module, root);
    if (index == UINT32_MAX) {
        c->oom = true;
        return UINT32_MAX;
    }
    loaded_file lf = {0};
    lf.source = index;
    lf.root = root;
    lf.module = c->sources.files.items[index].module_name;
    if (!vec_push(&c->alloc, &c->files, lf)) {
        c->oom = true;
        return UINT32_MAX;
    }
    return index;
}

rubric_status rubric_compiler_add_source(rubric_compiler *c, const char *path,
                                         const char *text, size_t length)
{
    if (!c || !path || (!text && length))
        return RUBRIC_ERR_USAGE;
    return add_loaded(c, path, text ? text : "", length, NULL, true) == UINT32_MAX
               ? RUBRIC_ERR_NOMEM
               : RUBRIC_OK;
}

rubric_status rubric_compiler_add_file(rubric_compiler *c, const char *path)
{
    if (!c || !path)
        return RUBRIC_ERR_USAGE;
    char *text;
    size_t len;
    if (!read_file(c, path, &text, &len))
        return RUBRIC_ERR_IO;
    rubric_status st = rubric_compiler_add_source(c, path, text, len);
    mem_free(&c->alloc, text, len + 1);
    return st;
}

rubric_status rubric_compiler_add_module(rubric_compiler *c, const char *module_name,
                                         const char *path, const char *text, size_t length)
{
    if (!c || !module_name || !path || !text)
        return RUBRIC_ERR_USAGE;
    registered_module m = {0};
    m.name = mem_strndup(&c->alloc, module_name, strlen(module_name));
    m.path = mem_strndup(&c->alloc, path, strlen(path));
    m.text = mem_strndup(&c->alloc, text, length);
    m.len = length;
    if (!m.name || !m.path || !m.text || !vec_push(&c->alloc, &c->modules, m)) {
        free_string(&c->alloc, m.name);
        free_string(&c->alloc, m.path);
        if (m.text)
            mem_free(&c->alloc, m.text, length + 1);
        return RUBRIC_ERR_NOMEM;
    }
    return RUBRIC_OK;
}

rubric_status rubric_compiler_use_stdlib(rubric_compiler *c, bool compile_programs)
{
    if (!c)
        return RUBRIC_ERR_USAGE;
    for (unsigned i = 0; i < stdlib_source_count; i++) {
        const stdlib_source *src = &stdlib_sources[i];
        rubric_status st;
        if (compile_programs)
            st = add_loaded(c, src->path, src->text, src->len, src->module, true) == UINT32_MAX
                     ? RUBRIC_ERR_NOMEM
                     : RUBRIC_OK;
        else
            st = rubric_compiler_add_module(c, src->module, src->path, src->text, src->len);
        if (st != RUBRIC_OK)
            return st;
    }
    return RUBRIC_OK;
}

rubric_status rubric_compiler_add_search_path(rubric_compiler *c, const char *dir)
{
    if (!c || !dir)
        return RUBRIC_ERR_USAGE;
    char *copy = mem_strndup(&c->alloc, dir, strlen(dir));
    if (!copy || !vec_push(&c->alloc, &c->search_paths, copy)) {
        free_string(&c->alloc, copy);
        return RUBRIC_ERR_NOMEM;
    }
    return RUBRIC_OK;
}

/* ------------------------------------------------------------ imports */

/* "a.b" -> "a/b.rubric" */
static void module_relpath(const char *module, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = module; *p && n + 8 < size; p++)
        out[n++] = *p == '.' ? '/' : *p;
    snprintf(out + n, size - n, ".rubric");
}

static uint32_t find_loaded(const compiler *c, const char *module)
{
    for (uint32_t i = 0; i < c->files.len; i++)
        if (c->files.items[i].module && strcmp(c->files.items[i].module, module) == 0)
            return i;
    return UINT32_MAX;
}

/* Try DIR/a/b.rubric; on success load it. */
static uint32_t try_disk(compiler *c, const char *dir, size_t dir_len, const char *rel,
                         const char *module)
{
    char path[4096];
    if (dir_len)
        snprintf(path, sizeof path, "%.*s/%s", (int)dir_len, dir, rel);
    else
        snprintf(path, sizeof path, "%s", rel);
    char *text;
    size_t len;
    if (!read_file(c, path, &text, &len))
        return UINT32_MAX;
    uint32_t f = add_loaded(c, path, text, len, module, false);
    mem_free(&c->alloc, text, len + 1);
    return f;
}

/* Locate module `name` imported from file `from`: the importer's directory
 * and its parents, the search paths, then registered modules. */
static uint32_t locate_module(compiler *c, uint32_t from, const char *name)
{
    uint32_t f = find_loaded(c, name);
    if (f != UINT32_MAX)
        return f;
    char rel[1024];
    module_relpath(name, rel, sizeof rel);
    const char *path = c->sources.files.items[from].path;
    if (path[0] != '<') {
        const char *slash = strrchr(path, '/');
        size_t dir_len = slash ? (size_t)(slash - path) : 0;
        for (;;) {
            f = try_disk(c, path, dir_len, rel, name);
            if (f != UINT32_MAX)
                return f;
            if (dir_len == 0 || (dir_len == 1 && path[0] == '/'))
                break;
            const char *up = path + dir_len;
            while (up > path && up[-1] != '/')
                up--;
            dir_len = up > path ? (size_t)(up - path - 1) : 0;
            if (dir_len == 0 && path[0] == '/')
                dir_len = 1;
        }
    }
    for (uint32_t i = 0; i < c->search_paths.len; i++) {
        const char *dir = c->search_paths.items[i];
        f = try_disk(c, dir, strlen(dir), rel, name);
        if (f != UINT32_MAX)
            return f;
    }
    for (uint32_t i = 0; i < c->modules.len; i++) {
        registered_module *m = &c->modules.items[i];
        if (strcmp(m->name, name) == 0)
            return add_loaded(c, m->path, m->text, m->len, m->name, false);
    }
    return UINT32_MAX;
}

static bool parse_loaded(compiler *c, uint32_t f)
{
    ast_file *ast = parse_file(c->files.items[f].source, &c->mem, &c->diags);
    if (!ast) {
        c->oom = true;
        return false;
    }
    loaded_file *lf = &c->files.items[f];
    lf->ast = ast;
    if (ast->module.name) {
        if (!lf->module) {
            lf->module = ast->module.name;
        } else if (strcmp(lf->module, ast->module.name) != 0) {
            diag_error(&c->diags, ast->module.loc,
                       "this file declares module '%s' but was imported as '%s'",
                       ast->module.name, lf->module);
        }
    }
    return true;
}

/* Resolve the imports of file f, loading the modules they name. */
static void resolve_imports(compiler *c, uint32_t f)
{
    uint32_t count = c->files.items[f].ast->imports.count;
    for (uint32_t i = 0; i < count; i++) {
        ast_name imp = c->files.items[f].ast->imports.items[i];
        uint32_t target = locate_module(c, f, imp.name);
        if (target == UINT32_MAX) {
            if (c->oom)
                return;
            diag_error(&c->diags, imp.loc, "cannot find module '%s'", imp.name);
            char rel[1024];
            module_relpath(imp.name, rel, sizeof rel);
            diag_hint(&c->diags, "looked for %s next to this file, in its parent directories, "
                      "in the search paths (-I) and in the standard rules", rel);
            continue;
        }
        loaded_file *lf = &c->files.items[f]; /* locate_module may have grown files */
        if (!vec_push(&c->alloc, &lf->imports, target) ||
            !vec_push(&c->alloc, &lf->import_locs, imp.loc)) {
            c->oom = true;
            return;
        }
    }
}

/* Parse the root files (their module names become known), then every file
 * in turn, loading the modules each imports. */
static void load_all(compiler *c)
{
    uint32_t nroots = c->files.len;
    for (uint32_t f = 0; f < nroots; f++)
        if (!parse_loaded(c, f))
            return;
    for (uint32_t f = 0; f < c->files.len && !c->oom; f++) {
        if (!c->files.items[f].ast && !parse_loaded(c, f))
            return;
        resolve_imports(c, f);
    }
}

/* Import cycles are errors, even though names would still resolve. */
static bool find_cycle(compiler *c, uint32_t f, uint8_t *mark, uint32_t *path, uint32_t depth)
{
    if (mark[f] == 2)
        return false;
    path[depth] = f;
    if (mark[f] == 1) {
        strbuf sb;
        sb_init(&sb, &c->alloc);
        uint32_t start = 0;
        while (path[start] != f)
            start++;
        for (uint32_t i = start; i <= depth; i++) {
            const loaded_file *lf = &c->files.items[path[i]];
            sb_printf(&sb, "%s%s", i > start ? " -> " : "",
                      lf->module ? lf->module : c->sources.files.items[path[i]].path);
        }
        /* Point at the import that closes the cycle. */
        const loaded_file *importer = &c->files.items[path[depth - 1]];
        ast_loc loc = importer->import_locs.items[0];
        for (uint32_t i = 0; i < importer->imports.len; i++)
            if (importer->imports.items[i] == f)
                loc = importer->import_locs.items[i];
        diag_error(&c->diags, loc, "import cycle: %s", sb.data ? sb.data : "");
        sb_free(&sb);
        return true;
    }
    mark[f] = 1;
    const loaded_file *lf = &c->files.items[f];
    for (uint32_t i = 0; i < lf->imports.len; i++)
        if (find_cycle(c, lf->imports.items[i], mark, path, depth + 1))
            return true;
    mark[f] = 2;
    return false;
}

static void check_import_cycles(compiler *c)
{
    uint32_t n = c->files.len;
    uint8_t *mark = mem_calloc(&c->alloc, n ? n : 1, 1);
    uint32_t *path = mem_calloc(&c->alloc, n + 1, sizeof *path);
    if (mark && path)
        for (uint32_t f = 0; f < n; f++)
            if (find_cycle(c, f, mark, path, 0))
                break;
    mem_free(&c->alloc, mark, n ? n : 1);
    mem_free(&c->alloc, path, (n + 1) * sizeof *path);
}

/* ------------------------------------------------------------ run */

static rubric_status finish(compiler *c, bc_module *m, void **bytecode, size_t *length)
{
    char err[256];
    if (!bc_verify(m, err, sizeof err)) {
        ast_loc loc = {0};
        diag_error(&c->diags, loc, "internal error: the generated bytecode was rejected: %s",
                   err);
        return RUBRIC_ERR_COMPILE;
    }
    strbuf out;
    sb_init(&out, &c->alloc);
    if (!bc_write(m, &out) || out.failed) {
        sb_free(&out);
        return RUBRIC_ERR_NOMEM;
    }
    *length = out.len;
    /* An exactly-sized buffer, so that rubric_free(length) releases it. */
    void *bytes = mem_alloc(&c->alloc, out.len);
    if (!bytes) {
        sb_free(&out);
        return RUBRIC_ERR_NOMEM;
    }
    memcpy(bytes, out.data, out.len);
    sb_free(&out);
    *bytecode = bytes;
    return RUBRIC_OK;
}

rubric_status rubric_compiler_run(rubric_compiler *c, bool check_only, void **bytecode,
                                  size_t *length)
{
    if (!c || (!check_only && (!bytecode || !length)))
        return RUBRIC_ERR_USAGE;
    if (bytecode)
        *bytecode = NULL;
    if (length)
        *length = 0;
    load_all(c);
    check_import_cycles(c);
    if (c->oom || c->diags.oom)
        return RUBRIC_ERR_NOMEM;
    if (c->diags.errors)
        return RUBRIC_ERR_COMPILE;

    bc_module m;
    mbuild b;
    mb_init(&b, &m, &c->alloc);
    sema s;
    bool ok = sema_run(&s, c, &b);
    if (ok && !check_only)
        ok = lower_programs(&s);
    sema_free(&s);
    if (!ok || check_only) {
        mb_abort(&b);
        if (c->oom || c->diags.oom)
            return RUBRIC_ERR_NOMEM;
        return c->diags.errors ? RUBRIC_ERR_COMPILE : RUBRIC_OK;
    }
    if (!mb_finish(&b)) {
        ast_loc loc = {0};
        diag_error(&c->diags, loc, "internal error: %s", b.error);
        return RUBRIC_ERR_COMPILE;
    }
    rubric_status st = finish(c, &m, bytecode, length);
    module_release(&m);
    return st;
}

/* ------------------------------------------------------------ diagnostics */

size_t rubric_compiler_diag_count(const rubric_compiler *c)
{
    return c ? c->diags.items.len : 0;
}

const rubric_diag *rubric_compiler_diag(const rubric_compiler *c, size_t index)
{
    if (!c || index >= c->diags.items.len)
        return NULL;
    return &c->diags.items.items[index].d;
}

char *rubric_compiler_render_diags(const rubric_compiler *c, bool color)
{
    if (!c)
        return NULL;
    strbuf sb;
    sb_init(&sb, &c->alloc);
    diag_render_all(&c->diags, color, &sb);
    sb_append(&sb, "", 0);
    if (sb.failed) {
        sb_free(&sb);
        return NULL;
    }
    /* Exactly strlen + 1 bytes, as rubric_free expects. */
    char *r = mem_strndup(&c->alloc, sb.data, sb.len);
    sb_free(&sb);
    return r;
}
