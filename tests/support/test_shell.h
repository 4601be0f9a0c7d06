/*
 * test_shell.h — running the rubric command from a shell script, for tests
 * that need control of its environment, umask, signals or file descriptors,
 * and a private temporary directory for them.
 */
#ifndef RUBRIC_TEST_SHELL_H
#define RUBRIC_TEST_SHELL_H

/* Run `sh -c script` from the source directory with $R set to the rubric
 * binary and stdin from /dev/null; *out and *err (when not NULL) receive
 * its stdout and stderr, to free().  Returns the exit status, or 128 + n
 * when it died of signal n (what a shell reports). */
int test_sh(const char *script, char **out, char **err);

/* A new empty directory under $TMPDIR (or /tmp), to free(). */
char *test_temp_dir(void);

/* Remove a directory made by test_temp_dir and everything in it. */
void test_remove_dir(const char *dir);

/* Write text to a file (created or truncated). */
void test_write_text(const char *path, const char *text);

/* cmocka setup and teardown giving a test a temporary directory as its
 * state, removed after it even when it fails. */
int test_dir_setup(void **state);
int test_dir_teardown(void **state);

#endif /* RUBRIC_TEST_SHELL_H */
