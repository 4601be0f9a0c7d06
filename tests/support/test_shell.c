/* test_shell.c — running the rubric command from a shell script. */
#include "test_shell.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_support.h"

int test_sh(const char *script, char **out, char **err)
{
    char *dir = test_temp_dir();
    size_t size = strlen(dir) + 16;
    char *out_path = malloc(size), *err_path = malloc(size);
    assert_true(out_path && err_path);
    snprintf(out_path, size, "%s/stdout", dir);
    snprintf(err_path, size, "%s/stderr", dir);
    size_t cmd_size = strlen(script) + 3 * strlen(dir) + strlen(RUBRIC_SOURCE_DIR) +
                      strlen(RUBRIC_BINARY) + 64;
    char *cmd = malloc(cmd_size);
    assert_non_null(cmd);
    /* The script runs in a subshell of its own so that its redirections
     * and traps apply to it alone. */
    snprintf(cmd, cmd_size, "cd '%s' && R='%s' && export R && (%s\n) </dev/null >'%s' 2>'%s'",
             RUBRIC_SOURCE_DIR, RUBRIC_BINARY, script, out_path, err_path);
    int status = system(cmd);
    assert_true(status != -1);
    char *o = test_read_file(out_path, NULL);
    char *e = test_read_file(err_path, NULL);
    assert_true(o && e);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    free(cmd);
    free(out_path);
    free(err_path);
    test_remove_dir(dir);
    free(dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *test_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !tmp[0])
        tmp = "/tmp";
    size_t size = strlen(tmp) + 32;
    char *dir = malloc(size);
    assert_non_null(dir);
    snprintf(dir, size, "%s/rubric-test-XXXXXX", tmp);
    assert_non_null(mkdtemp(dir));
    return dir;
}

void test_remove_dir(const char *dir)
{
    assert_non_null(strstr(dir, "/rubric-test-"));
    size_t size = strlen(dir) + 16;
    char *cmd = malloc(size);
    assert_non_null(cmd);
    snprintf(cmd, size, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

void test_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

int test_dir_setup(void **state)
{
    *state = test_temp_dir();
    return 0;
}

int test_dir_teardown(void **state)
{
    test_remove_dir(*state);
    free(*state);
    return 0;
}
