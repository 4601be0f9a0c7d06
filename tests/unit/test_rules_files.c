/*
 * test_rules_files.c — reading rules, bytecode and rule-test files safely,
 * and finding the modules that rules import.
 *
 * Reads: only regular files are read (a FIFO never blocks the reader, a
 * device is refused), with a size limit checked before reading and while
 * reading; each refusal names the file and the reason.  FIFOs, devices and
 * oversized (sparse) files are made in a private temporary directory.
 *
 * Imports: `import a.b` is looked for under the importing file's module
 * root, then in the search paths, then among the built-in modules; never in
 * ancestor directories, the same however the importing file's path is
 * spelled, and a local file never silently replaces a built-in module.
 */
#define _XOPEN_SOURCE 700 /* mknod */
#include "test_shell.h"
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bytecode.h"
#include "compiler.h"
#include "file_read.h"

static char dir[256];

/* A private temporary directory for the whole group (test_temp_dir). */
static int make_dir(void **state)
{
    (void)state;
    char *made = test_temp_dir();
    snprintf(dir, sizeof dir, "%s", made);
    free(made);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    test_remove_dir(dir);
    return 0;
}

/* dir/name, with the directories below dir made; a static buffer. */
static const char *make_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    return path;
}

static const char *write_file(const char *name, const char *text)
{
    const char *path = make_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *make_fifo(const char *name)
{
    const char *path = make_path(name);
    assert_int_equal(mkfifo(path, 0600), 0);
    return path;
}

/* A private character device with the numbers of /dev/zero (1, 5); NULL
 * when this process may not make one (not root, or a container). */
static const char *make_zero_device(const char *name)
{
    const char *path = make_path(name);
    return mknod(path, S_IFCHR | 0600, makedev(1, 5)) == 0 ? path : NULL;
}

/* A sparse file of size bytes: no disk space, but fstat sees the size. */
static const char *make_sparse(const char *name, off_t size)
{
    const char *path = make_path(name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, size), 0);
    assert_int_equal(close(fd), 0);
    return path;
}

/* The exact text of stderr, with every "{}" replaced by the temporary
 * directory. */
static void assert_stderr(const char *err, const char *pattern)
{
    char want[4096];
    size_t n = 0;
    for (const char *p = pattern; *p && n + sizeof dir < sizeof want; p++) {
        if (p[0] == '{' && p[1] == '}') {
            n += (size_t)snprintf(want + n, sizeof want - n, "%s", dir);
            p++;
        } else {
            want[n++] = *p;
        }
    }
    want[n] = '\0';
    assert_string_equal(err, want);
}

/* Run rubric with args (every "{}" is the temporary directory); returns the
 * exit status, stderr in *err (to free). */
static int run(const char *args, char **err)
{
    char command[4096];
    size_t n = 0;
    for (const char *p = args; *p && n + sizeof dir < sizeof command; p++) {
        if (p[0] == '{' && p[1] == '}') {
            n += (size_t)snprintf(command + n, sizeof command - n, "'%s'", dir);
            p++;
        } else {
            command[n++] = *p;
        }
    }
    command[n] = '\0';
    return test_run(command, NULL, NULL, err);
}

static void expect_run(const char *args, int status, const char *stderr_pattern)
{
    char *err = NULL;
    int got = run(args, &err);
    if (got != status)
        fail_msg("rubric %s: exit %d, expected %d; stderr:\n%s", args, got, status, err);
    assert_stderr(err, stderr_pattern);
    free(err);
}

/* ------------------------------------------------------------ file_read */

static void test_read_regular_file(void **state)
{
    (void)state;
    const char *path = write_file("a.rubric", "let a = 1\n");
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 100, &f), RUBRIC_OK);
    assert_int_equal(f.len, 10);
    assert_string_equal(f.text, "let a = 1\n");
    file_text_free(test_alloc(), &f);
}

