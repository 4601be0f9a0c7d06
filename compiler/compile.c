/*
 * compile.c — the compiler's public API: sources in, diagnostics and
 * verified bytecode out.  Loads the root files and every module they
 * import (from disk, search paths, or modules registered in memory such as
 * the standard rules), then runs analysis, lowering, verification and the
 * bytecode writer.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytecode.h"
#include "compiler.h"
#include "doc.h"
#include "file_read.h"
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
    c->alloc = mem_watch_start(&c->watch, &alloc);
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
    rubric_allocator alloc = c->watch.inner;
    mem_free(&alloc, c, sizeof *c);
}

/* ------------------------------------------------------------ sources */

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

rubric_status compiler_add_file(compiler *c, const char *path, char *why, size_t why_size)
{
    if (!c || !path)
        return RUBRIC_ERR_USAGE;
    file_text f;
    rubric_status st = file_read(&c->alloc, path, COMPILER_MAX_SOURCE_SIZE, &f);
    if (st != RUBRIC_OK) {
        if (why && why_size)
            snprintf(why, why_size, "%s", f.why);
        return st;
    }
    st = rubric_compiler_add_source(c, path, f.text, f.len);
    file_text_free(&c->alloc, &f);
    return st;
}

rubric_status rubric_compiler_add_file(rubric_compiler *c, const char *path)
{
    return compiler_add_file(c, path, NULL, 0);
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

/*
 * Where `import a.b` is looked for (docs/language.md, "Files, modules and
 * imports"), in order:
 *   1. a file already loaded as module a.b (a root file declaring it, or an
 *      earlier import); when that is a built-in module and one of the files
 *      of 2. or 3. exists, an error (check_loaded_builtin);
 *   2. a/b.rubric under the importing file's module root (module_root);
 *   3. a/b.rubric in each search path (-I), in order;
 *   4. the registered modules (the standard rules built into rubric).
 * No ancestor directories are searched, so the file found does not depend
 * on how the importing file's path is spelled or on what lies above it.
 * A file at the module root that has the name of a registered module is
 * not used in its place silently: only a file of the same package (its own
 * module a.x) takes it from there; any other importer must choose it with
 * -I, and without that the import is an error naming both.
 */

typedef enum lookup {
    LOOKUP_FOUND,
    LOOKUP_NOT_THERE,
    LOOKUP_FAILED /* reported already, or out of memory */
} lookup;

/* "a.b" -> "a/b.rubric" */
static void module_relpath(const char *module, strbuf *out)
{
    for (const char *p = module; *p; p++)
        sb_putc(out, *p == '.' ? '/' : *p);
    sb_puts(out, ".rubric");
}

/* DIR "/" REL; an empty DIR is the working directory. */
static void join_path(const char *dir, const char *rel, strbuf *out)
{
    size_t n = strlen(dir);
    sb_append(out, dir, n);
    if (n && dir[n - 1] != '/')
        sb_putc(out, '/');
    sb_puts(out, rel);
}

/* Drop the last component of a cleaned directory in out (components start
 * at base), unless there is none or it is "..": then false. */
static bool drop_last_component(strbuf *out, size_t base)
{
    if (out->len <= base)
        return false;
    size_t last = out->len;
    while (last > base && out->data[last - 1] != '/')
        last--;
    if (out->len - last == 2 && memcmp(out->data + last, "..", 2) == 0)
        return false;
    out->len = last > base ? last - 1 : base;
    out->data[out->len] = '\0';
    return true;
}

/* Append the directory of path, cleaned lexically: no empty or "."
 * components, and "x/.." pairs dropped, so that "rules", "./rules" and
 * "a/../rules/" are one directory.  An empty result is the working
 * directory. */
static void clean_dir(const char *path, strbuf *out)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    bool absolute = path[0] == '/';
    if (absolute)
        sb_putc(out, '/');
    size_t base = out->len;
    for (size_t i = absolute; i < len;) {
        size_t n = strcspn(path + i, "/");
        if (i + n > len)
            n = len - i;
        const char *part = path + i;
        i += n + 1;
        if (n == 0 || (n == 1 && part[0] == '.'))
            continue;
        if (n == 2 && part[0] == '.' && part[1] == '.' &&
            (drop_last_component(out, base) || absolute))
            continue; /* "/.." is "/" */
        if (out->len > base)
            sb_putc(out, '/');
        sb_append(out, part, n);
    }
}

