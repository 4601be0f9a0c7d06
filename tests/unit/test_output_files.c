/*
 * test_output_files.c — what `-o FILE` does with the file it is given
 * (docs/cli.md, "Output files"): special files written where they are,
 * symlinks followed, modes and owners kept, inputs refused, temporary files
 * removed on a signal, exact reasons for errors; and errors writing
 * standard output.  Every file is made in a private temporary directory;
 * device nodes are private ones made with mknod (skipped where that is not
 * permitted), never the system's.
 */
#define _XOPEN_SOURCE 700 /* mknod */

#include "test_shell.h"
#include "test_support.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVAL "\"$R\" eval --as-of 2026-11-22 -f jsonl "
#define PARTNER "examples/partners/select.json"

/* What `rubric eval` prints for PARTNER, the bytes every -o test expects. */
static char *expected_results(void)
{
    char *out;
    assert_int_equal(test_sh(EVAL PARTNER, &out, NULL), 0);
    assert_non_null(strstr(out, "\"partner\""));
    return out;
}

/* Run a script made with printf-style arguments (see test_sh). */
static int run(char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int run(char **out, char **err, const char *fmt, ...)
{
    char script[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(script, sizeof script, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof script);
    return test_sh(script, out, err);
}

static void join(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);
    assert_true(n > 0 && n < PATH_MAX);
}

static void copy_source_file(const char *relative, const char *to)
{
    char *text = test_read_file(test_path(relative), NULL);
    assert_non_null(text);
    test_write_text(to, text);
    free(text);
}

static void assert_file_text(const char *path, const char *want)
{
    char *got = test_read_file(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Entries of dir whose names start with prefix (".rubric-": temporary). */
static int entries_named(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static int temporaries_in(const char *dir)
{
    return entries_named(dir, ".rubric-");
}

/* A private character device with the numbers of /dev/null (1,3) or
 * /dev/full (1,7); false when mknod is not permitted or the node cannot be
 * opened here (a nodev mount). */
static bool make_device(const char *path, unsigned minor)
{
    if (mknod(path, S_IFCHR | 0666, makedev(1, minor)) != 0)
        return false;
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static void assert_still_device(const char *path, unsigned minor)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(st.st_rdev, makedev(1, minor));
}

/* Each test has a temporary directory of its own, removed after it even
 * when it fails. */
#define TEST_IN_DIR(f) cmocka_unit_test_setup_teardown(f, test_dir_setup, test_dir_teardown)

/* ------------------------------------------------------ special files */

/* D1: a device node is written where it is, never replaced by a regular
 * file: eval, compile and diff. */
static void test_device_written_directly(void **state)
{
    const char *dir = *state;
    char null_path[PATH_MAX];
    join(null_path, dir, "null");
    if (!make_device(null_path, 3)) {
        skip();
    }
    char *out, *err;
    assert_int_equal(run(&out, &err, EVAL "-o '%s' " PARTNER, null_path), 0);
    assert_string_equal(err, "");
    free(out);
    free(err);
    assert_int_equal(run(NULL, &err, "\"$R\" compile examples/rules/cloud_security.rubric "
                         "-o '%s'", null_path), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(run(NULL, NULL, "\"$R\" diff --as-of 2026-11-22 --old stdlib --new stdlib "
                         "-f jsonl -o '%s' " PARTNER " 2>/dev/null", null_path), 0);
    assert_still_device(null_path, 3);
    assert_int_equal(temporaries_in(dir), 0);
}

/* A FIFO is written where it is: its reader gets the results. */
static void test_fifo_written_directly(void **state)
{
    const char *dir = *state;
    char fifo[PATH_MAX], got[PATH_MAX];
    join(fifo, dir, "fifo");
    join(got, dir, "got");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    char *want = expected_results();
    /* A reader that would wait for ever if the FIFO had been replaced. */
    assert_int_equal(run(NULL, NULL, "cat '%s' >'%s' & reader=$!; " EVAL "-o '%s' " PARTNER
                         "; status=$?; [ -p '%s' ] || kill $reader; wait; exit $status", fifo,
                         got, fifo, fifo), 0);
    assert_file_text(got, want);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(temporaries_in(dir), 0);
    free(want);
}

/* -o /dev/stdout writes to the command's standard output as it is, even a
 * regular file opened for appending (which a replacement would lose).  The
 * test names it /proc/self/fd/1, the file /dev/stdout links to: a command
 * that replaced its -o file could not replace anything in /proc, where
 * /dev/stdout itself it would. */
static void test_dev_stdout_is_standard_output(void **state)
{
    const char *dir = *state;
    char log[PATH_MAX];
    join(log, dir, "log");
    test_write_text(log, "before\n");
    struct stat st;
    if (stat("/proc/self/fd/1", &st) != 0)
        skip();
    char *want = expected_results();
    assert_int_equal(run(NULL, NULL, EVAL "-o /proc/self/fd/1 " PARTNER " >>'%s'", log), 0);
    size_t n = strlen("before\n") + strlen(want) + 1;
    char *both = malloc(n);
    assert_non_null(both);
    snprintf(both, n, "before\n%s", want);
    assert_file_text(log, both);
    assert_int_equal(temporaries_in(dir), 0);
    free(both);
    free(want);
}

/* ------------------------------------------------------ symlinks */

/* A symlink is followed and its target replaced; the link stays a link,
 * through a chain of links and to a name not taken yet. */
static void test_symlink_target_replaced(void **state)
{
    const char *dir = *state;
    char sub[PATH_MAX], real[PATH_MAX], link1[PATH_MAX],
         link2[PATH_MAX], dangling[PATH_MAX], created[PATH_MAX];
    join(sub, dir, "sub");
    join(real, dir, "sub/real.jsonl");
    join(link1, dir, "link1");
    join(link2, dir, "link2");
    join(dangling, dir, "dangling");
    join(created, dir, "sub/new.jsonl");
    assert_int_equal(mkdir(sub, 0755), 0);
    test_write_text(real, "before\n");
    assert_int_equal(symlink("sub/real.jsonl", link1), 0);
    assert_int_equal(symlink("link1", link2), 0);
    assert_int_equal(symlink("sub/new.jsonl", dangling), 0);
    char *want = expected_results();

    assert_int_equal(run(NULL, NULL, EVAL "-o '%s' " PARTNER, link2), 0);
    assert_file_text(real, want);
    char target[PATH_MAX];
    ssize_t n = readlink(link1, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    assert_string_equal(target, "sub/real.jsonl");
    n = readlink(link2, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    assert_string_equal(target, "link1");

    assert_int_equal(run(NULL, NULL, EVAL "-o '%s' " PARTNER, dangling), 0);
    assert_file_text(created, want);
    struct stat st;
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(temporaries_in(dir), 0);
    assert_int_equal(temporaries_in(sub), 0);
    free(want);
}

/* A loop of symlinks is an error with its reason. */
static void test_symlink_loop(void **state)
{
    const char *dir = *state;
    char a[PATH_MAX], b[PATH_MAX];
    join(a, dir, "a");
    join(b, dir, "b");
    assert_int_equal(symlink("b", a), 0);
    assert_int_equal(symlink("a", b), 0);
    char *err, want[2 * PATH_MAX];
    assert_int_equal(run(NULL, &err, EVAL "-o '%s' " PARTNER, a), 1);
    snprintf(want, sizeof want, "rubric: cannot write %s: %s\n", a, strerror(ELOOP));
    assert_string_equal(err, want);
    free(err);
}

/* ------------------------------------------------------ modes */

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* D11: an existing file keeps its mode (and owner, as root); a new one
 * gets 0666 less the umask. */
static void test_modes_and_owner_kept(void **state)
{
    const char *dir = *state;
    char existing[PATH_MAX], fresh[PATH_MAX], fresh2[PATH_MAX];
    join(existing, dir, "existing.jsonl");
    join(fresh, dir, "new.jsonl");
    join(fresh2, dir, "new2.jsonl");
    test_write_text(existing, "before\n");
    assert_int_equal(chmod(existing, 0640), 0);
    bool root = geteuid() == 0;
    if (root)
        assert_int_equal(chown(existing, 1234, 5678), 0);

    assert_int_equal(run(NULL, NULL, EVAL "-o '%s' " PARTNER, existing), 0);
    assert_int_equal(mode_of(existing), 0640);
    if (root) {
        struct stat st;
        assert_int_equal(stat(existing, &st), 0);
        assert_int_equal(st.st_uid, 1234);
        assert_int_equal(st.st_gid, 5678);
    }
    assert_int_equal(run(NULL, NULL, "umask 027; " EVAL "-o '%s' " PARTNER, fresh), 0);
    assert_int_equal(mode_of(fresh), 0640);
    assert_int_equal(run(NULL, NULL, "umask 002; \"$R\" compile "
                         "examples/rules/cloud_security.rubric -o '%s'", fresh2), 0);
    assert_int_equal(mode_of(fresh2), 0664);
}

/* ------------------------------------------------------ inputs */

static void assert_refused(const char *err, const char *output, const char *input_desc)
{
    char want[4 * PATH_MAX];
    snprintf(want, sizeof want, "rubric: -o %s is also an input (%s); refusing to overwrite it\n",
             output, input_desc);
    assert_string_equal(err, want);
}

/* D3: -o naming an input — by another spelling, a hard link or a symlink —
 * is refused with exit 2 before anything is read, and the input stays. */
static void test_output_naming_an_input_refused(void **state)
{
    const char *dir = *state;
    char data[PATH_MAX], hard[PATH_MAX], soft[PATH_MAX],
         rules[PATH_MAX], desc[2 * PATH_MAX];
    join(data, dir, "data.json");
    join(hard, dir, "hard.json");
    join(soft, dir, "soft.json");
    join(rules, dir, "rules.rubric");
    copy_source_file(PARTNER, data);
    copy_source_file("examples/rules/cloud_security.rubric", rules);
    assert_int_equal(link(data, hard), 0);
    assert_int_equal(symlink("data.json", soft), 0);
    char *data_text = test_read_file(data, NULL), *rules_text = test_read_file(rules, NULL);
    char *out, *err;

    /* ./data.json and data.json */
    assert_int_equal(run(&out, &err, "cd '%s' && " EVAL "-o ./data.json data.json", dir), 2);
    assert_string_equal(out, "");
    assert_refused(err, "./data.json", "data data.json");
    free(out);
    free(err);
    assert_int_equal(run(NULL, &err, EVAL "-o '%s' '%s'", hard, data), 2);
    snprintf(desc, sizeof desc, "data %s", data);
    assert_refused(err, hard, desc);
    free(err);
    assert_int_equal(run(NULL, &err, EVAL "-o '%s' - <'%s'", soft, data), 2);
    assert_refused(err, soft, "data on standard input");
    free(err);
    assert_int_equal(run(NULL, &err, EVAL "-r '%s' -o '%s' '%s'", rules, rules, data), 2);
    snprintf(desc, sizeof desc, "rules %s", rules);
    assert_refused(err, rules, desc);
    free(err);
    assert_int_equal(run(NULL, &err, "cd '%s' && \"$R\" compile rules.rubric -o ./rules.rubric",
                         dir), 2);
    assert_refused(err, "./rules.rubric", "rules rules.rubric");
    free(err);
    assert_int_equal(run(NULL, &err, "\"$R\" diff --old stdlib --new '%s' -o '%s' '%s'", rules,
                         data, data), 2);
    snprintf(desc, sizeof desc, "data %s", data);
    assert_refused(err, data, desc);
    free(err);
    assert_int_equal(run(NULL, &err, "\"$R\" diff --old '%s' --new stdlib -o '%s' '%s'", rules,
                         rules, data), 2);
    snprintf(desc, sizeof desc, "rules %s", rules);
    assert_refused(err, rules, desc);
    free(err);

    assert_file_text(data, data_text);
    assert_file_text(rules, rules_text);
    assert_int_equal(temporaries_in(dir), 0);
    free(data_text);
    free(rules_text);
}

/* ------------------------------------------------------ signals */

/* Start `rubric eval -o OUT -` reading a pipe that stays open; *feed is the
 * pipe's end to write to. */
static pid_t start_eval_on_pipe(const char *output, int *feed)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Started from a shell in the background the signals could be
         * ignored; the command is to meet them with their usual action. */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (chdir(RUBRIC_SOURCE_DIR) == 0)
            execl(RUBRIC_BINARY, "rubric", "eval", "--as-of", "2026-11-22", "-f", "jsonl", "-o",
                  output, "-", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    *feed = fds[1];
    return pid;
}

static void wait_for_temporary(const char *dir)
{
    for (int i = 0; i < 3000 && temporaries_in(dir) == 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(temporaries_in(dir), 1);
}

/* D14: SIGTERM, SIGINT and SIGHUP remove the temporary file, leave the
 * target as it was, and end the command by the signal (a shell reports
 * 128 + n: 143 for SIGTERM). */
static void test_signal_removes_temporary(void **state)
{
    static const int signals[] = {SIGTERM, SIGINT, SIGHUP};
    const char *dir = *state;
    char output[PATH_MAX];
    join(output, dir, "out.jsonl");
    test_write_text(output, "before\n");
    char *partner = test_read_file(test_path(PARTNER), NULL);
    assert_non_null(partner);
    /* One line of JSON Lines: the partner on one line. */
    for (char *p = partner; *p; p++)
        if (*p == '\n')
            *p = ' ';
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        int feed;
        pid_t pid = start_eval_on_pipe(output, &feed);
        assert_true(write(feed, partner, strlen(partner)) == (ssize_t)strlen(partner));
        assert_true(write(feed, "\n", 1) == 1);
        wait_for_temporary(dir);
        assert_int_equal(kill(pid, signals[i]), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        close(feed);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), signals[i]);
        assert_int_equal(temporaries_in(dir), 0);
        assert_file_text(output, "before\n");
    }
    free(partner);
}

/* ------------------------------------------------------ descriptors */

/* D10: started with standard error closed, the diagnostics do not end up
 * in the -o file: it holds the results and nothing else. */
static void test_closed_stderr_not_in_output(void **state)
{
    const char *dir = *state;
    char data[PATH_MAX], output[PATH_MAX];
    join(data, dir, "data.jsonl");
    join(output, dir, "out.jsonl");
    test_write_text(data,
               "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": "
               "\"Select\", \"renewal_date\": \"2027-01-20\"}\n"
               "{\"id\": \"P-2\", \"name\": \"Two\", \"path\": \"consulting\", \"tier\": "
               "\"Select\", \"renewal_date\": \"2023-02-29\"}\n");
    char *err;
    assert_int_equal(run(NULL, &err, EVAL "-p apn-2019-consulting -o '%s' '%s' 2>&-", output,
                         data), 1);
    assert_string_equal(err, "");
    free(err);
    char *written = test_read_file(output, NULL);
    assert_non_null(written);
    assert_int_equal(strncmp(written, "{\"partner\":{\"id\":\"P-1\"", 22), 0);
    assert_non_null(strchr(written, '\n'));
    assert_string_equal(strchr(written, '\n'), "\n");
    assert_null(strstr(written, "error"));
    free(written);
}

/* ------------------------------------------------------ errors */

/* D16: the reason of an error is the real one — a missing directory, a
 * full device, a directory — and D1: the device stays a device. */
static void test_output_error_reasons(void **state)
{
    const char *dir = *state;
    char missing[PATH_MAX], full[PATH_MAX], want[3 * PATH_MAX];
    join(missing, dir, "no-such-dir/out.jsonl");
    join(full, dir, "full");
    char *err;
    assert_int_equal(run(NULL, &err, EVAL "-o '%s' " PARTNER, missing), 1);
    snprintf(want, sizeof want, "rubric: cannot write %s: no such directory %s/no-such-dir\n",
             missing, dir);
    assert_string_equal(err, want);
    free(err);
    assert_int_equal(run(NULL, &err, "\"$R\" compile examples/rules/cloud_security.rubric -o "
                         "'%s'", missing), 1);
    assert_string_equal(err, want);
    free(err);
    assert_int_equal(run(NULL, &err, EVAL "-o '%s' " PARTNER, dir), 1);
    snprintf(want, sizeof want, "rubric: cannot write %s: %s\n", dir, strerror(EISDIR));
    assert_string_equal(err, want);
    free(err);
    if (make_device(full, 7)) {
        snprintf(want, sizeof want, "rubric: cannot write %s: %s\n", full, strerror(ENOSPC));
        assert_int_equal(run(NULL, &err, EVAL "-o '%s' " PARTNER, full), 1);
        assert_string_equal(err, want);
        free(err);
        assert_int_equal(run(NULL, &err, "\"$R\" diff --as-of 2026-11-22 --old stdlib --new "
                             "stdlib -f text -o '%s' " PARTNER, full), 1);
        assert_string_equal(err, want);
        free(err);
        assert_int_equal(run(NULL, &err, "\"$R\" compile examples/rules/cloud_security.rubric "
                             "-o '%s'", full), 1);
        assert_string_equal(err, want);
        free(err);
        assert_still_device(full, 7);
    }
    assert_int_equal(temporaries_in(dir), 0);
}

/* D17: a file name of up to 255 bytes (NAME_MAX) is written: the
 * temporary name is short whatever the target's. */
static void test_long_file_names(void **state)
{
    const char *dir = *state;
    char name[256], path[PATH_MAX];
    char *want = expected_results();
    for (size_t len = 245; len <= 255; len += 5) {
        memset(name, 'x', len);
        name[len] = '\0';
        join(path, dir, name);
        assert_int_equal(run(NULL, NULL, EVAL "-o '%s' " PARTNER, path), 0);
        assert_file_text(path, want);
    }
    assert_int_equal(temporaries_in(dir), 0);
    free(want);
}

/* ------------------------------------------------------ standard output */

/* D15: every command's standard output is checked: on a full device, exit
 * 1 and the reason. */
static void test_stdout_full(void **state)
{
    const char *dir = *state;
    char full[PATH_MAX], rbc[PATH_MAX], want[256];
    join(full, dir, "full");
    join(rbc, dir, "rules.rbc");
    if (!make_device(full, 7)) {
        skip();
    }
    assert_int_equal(run(NULL, NULL, "\"$R\" compile examples/rules/cloud_security.rubric -o "
                         "'%s'", rbc), 0);
    snprintf(want, sizeof want, "rubric: error writing standard output: %s\n",
             strerror(ENOSPC));
    char disasm[PATH_MAX + 32];
    snprintf(disasm, sizeof disasm, "\"$R\" disasm '%s'", rbc);
    const char *const commands[] = {
        "\"$R\" --version", "\"$R\" --help", "\"$R\" eval --help", "\"$R\" help test", disasm,
        "\"$R\" test stdlib-rules/tests/services_2022_test.rubric", EVAL PARTNER,
        "\"$R\" diff --old stdlib --new stdlib -f text " PARTNER,
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char script[PATH_MAX * 3];
        snprintf(script, sizeof script, "%s >'%s'", commands[i], full);
        char *err;
        int status = test_sh(script, NULL, &err);
        if (status != 1 || strcmp(err, want) != 0)
            fail_msg("%s: status %d, stderr:\n%s", commands[i], status, err);
        free(err);
    }
}

/* Run a script with standard output a pipe nobody reads any more. */
static int run_into_closed_pipe(const char *script)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        if (chdir(RUBRIC_SOURCE_DIR) == 0 && setenv("R", RUBRIC_BINARY, 1) == 0)
            execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A reader that went away ends the command quietly: by SIGPIPE as any
 * filter, or, with SIGPIPE ignored, with status 1 and no message. */
static void test_stdout_closed_pipe(void **state)
{
    const char *dir = *state;
    char err_path[PATH_MAX], script[2 * PATH_MAX];
    join(err_path, dir, "err");
    snprintf(script, sizeof script, "exec \"$R\" --help 2>'%s'", err_path);
    assert_int_equal(run_into_closed_pipe(script), 128 + SIGPIPE);
    assert_file_text(err_path, "");
    snprintf(script, sizeof script, "trap '' PIPE; exec \"$R\" --help 2>'%s'", err_path);
    assert_int_equal(run_into_closed_pipe(script), 1);
    assert_file_text(err_path, "");
    snprintf(script, sizeof script, "trap '' PIPE; exec " EVAL PARTNER " 2>'%s'", err_path);
    assert_int_equal(run_into_closed_pipe(script), 1);
    assert_file_text(err_path, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST_IN_DIR(test_device_written_directly),
        TEST_IN_DIR(test_fifo_written_directly),
        TEST_IN_DIR(test_dev_stdout_is_standard_output),
        TEST_IN_DIR(test_symlink_target_replaced),
        TEST_IN_DIR(test_symlink_loop),
        TEST_IN_DIR(test_modes_and_owner_kept),
        TEST_IN_DIR(test_output_naming_an_input_refused),
        TEST_IN_DIR(test_signal_removes_temporary),
        TEST_IN_DIR(test_closed_stderr_not_in_output),
        TEST_IN_DIR(test_output_error_reasons),
        TEST_IN_DIR(test_long_file_names),
        TEST_IN_DIR(test_stdout_full),
        TEST_IN_DIR(test_stdout_closed_pipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