static void test_read_exactly_the_limit(void **state)
{
    (void)state;
    const char *path = write_file("ten", "0123456789");
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 10, &f), RUBRIC_OK);
    assert_int_equal(f.len, 10);
    file_text_free(test_alloc(), &f);
    assert_int_equal(file_read(test_alloc(), path, 9, &f), RUBRIC_ERR_LIMIT);
    char want[600];
    snprintf(want, sizeof want, "%s is too large (10 bytes, at most 9 bytes)", path);
    assert_string_equal(f.why, want);
    assert_null(f.text);
}

static void test_read_missing_file(void **state)
{
    (void)state;
    const char *path = make_path("nope/a.rubric");
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 100, &f), RUBRIC_ERR_IO);
    assert_true(f.missing);
    char want[600];
    snprintf(want, sizeof want, "cannot read %s: No such file or directory", path);
    assert_string_equal(f.why, want);
}

static void test_read_directory(void **state)
{
    (void)state;
    write_file("sub/x", "");
    char path[300];
    snprintf(path, sizeof path, "%s/sub", dir);
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 100, &f), RUBRIC_ERR_IO);
    assert_false(f.missing);
    char want[600];
    snprintf(want, sizeof want, "%s is not a regular file", path);
    assert_string_equal(f.why, want);
}

/* Opening a FIFO for reading waits for a writer; this one has none. */
static void test_read_fifo_does_not_block(void **state)
{
    (void)state;
    const char *path = make_fifo("pipe.rubric");
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 100, &f), RUBRIC_ERR_IO);
    assert_false(f.missing);
    char want[600];
    snprintf(want, sizeof want, "%s is not a regular file", path);
    assert_string_equal(f.why, want);
}

static void test_read_device(void **state)
{
    (void)state;
    const char *path = make_zero_device("zero.rubric");
    if (!path)
        skip();
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, 100, &f), RUBRIC_ERR_IO);
    char want[600];
    snprintf(want, sizeof want, "%s is not a regular file", path);
    assert_string_equal(f.why, want);
}

static void test_read_sparse_file_over_the_limit(void **state)
{
    (void)state;
    const char *path = make_sparse("big.rubric", (off_t)3 << 30);
    file_text f;
    assert_int_equal(file_read(test_alloc(), path, COMPILER_MAX_SOURCE_SIZE, &f),
                     RUBRIC_ERR_LIMIT);
    char want[600];
    snprintf(want, sizeof want, "%s is too large (3221225472 bytes, at most 64 MiB)", path);
    assert_string_equal(f.why, want);
}

/* A stream (standard input) has no size to check first: the limit holds
 * while reading. */
static void test_read_stream_is_bounded_while_reading(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "01234567890123456789", 20), 20);
    assert_int_equal(close(fds[1]), 0);
    file_text f;
    assert_int_equal(file_read_fd(test_alloc(), fds[0], "standard input", 10, true, &f),
                     RUBRIC_ERR_LIMIT);
    assert_string_equal(f.why, "standard input is too large (more than 10 bytes)");
    assert_int_equal(close(fds[0]), 0);
}

static void test_read_stream_within_the_limit(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "0123456789", 10), 10);
    assert_int_equal(close(fds[1]), 0);
    file_text f;
    assert_int_equal(file_read_fd(test_alloc(), fds[0], "standard input", 10, true, &f),
                     RUBRIC_OK);
    assert_int_equal(f.len, 10);
    assert_string_equal(f.text, "0123456789");
    file_text_free(test_alloc(), &f);
    assert_int_equal(close(fds[0]), 0);
}

/* Not a stream: a pipe is refused like a FIFO. */
static void test_read_pipe_when_not_a_stream(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    file_text f;
    assert_int_equal(file_read_fd(test_alloc(), fds[0], "the pipe", 10, false, &f),
                     RUBRIC_ERR_IO);
    assert_string_equal(f.why, "the pipe is not a regular file");
    close(fds[0]);
    close(fds[1]);
}