/* Whether path is named after the last part of module x.y ("y.rubric")
 * and the module has directories ("x"); *dirs_end: where they end. */
static bool named_after_module(const char *path, const char *module, const char **dirs_end)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *last = module ? strrchr(module, '.') : NULL;
    if (!last)
        return false;
    size_t n = strlen(last + 1);
    *dirs_end = last;
    return strncmp(base, last + 1, n) == 0 && strcmp(base + n, ".rubric") == 0;
}

/* When the cleaned directory in out ends with the module's directories
 * (module[0..dirs_end) with dots as slashes), cut them off: true. */
static bool cut_module_dirs(strbuf *out, const char *module, const char *dirs_end)
{
    size_t n = (size_t)(dirs_end - module);
    if (out->len < n)
        return false;
    const char *tail = out->data + out->len - n;
    for (size_t i = 0; i < n; i++)
        if (tail[i] != (module[i] == '.' ? '/' : module[i]))
            return false;
    size_t keep = out->len - n;
    if (keep > 0 && out->data[keep - 1] != '/')
        return false; /* "xx/y" does not end with the directory "x/y" */
    /* Keep the leading "/" of a root at the top. */
    out->len = keep > 1 ? keep - 1 : keep;
    out->data[out->len] = '\0';
    return true;
}

/* The module root of a file: DIR when it declares `module x.y` and is
 * DIR/x/y.rubric, otherwise its own directory (cleaned: clean_dir). */
static void module_root(const char *path, const char *module, strbuf *out)
{
    clean_dir(path, out);
    const char *dirs_end;
    if (!named_after_module(path, module, &dirs_end) || out->failed ||
        cut_module_dirs(out, module, dirs_end) || path[0] == '/')
        return;
    /* A relative path need not spell the module's directories ("c.rubric"
     * for module a.b.c, from the directory a/b): count from the working
     * directory then. */
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return;
    strbuf full, root;
    sb_init(&full, out->alloc);
    sb_init(&root, out->alloc);
    join_path(cwd, path, &full);
    if (!full.failed)
        clean_dir(full.data, &root);
    if (!root.failed && cut_module_dirs(&root, module, dirs_end)) {
        sb_clear(out);
        sb_append(out, root.data, root.len);
    }
    sb_free(&full);
    sb_free(&root);
}

/* Modules a.b and a.c (or a) are of one package, a. */
static bool same_package(const char *module, const char *name)
{
    if (!module)
        return false;
    size_t n = strcspn(name, ".");
    return strncmp(module, name, n) == 0 && (module[n] == '.' || module[n] == '\0');
}

static const registered_module *find_registered(const compiler *c, const char *name)
{
    for (uint32_t i = 0; i < c->modules.len; i++)
        if (strcmp(c->modules.items[i].name, name) == 0)
            return &c->modules.items[i];
    return NULL;
}

static uint32_t find_loaded(const compiler *c, const char *module)
{
    for (uint32_t i = 0; i < c->files.len; i++)
        if (c->files.items[i].module && strcmp(c->files.items[i].module, module) == 0)
            return i;
    return UINT32_MAX;
}

/* Load DIR/REL as module `imp` when it is there.  A file that is there but
 * cannot be read (not a regular file, too large) is an error at the
 * import, not a reason to look further. */
