/* test_support.c — helpers shared by the unit tests. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_reader.h"

const rubric_allocator *test_alloc(void)
{
    static rubric_allocator alloc;
    static int ready;
    if (!ready) {
        alloc = mem_default_allocator();
        ready = 1;
    }
    return &alloc;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    if (size < 0) {
        fclose(f);
        return NULL;
    }
    char *buf = calloc((size_t)size + JSON_PADDING + 1, 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf && len)
        *len = (size_t)size;
    return buf;
}

const char *test_path(const char *relative)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", RUBRIC_SOURCE_DIR, relative);
    return buf;
}

/* Read a temporary file into a NUL-terminated buffer and remove it. */
static char *slurp_and_remove(const char *path)
{
    size_t len = 0;
    char *text = test_read_file(path, &len);
    remove(path);
    if (!text)
        text = calloc(1, 1);
    return text;
}

int test_run(const char *args, const char *stdin_path, char **out, char **err)
{
    char out_path[] = "/tmp/rubric-test-out-XXXXXX";
    char err_path[] = "/tmp/rubric-test-err-XXXXXX";
    int fd_out = mkstemp(out_path);
    int fd_err = mkstemp(err_path);
    assert_true(fd_out >= 0 && fd_err >= 0);
    close(fd_out);
    close(fd_err);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && NO_COLOR=1 '%s' %s <%s >'%s' 2>'%s'", RUBRIC_SOURCE_DIR,
             RUBRIC_BINARY, args, stdin_path ? stdin_path : "/dev/null", out_path, err_path);
    int status = system(cmd);
    assert_true(status != -1 && WIFEXITED(status));
    char *o = slurp_and_remove(out_path);
    char *e = slurp_and_remove(err_path);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WEXITSTATUS(status);
}

void test_check_golden(const char *relative, const char *text)
{
    const char *path = test_path(relative);
    if (getenv("UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fputs(text, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
        return;
    }
    char *want = test_read_file(path, NULL);
    if (!want)
        fail_msg("missing golden file %s (run with UPDATE_GOLDEN=1)", relative);
    if (strcmp(want, text) != 0) {
        /* Point at the first differing line: golden files can be long. */
        size_t line = 1, i = 0;
        for (; want[i] && want[i] == text[i]; i++)
            line += want[i] == '\n';
        free(want);
        fail_msg("%s differs from line %zu on (UPDATE_GOLDEN=1 rewrites it); got:\n%s", relative,
                 line, text);
    }
    free(want);
}