/* ------------------------------------------------------------ the commands */

static void test_check_fifo_rules(void **state)
{
    (void)state;
    make_fifo("pipe.rubric");
    expect_run("check {}/pipe.rubric", 1, "rubric: {}/pipe.rubric is not a regular file\n");
}

static void test_check_device_rules(void **state)
{
    (void)state;
    if (!make_zero_device("zero.rubric"))
        skip();
    expect_run("check {}/zero.rubric", 1, "rubric: {}/zero.rubric is not a regular file\n");
    expect_run("eval -r {}/zero.rubric examples/partners/select.json", 1,
               "rubric: {}/zero.rubric is not a regular file\n");
}

static void test_check_rules_too_large(void **state)
{
    (void)state;
    make_sparse("big.rubric", (off_t)COMPILER_MAX_SOURCE_SIZE + 1);
    expect_run("check {}/big.rubric", 1,
               "rubric: {}/big.rubric is too large (67108865 bytes, at most 64 MiB)\n");
}

static void test_bytecode_fifo(void **state)
{
    (void)state;
    make_fifo("pipe.rbc");
    expect_run("disasm {}/pipe.rbc", 1, "rubric: {}/pipe.rbc is not a regular file\n");
    expect_run("eval -r {}/pipe.rbc examples/partners/select.json", 1,
               "rubric: {}/pipe.rbc is not a regular file\n");
}

static void test_bytecode_device(void **state)
{
    (void)state;
    if (!make_zero_device("zero.rbc"))
        skip();
    expect_run("disasm {}/zero.rbc", 1, "rubric: {}/zero.rbc is not a regular file\n");
}

/* Refused from its size, before a byte is read. */
static void test_bytecode_too_large(void **state)
{
    (void)state;
    make_sparse("big.rbc", (off_t)1 << 30);
    expect_run("disasm {}/big.rbc", 1,
               "rubric: {}/big.rbc is too large (1073741824 bytes, at most 256 MiB)\n");
    expect_run("eval -r {}/big.rbc examples/partners/select.json", 1,
               "rubric: {}/big.rbc is too large (1073741824 bytes, at most 256 MiB)\n");
}

static void test_rule_test_file_fifo(void **state)
{
    (void)state;
    make_fifo("pipe_test.rubric");
    expect_run("test {}/pipe_test.rubric", 1, "rubric: {}/pipe_test.rubric is not a regular file\n");
}

static void test_rule_test_file_too_large(void **state)
{
    (void)state;
    make_sparse("big_test.rubric", (off_t)COMPILER_MAX_SOURCE_SIZE + 1);
    expect_run("test {}/big_test.rubric", 1,
               "rubric: {}/big_test.rubric is too large (67108865 bytes, at most 64 MiB)\n");
}

static void test_rule_test_data_fifo(void **state)
{
    (void)state;
    make_fifo("data.json");
    write_file("fifo_test.rubric", "test \"Data from a FIFO\"\n"
                                   "  program \"apn-2019-consulting\"\n"
                                   "  as_of 2026-11-22\n"
                                   "  data \"data.json\"\n"
                                   "  expect eligible_tier none\n");
    char *out = NULL;
    char command[512];
    snprintf(command, sizeof command, "test '%s/fifo_test.rubric'", dir);
    assert_int_equal(test_run(command, NULL, &out, NULL), 1);
    char want[600];
    snprintf(want, sizeof want, "%s/data.json is not a regular file", dir);
    if (!strstr(out, want))
        fail_msg("expected to find\n  %s\nin\n%s", want, out);
    assert_non_null(strstr(out, "0 passed, 1 failed\n"));
    free(out);
}

/* ------------------------------------------------------------ imports */

/* Compile root (with the built-in modules and the search paths) for
 * checking; the compiler, to free. */