static lookup try_disk(compiler *c, const char *dir, const char *rel, ast_name imp,
                       uint32_t *target)
{
    strbuf path;
    sb_init(&path, &c->alloc);
    join_path(dir, rel, &path);
    lookup result = LOOKUP_FAILED;
    file_text f;
    rubric_status st = path.failed ? RUBRIC_ERR_NOMEM
                                   : file_read(&c->alloc, path.data, COMPILER_MAX_SOURCE_SIZE, &f);
    if (st == RUBRIC_OK) {
        *target = add_loaded(c, path.data, f.text, f.len, imp.name, false);
        file_text_free(&c->alloc, &f);
        result = *target == UINT32_MAX ? LOOKUP_FAILED : LOOKUP_FOUND;
    } else if (st == RUBRIC_ERR_NOMEM) {
        c->oom = true;
    } else if (f.missing) {
        result = LOOKUP_NOT_THERE;
    } else {
        diag_error(&c->diags, imp.loc, "cannot import '%s': %s", imp.name, f.why);
    }
    sb_free(&path);
    return result;
}

static lookup try_search_paths(compiler *c, const char *rel, ast_name imp, uint32_t *target)
{
    lookup result = LOOKUP_NOT_THERE;
    for (uint32_t i = 0; i < c->search_paths.len && result == LOOKUP_NOT_THERE; i++)
        result = try_disk(c, c->search_paths.items[i], rel, imp, target);
    return result;
}

static bool file_exists(const char *dir, const char *rel, strbuf *path)
{
    join_path(dir, rel, path);
    struct stat st;
    return !path->failed && stat(path->data, &st) == 0;
}

/* A registered module, unless a file at the importer's module root has its
 * name and was not chosen with -I: then which one is meant is unclear. */
static lookup use_registered(compiler *c, const registered_module *m, const char *root,
                             const char *rel, ast_name imp, uint32_t *target)
{
    strbuf path;
    sb_init(&path, &c->alloc);
    lookup result = LOOKUP_FAILED;
    if (root && file_exists(root, rel, &path)) {
        diag_error(&c->diags, imp.loc, "module '%s' is both built in and the file %s", imp.name,
                   path.data);
        diag_hint(&c->diags, "to use the file, add the search path '-I %s'; to use the built-in "
                  "module, rename or move the file", root[0] ? root : ".");
    } else {
        *target = add_loaded(c, m->path, m->text, m->len, m->name, false);
        result = *target == UINT32_MAX ? LOOKUP_FAILED : LOOKUP_FOUND;
    }
    sb_free(&path);
    return result;
}

/* Whether a/b.rubric is at root or in a search path: the first such file
 * in path. */
static bool file_on_lookup_path(compiler *c, const char *root, const char *rel, strbuf *path)
{
    if (file_exists(root, rel, path))
        return true;
    for (uint32_t i = 0; i < c->search_paths.len; i++) {
        sb_clear(path);
        if (file_exists(c->search_paths.items[i], rel, path))
            return true;
    }
    return false;
}

/* A module already loaded from the built-in library (by the standard
 * programs compiled with the rules, or an earlier import), imported by a
 * file on disk: had it not been loaded yet, a file of its name at the
 * importer's module root or in a search path would have been chosen, or
 * been an error.  A module is loaded once, so that file cannot be used;
 * it is not passed over silently either. */
static lookup check_loaded_builtin(compiler *c, uint32_t from, ast_name imp, uint32_t target)
{
    const char *path = c->sources.files.items[from].path;
    if (path[0] == '<' || c->sources.files.items[target].path[0] != '<')
        return LOOKUP_FOUND;
    strbuf rel, root, found;
    sb_init(&rel, &c->alloc);
    sb_init(&root, &c->alloc);
    sb_init(&found, &c->alloc);
    module_relpath(imp.name, &rel);
    module_root(path, c->files.items[from].module, &root);
    lookup result = LOOKUP_FOUND;
    if (rel.failed || root.failed) {
        c->oom = true;
        result = LOOKUP_FAILED;
    } else if (file_on_lookup_path(c, root.data ? root.data : "", rel.data, &found)) {
        diag_error(&c->diags, imp.loc, "module '%s' is both built in and the file %s", imp.name,
                   found.data);
        diag_hint(&c->diags, "%s the built-in module, and a module is loaded once: rename or "
                  "move the file", c->files.items[target].root
                                       ? "the standard programs compiled with these rules use"
                                       : "an earlier import loaded");
        result = LOOKUP_FAILED;
    }
    sb_free(&rel);
    sb_free(&root);
    sb_free(&found);
    return result;
}