static rubric_compiler *check_file(const char *root, const char *const *search)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    for (; search && *search; search++)
        assert_int_equal(rubric_compiler_add_search_path(c, *search), RUBRIC_OK);
    assert_int_equal(rubric_compiler_add_file(c, root), RUBRIC_OK);
    /* The outcome is in the diagnostics, which the tests look at. */
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    (void)st;
    return c;
}

/* The path module was loaded from, or NULL. */
static const char *loaded_from(const rubric_compiler *c, const char *module)
{
    for (uint32_t i = 0; i < c->sources.files.len; i++) {
        const source_file *f = &c->sources.files.items[i];
        if (f->module_name && strcmp(f->module_name, module) == 0)
            return f->path;
    }
    return NULL;
}

static void assert_no_diags(const rubric_compiler *c)
{
    if (rubric_compiler_diag_count(c)) {
        char *text = rubric_compiler_render_diags(c, false);
        fail_msg("unexpected diagnostics:\n%s", text);
    }
}

/* Check root from the working directory cwd and expect module to come
 * from `want` (with "{}" the temporary directory). */
static void expect_import(const char *cwd, const char *root, const char *module,
                          const char *want)
{
    char old[PATH_MAX], expected[600];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(cwd), 0);
    rubric_compiler *c = check_file(root, NULL);
    assert_int_equal(chdir(old), 0);
    assert_no_diags(c);
    const char *hole = strstr(want, "{}");
    if (hole)
        snprintf(expected, sizeof expected, "%.*s%s%s", (int)(hole - want), want, dir, hole + 2);
    else
        snprintf(expected, sizeof expected, "%s", want);
    const char *got = loaded_from(c, module);
    assert_non_null(got);
    assert_string_equal(got, expected);
    rubric_compiler_free(c);
}

/* A module-less rules file, the module it imports next to it, and a decoy
 * with the same name one directory up (that is never read). */
static void write_rules_with_decoy(void)
{
    write_file("rules/main.rubric", "import lib.x\nlet y = x_value + 1\n");
    write_file("rules/lib/x.rubric", "let x_value = 1\n");
    write_file("lib/x.rubric", "this is not rubric\n");
}

static void test_import_same_for_every_spelling(void **state)
{
    (void)state;
    write_rules_with_decoy();
    char rules[300], lib[300], abs_root[300];
    snprintf(rules, sizeof rules, "%s/rules", dir);
    snprintf(lib, sizeof lib, "%s/rules/lib", dir);
    snprintf(abs_root, sizeof abs_root, "%s/rules/main.rubric", dir);
    expect_import(dir, "rules/main.rubric", "lib.x", "rules/lib/x.rubric");
    expect_import(dir, "./rules/main.rubric", "lib.x", "rules/lib/x.rubric");
    expect_import(dir, "rules//main.rubric", "lib.x", "rules/lib/x.rubric");
    expect_import(dir, "lib/../rules/./main.rubric", "lib.x", "rules/lib/x.rubric");
    expect_import(dir, abs_root, "lib.x", "{}/rules/lib/x.rubric");
    expect_import("/", abs_root, "lib.x", "{}/rules/lib/x.rubric");
    expect_import(rules, "main.rubric", "lib.x", "lib/x.rubric");
    expect_import(rules, "./main.rubric", "lib.x", "lib/x.rubric");
    expect_import(lib, "../main.rubric", "lib.x", "../lib/x.rubric");
}

/* The old lookup also searched every parent directory: with an absolute
 * path up to "/", so a stray apn/common.rubric replaced the built-in. */
static void test_import_skips_ancestor_directories(void **state)
{
    (void)state;
    write_file("apn/common.rubric", "this is not rubric\n");
    write_file("lib/x.rubric", "this is not rubric\n");
    write_file("deep/down/rules/main.rubric", "import apn.partner\nimport apn.common\n");
    char root[300];
    snprintf(root, sizeof root, "%s/deep/down/rules/main.rubric", dir);
    expect_import(dir, root, "apn.common", "<stdlib>/apn/common.rubric");
    expect_import(dir, "deep/down/rules/main.rubric", "apn.common",
                  "<stdlib>/apn/common.rubric");

    /* And a module that is only in a parent directory is not found. */
    write_file("deep/down/rules/other.rubric", "import lib.x\n");
    snprintf(root, sizeof root, "%s/deep/down/rules/other.rubric", dir);
    rubric_compiler *c = check_file(root, NULL);
    assert_int_equal(rubric_compiler_diag_count(c), 1);
    char want[600];
    snprintf(want, sizeof want,
             "looked for lib/x.rubric in %s/deep/down/rules (the module root of this file) "
             "and among the built-in modules", dir);
    assert_string_equal(rubric_compiler_diag(c, 0)->message, "cannot find module 'lib.x'");
    assert_string_equal(rubric_compiler_diag(c, 0)->hint, want);
    rubric_compiler_free(c);
}

/* `module acme.billing` in SRC/acme/billing.rubric: its imports are found
 * under SRC, not next to it. */
static void test_import_from_the_module_root(void **state)
{
    (void)state;
    write_file("src/acme/billing.rubric", "module acme.billing\nimport acme.util\n"
                                          "let fee = util_value\n");
    write_file("src/acme/util.rubric", "module acme.util\nlet util_value = 1\n");
    write_file("src/acme/acme/util.rubric", "this is not rubric\n");
    expect_import(dir, "src/acme/billing.rubric", "acme.util", "src/acme/util.rubric");
    expect_import(dir, "./src/acme/../acme/billing.rubric", "acme.util",
                  "src/acme/util.rubric");

    /* Three levels: a.b.c in SRC/a/b/c.rubric imports a.d from SRC/a/d.rubric. */
    write_file("src/a/b/c.rubric", "module a.b.c\nimport a.d\nlet c_value = d_value\n");
    write_file("src/a/d.rubric", "module a.d\nlet d_value = 1\n");
    expect_import(dir, "src/a/b/c.rubric", "a.d", "src/a/d.rubric");
    /* Run from SRC/a/b, "c.rubric" does not spell a/b: the root is found
     * from the working directory. */
    char src[300];
    snprintf(src, sizeof src, "%s/src/a/b", dir);
    expect_import(src, "c.rubric", "a.d", "{}/src/a/d.rubric");
    expect_import(src, "../b/c.rubric", "a.d", "{}/src/a/d.rubric");
}

/* A file whose path does not end in its module's name counts from its own
 * directory. */
static void test_import_from_own_directory_when_path_differs(void **state)
{
    (void)state;
    write_file("src/main.rubric", "module acme.main\nimport acme.util\n"
                                  "let fee = util_value\n");
    write_file("src/acme/util.rubric", "module acme.util\nlet util_value = 1\n");
    expect_import(dir, "src/main.rubric", "acme.util", "src/acme/util.rubric");
}

/* Modules found under the module root import from that same root. */
static void test_import_chain_keeps_the_root(void **state)
{
    (void)state;
    write_file("p/main.rubric", "import lib.a\nlet m = a_value\n");
    write_file("p/lib/a.rubric", "module lib.a\nimport lib.b\nlet a_value = b_value\n");
    write_file("p/lib/b.rubric", "module lib.b\nlet b_value = 1\n");
    write_file("p/lib/lib/b.rubric", "this is not rubric\n");
    expect_import(dir, "p/main.rubric", "lib.b", "p/lib/b.rubric");
}