/* Where the lookup of a module that was not found went: "looked for
 * a/b.rubric in rules (the module root of this file), in the search paths
 * lib, vendor and among the built-in modules". */
static void not_found_hint(compiler *c, const char *root, const char *rel)
{
    const char *sep[4] = {" ", ", ", ", ", ", "};
    unsigned n = (root != NULL) + (c->search_paths.len > 0) + (c->modules.len > 0), i = 0;
    if (n > 1)
        sep[n - 1] = " and ";
    strbuf sb;
    sb_init(&sb, &c->alloc);
    sb_printf(&sb, "looked for %s", rel);
    if (root)
        sb_printf(&sb, "%sin %s (the module root of this file)", sep[i++], root[0] ? root : ".");
    if (c->search_paths.len) {
        sb_printf(&sb, "%sin the search path%s", sep[i++], c->search_paths.len > 1 ? "s" : "");
        for (uint32_t k = 0; k < c->search_paths.len; k++)
            sb_printf(&sb, "%s%s", k ? ", " : " ", c->search_paths.items[k]);
    }
    if (c->modules.len)
        sb_printf(&sb, "%samong the built-in modules", sep[i++]);
    diag_hint(&c->diags, "%s", sb.failed ? "" : sb.data);
    c->oom |= sb.failed;
    sb_free(&sb);
}