/* A local file named like a built-in module is an error, naming both. */
static void test_import_local_file_with_a_builtin_name(void **state)
{
    (void)state;
    write_file("rules/apn/common.rubric", "module apn.common\nimport apn.partner\n"
                                          "let local_marker = 1\n");
    write_file("rules/main.rubric", "import apn.partner\nimport apn.common\n");
    expect_run("check {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:2:8: error: module 'apn.common' is both built in and the "
               "file {}/rules/apn/common.rubric\n"
               "    2 | import apn.common\n"
               "      |        ^~~~~~~~~~\n"
               "{}/rules/main.rubric:2:8: note: to use the file, add the search path "
               "'-I {}/rules'; to use the built-in module, rename or move the file\n");
}

static void test_import_local_file_with_a_builtin_name_from_cwd(void **state)
{
    (void)state;
    write_file("apn/partner.rubric", "module apn.partner\n");
    write_file("main.rubric", "import apn.partner\n");
    char old[PATH_MAX];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    rubric_compiler *c = check_file("main.rubric", NULL);
    assert_int_equal(chdir(old), 0);
    assert_int_equal(rubric_compiler_diag_count(c), 1);
    assert_string_equal(rubric_compiler_diag(c, 0)->message,
                        "module 'apn.partner' is both built in and the file apn/partner.rubric");
    assert_string_equal(rubric_compiler_diag(c, 0)->hint,
                        "to use the file, add the search path '-I .'; to use the built-in "
                        "module, rename or move the file");
    rubric_compiler_free(c);
}

/* Chosen with -I, the local file is used. */
static void test_import_builtin_name_chosen_with_search_path(void **state)
{
    (void)state;
    write_file("rules/apn/common.rubric", "module apn.common\nimport apn.partner\n"
                                          "let local_marker = 1\n");
    write_file("rules/main.rubric", "import apn.partner\nimport apn.common\n"
                                    "let y = local_marker\n");
    expect_run("check -I {}/rules {}/rules/main.rubric", 0, "");
    char search[300], root[300];
    snprintf(search, sizeof search, "%s/rules", dir);
    snprintf(root, sizeof root, "%s/rules/main.rubric", dir);
    const char *paths[] = {search, NULL};
    rubric_compiler *c = check_file(root, paths);
    assert_no_diags(c);
    char want[600];
    snprintf(want, sizeof want, "%s/rules/apn/common.rubric", dir);
    assert_string_equal(loaded_from(c, "apn.common"), want);
    assert_string_equal(loaded_from(c, "apn.partner"), "<stdlib>/apn/partner.rubric");
    rubric_compiler_free(c);
}

/* A file of the built-in's own package (module apn.*) takes it from its
 * module root, as the standard rules do when compiled from disk. */
static void test_import_builtin_name_in_its_own_package(void **state)
{
    (void)state;
    write_file("pkg/apn/common.rubric", "module apn.common\nimport apn.partner\n"
                                        "let local_marker = 1\n");
    write_file("pkg/apn/custom.rubric", "module apn.custom\nimport apn.partner\n"
                                        "import apn.common\nlet y = local_marker\n");
    expect_import(dir, "pkg/apn/custom.rubric", "apn.common", "pkg/apn/common.rubric");
    expect_import(dir, "pkg/apn/custom.rubric", "apn.partner", "<stdlib>/apn/partner.rubric");
}

static void test_standard_rules_from_disk(void **state)
{
    (void)state;
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s", test_path("stdlib-rules/apn/partner.rubric"));
    expect_import(RUBRIC_SOURCE_DIR, "stdlib-rules/apn/services_2022.rubric", "apn.partner",
                  "stdlib-rules/apn/partner.rubric");
    expect_import("/", test_path("stdlib-rules/apn/services_2022.rubric"), "apn.partner", want);
    expect_run("check stdlib-rules/apn/*.rubric", 0, "");
    expect_run("check stdlib-rules/apn/consulting_2019.rubric", 0, "");
    expect_run("check examples/rules/cloud_security.rubric", 0, "");
}