/* Locate the module imported by file `from` (see the comment above). */
static lookup locate_module(compiler *c, uint32_t from, ast_name imp, uint32_t *target)
{
    *target = find_loaded(c, imp.name);
    if (*target != UINT32_MAX)
        return check_loaded_builtin(c, from, imp, *target);
    const char *path = c->sources.files.items[from].path;
    const char *module = c->files.items[from].module;
    bool on_disk = path[0] != '<';
    strbuf rel, root;
    sb_init(&rel, &c->alloc);
    sb_init(&root, &c->alloc);
    module_relpath(imp.name, &rel);
    if (on_disk)
        module_root(path, module, &root);
    lookup result = LOOKUP_FAILED;
    if (rel.failed || root.failed) {
        c->oom = true;
        goto done;
    }
    const char *root_dir = on_disk ? (root.data ? root.data : "") : NULL;
    const registered_module *builtin = find_registered(c, imp.name);
    bool root_is_chosen = !builtin || same_package(module, imp.name);
    result = root_dir && root_is_chosen ? try_disk(c, root_dir, rel.data, imp, target)
                                        : LOOKUP_NOT_THERE;
    if (result == LOOKUP_NOT_THERE)
        result = try_search_paths(c, rel.data, imp, target);
    if (result == LOOKUP_NOT_THERE && builtin)
        result = use_registered(c, builtin, root_is_chosen ? NULL : root_dir, rel.data, imp,
                                target);
    if (result == LOOKUP_NOT_THERE) {
        diag_error(&c->diags, imp.loc, "cannot find module '%s'", imp.name);
        not_found_hint(c, root_dir, rel.data);
        result = LOOKUP_FAILED;
    }
done:
    sb_free(&rel);
    sb_free(&root);
    return result;
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
    for (uint32_t i = 0; i < count && !c->oom; i++) {
        ast_name imp = c->files.items[f].ast->imports.items[i];
        uint32_t target;
        if (locate_module(c, f, imp, &target) != LOOKUP_FOUND)
            continue;
        loaded_file *lf = &c->files.items[f]; /* locate_module may have grown files */
        if (!vec_push(&c->alloc, &lf->imports, target)) {
            c->oom = true;
            return;
        }
        if (!vec_push(&c->alloc, &lf->import_locs, imp.loc)) {
            lf->imports.len--; /* an import has its place, or is not there */
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
    if (compiler_out_of_memory(c))
        return; /* what is loaded may be incomplete: the run is out of memory */
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
        if (compiler_out_of_memory(c))
            return RUBRIC_ERR_NOMEM;
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
    if (compiler_out_of_memory(c))
        return RUBRIC_ERR_NOMEM;
    if (c->diags.errors)
        return RUBRIC_ERR_COMPILE;

    bc_module m;
    mbuild b;
    mb_init(&b, &m, &c->alloc);
    sema s;
    bool ok = sema_run(&s, c, &b);
    /* Lowering reports what only it sees (how deep calls nest), so a
     * check lowers too: what check accepts, compile compiles. */
    if (ok)
        ok = lower_programs(&s);
    sema_free(&s);
    if (!ok || check_only || compiler_out_of_memory(c)) {
        mb_abort(&b);
        if (compiler_out_of_memory(c))
            return RUBRIC_ERR_NOMEM;
        return c->diags.errors ? RUBRIC_ERR_COMPILE : RUBRIC_OK;
    }
    if (!mb_finish(&b)) {
        if (compiler_out_of_memory(c))
            return RUBRIC_ERR_NOMEM;
        ast_loc loc = {0};
        diag_error(&c->diags, loc, "internal error: %s", b.error);
        return RUBRIC_ERR_COMPILE;
    }
    rubric_status st = finish(c, &m, bytecode, length);
    module_release(&m);
    return st;
}

/* ------------------------------------------------------------ doc */

/* The modules named for documentation are imported by a source of their
 * own, so that they are found, loaded and checked as any import is. */
static rubric_status import_named_modules(compiler *c, const char *const *modules, size_t count)
{
    strbuf sb;
    sb_init(&sb, &c->alloc);
    for (size_t i = 0; i < count; i++)
        sb_printf(&sb, "import %s\n", modules[i]);
    rubric_status st = sb.failed ? RUBRIC_ERR_NOMEM
                                 : rubric_compiler_add_source(c, "<command line>",
                                                              sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    return st;
}

/* The files to document: the roots given, then the named modules. */
static uint32_t documented_files(compiler *c, uint32_t nroots, const char *const *modules,
                                 size_t count, uint32_t *files)
{
    uint32_t n = 0;
    for (uint32_t f = 0; f < nroots; f++)
        files[n++] = f;
    for (size_t i = 0; i < count; i++) {
        uint32_t f = find_loaded(c, modules[i]);
        if (f != UINT32_MAX)
            files[n++] = f;
    }
    return n;
}

rubric_status rubric_compiler_document(rubric_compiler *c, const char *const *modules,
                                       size_t count, char **markdown, size_t *length)
{
    if (!c || !markdown || !length || (count && !modules))
        return RUBRIC_ERR_USAGE;
    *markdown = NULL;
    *length = 0;
    uint32_t nroots = c->files.len;
    rubric_status st = count ? import_named_modules(c, modules, count) : RUBRIC_OK;
    if (st != RUBRIC_OK)
        return st;
    load_all(c);
    check_import_cycles(c);
    if (compiler_out_of_memory(c))
        return RUBRIC_ERR_NOMEM;
    if (c->diags.errors)
        return RUBRIC_ERR_COMPILE;
    uint32_t *files = mem_calloc(&c->alloc, nroots + count + 1, sizeof *files);
    if (!files)
        return RUBRIC_ERR_NOMEM;
    uint32_t nfiles = documented_files(c, nroots, modules, count, files);
    bc_module m;
    mbuild b;
    mb_init(&b, &m, &c->alloc);
    sema s;
    strbuf out;
    sb_init(&out, &c->alloc);
    bool ok = sema_run(&s, c, &b) && doc_render(&s, files, nfiles, &out);
    sema_free(&s);
    mb_abort(&b);
    mem_free(&c->alloc, files, (nroots + count + 1) * sizeof *files);
    if (compiler_out_of_memory(c) || out.failed)
        st = RUBRIC_ERR_NOMEM;
    else if (!ok || c->diags.errors)
        st = RUBRIC_ERR_COMPILE;
    if (st == RUBRIC_OK) {
        /* Exactly length + 1 bytes, as rubric_free expects of a string. */
        *markdown = mem_strndup(&c->alloc, out.data ? out.data : "", out.len);
        *length = out.len;
        if (!*markdown)
            st = RUBRIC_ERR_NOMEM;
    }
    sb_free(&out);
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