static void test_cannot_find_hint_lists_search_paths(void **state)
{
    (void)state;
    write_file("rules/main.rubric", "import lib.nope\n");
    write_file("one/x", "");
    write_file("two/x", "");
    expect_run("check -I {}/one -I {}/two {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:1:8: error: cannot find module 'lib.nope'\n"
               "    1 | import lib.nope\n"
               "      |        ^~~~~~~~\n"
               "{}/rules/main.rubric:1:8: note: looked for lib/nope.rubric in {}/rules (the "
               "module root of this file), in the search paths {}/one, {}/two and among the "
               "built-in modules\n");
}

static void test_import_fifo(void **state)
{
    (void)state;
    write_file("rules/main.rubric", "import lib.pipe\n");
    make_fifo("rules/lib/pipe.rubric");
    expect_run("check {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:1:8: error: cannot import 'lib.pipe': "
               "{}/rules/lib/pipe.rubric is not a regular file\n"
               "    1 | import lib.pipe\n"
               "      |        ^~~~~~~~\n");
}

/* Found through -I, a FIFO is refused too, and the lookup stops there. */
static void test_import_fifo_in_search_path(void **state)
{
    (void)state;
    write_file("rules/main.rubric", "import apn.partner\n");
    make_fifo("mods/apn/partner.rubric");
    expect_run("check -I {}/mods {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:1:8: error: cannot import 'apn.partner': "
               "{}/mods/apn/partner.rubric is not a regular file\n"
               "    1 | import apn.partner\n"
               "      |        ^~~~~~~~~~~\n");
}

static void test_import_device(void **state)
{
    (void)state;
    write_file("rules/main.rubric", "import lib.zero\n");
    if (!make_zero_device("rules/lib/zero.rubric"))
        skip();
    expect_run("check {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:1:8: error: cannot import 'lib.zero': "
               "{}/rules/lib/zero.rubric is not a regular file\n"
               "    1 | import lib.zero\n"
               "      |        ^~~~~~~~\n");
}

static void test_import_too_large(void **state)
{
    (void)state;
    write_file("rules/main.rubric", "import lib.big\n");
    make_sparse("rules/lib/big.rubric", (off_t)3 << 30);
    expect_run("check {}/rules/main.rubric", 1,
               "{}/rules/main.rubric:1:8: error: cannot import 'lib.big': "
               "{}/rules/lib/big.rubric is too large (3221225472 bytes, at most 64 MiB)\n"
               "    1 | import lib.big\n"
               "      |        ^~~~~~~\n");
}

#define T(name) cmocka_unit_test_setup_teardown(name, make_dir, remove_dir)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_read_regular_file),
        T(test_read_exactly_the_limit),
        T(test_read_missing_file),
        T(test_read_directory),
        T(test_read_fifo_does_not_block),
        T(test_read_device),
        T(test_read_sparse_file_over_the_limit),
        T(test_read_stream_is_bounded_while_reading),
        T(test_read_stream_within_the_limit),
        T(test_read_pipe_when_not_a_stream),
        T(test_check_fifo_rules),
        T(test_check_device_rules),
        T(test_check_rules_too_large),
        T(test_bytecode_fifo),
        T(test_bytecode_device),
        T(test_bytecode_too_large),
        T(test_rule_test_file_fifo),
        T(test_rule_test_file_too_large),
        T(test_rule_test_data_fifo),
        T(test_import_same_for_every_spelling),
        T(test_import_skips_ancestor_directories),
        T(test_import_from_the_module_root),
        T(test_import_from_own_directory_when_path_differs),
        T(test_import_chain_keeps_the_root),
        T(test_import_local_file_with_a_builtin_name),
        T(test_import_local_file_with_a_builtin_name_from_cwd),
        T(test_import_builtin_name_chosen_with_search_path),
        T(test_import_builtin_name_in_its_own_package),
        T(test_standard_rules_from_disk),
        T(test_cannot_find_hint_lists_search_paths),
        T(test_import_fifo),
        T(test_import_fifo_in_search_path),
        T(test_import_device),
        T(test_import_too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
