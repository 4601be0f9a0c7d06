/* io.c — where a command's results go: standard output, or an -o file.
 *
 * A regular file, a symlink to one, or a name not taken yet is written
 * atomically: into a temporary file ".rubric-XXXXXX" in the directory of
 * the file the path finally names (its symlinks followed), which gets that
 * file's mode and owner (a new file: 0666 less the umask) and is renamed
 * over it only when the whole output was written.  Anything else — a
 * device, a FIFO, the command's own standard output or error — is written
 * directly, never replaced.  A signal that ends the command removes the
 * temporary file first.  Errors writing standard output are reported once,
 * at exit, by cli_finish_stdout.  docs/cli.md tells the user the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define TEMPORARY_NAME ".rubric-XXXXXX"
/* As many symlinks as the kernel follows in one path (Linux: 40). */
#define MAX_SYMLINKS 40

struct cli_output {
    FILE *f;
    char *name;       /* the path as given, for messages; NULL: standard output */
    char *target;     /* written atomically: the file renamed over */
    char *tmp_path;   /* written atomically: where it is written until then */
    int error;        /* errno of the first failure; 0: none */
};

/* The first error writing standard output through a cli_output. */
static int stdout_errno;

/* ------------------------------------------------------------ signals */

/* The temporary file a fatal signal removes.  Static because a signal
 * handler can reach nothing else; a command has one output at a time. */
static char pending_tmp[PATH_MAX];
static volatile sig_atomic_t pending_armed;

static const int cleanup_signals[] = {SIGHUP, SIGINT, SIGPIPE, SIGTERM};
#define NCLEANUP_SIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])

static void cleanup_signal_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < NCLEANUP_SIGNALS; i++)
        sigaddset(set, cleanup_signals[i]);
}

/* Async-signal-safe: unlink, then the signal again with its default action
 * (SA_RESETHAND restored it), so that the command dies of it and its parent
 * sees which (a shell: status 128 + n). */
static void remove_temporary_and_die(int sig)
{
    if (pending_armed)
        unlink(pending_tmp);
    raise(sig);
}

/* Once per process; a signal the command was started ignoring (nohup, a
 * background job) stays ignored. */
static void install_cleanup_handlers(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temporary_and_die;
    sa.sa_flags = SA_RESETHAND;
    cleanup_signal_set(&sa.sa_mask);
    for (size_t i = 0; i < NCLEANUP_SIGNALS; i++) {
        struct sigaction old;
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

/* mkstemp with the signals blocked until the handler knows the name, so
 * that no signal can leave the file behind. */
static int create_temporary(char *tmp_path)
{
    size_t n = strlen(tmp_path);
    if (n >= sizeof pending_tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    install_cleanup_handlers();
    sigset_t block, old;
    cleanup_signal_set(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(tmp_path);
    int saved = errno;
    if (fd >= 0) {
        memcpy(pending_tmp, tmp_path, n + 1);
        pending_armed = 1;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return fd;
}

/* ------------------------------------------------------------ paths */

static char *copy_string(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

/* The directory part of a path: "a/b" -> "a", "/b" -> "/", "b" -> ".". */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return copy_string(".", 1);
    return copy_string(path, slash == path ? 1 : (size_t)(slash - path));
}

static char *join_path(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return path;
}

/* Where the symlink at path points, relative to path's directory. */
static char *link_target(const char *path)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof buf);
    if (n < 0)
        return NULL;
    if ((size_t)n == sizeof buf) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    buf[n] = '\0';
    if (buf[0] == '/')
        return copy_string(buf, (size_t)n);
    char *dir = dir_of(path);
    char *joined = dir ? join_path(dir, buf) : NULL;
    free(dir);
    return joined;
}

/* The name the file path finally names has in its directory: path with
 * its last component's symlinks followed (those of the directories above
 * do not matter to rename).  A dangling link gives the name to create.
 * NULL with errno on failure. */
static char *follow_symlinks(const char *path)
{
    char *current = copy_string(path, strlen(path));
    for (int hops = 0; current; hops++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        char *next = hops < MAX_SYMLINKS ? link_target(current) : NULL;
        if (hops == MAX_SYMLINKS)
            errno = ELOOP;
        free(current);
        current = next;
    }
    return NULL;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 1 or 2 when st is the command's standard output or error (-o
 * /dev/stdout), else -1. */
static int standard_stream_of(const struct stat *st)
{
    for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
        struct stat fd_st;
        if (fstat(fd, &fd_st) == 0 && same_file(st, &fd_st))
            return fd;
    }
    return -1;
}

/* ------------------------------------------------------------ opening */

static void note_error(cli_output *out, int err)
{
    if (!out->error)
        out->error = err ? err : EIO;
    if (!out->name && !stdout_errno)
        stdout_errno = out->error;
}

/* A special file, or standard output or error, written where it is. */
static bool open_direct(cli_output *out, int stream)
{
    int fd = stream >= 0 ? dup(stream) : open(out->name, O_WRONLY | O_NOCTTY);
    if (fd < 0) {
        note_error(out, errno);
        return false;
    }
    out->f = fdopen(fd, "wb");
    if (!out->f) {
        note_error(out, errno);
        close(fd);
    }
    return out->f != NULL;
}

static mode_t current_umask(void)
{
    /* Read by setting it; the command is still single-threaded here. */
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

/* The temporary file takes the owner of the file it replaces where that is
 * permitted (root; else at least the group, when the user is in it). */
static void keep_owner(int fd, const struct stat *existing)
{
    struct stat mine;
    if (fstat(fd, &mine) != 0 ||
        (mine.st_uid == existing->st_uid && mine.st_gid == existing->st_gid))
        return;
    if (fchown(fd, existing->st_uid, existing->st_gid) != 0 &&
        fchown(fd, (uid_t)-1, existing->st_gid) != 0)
        return; /* not permitted: the file stays the user's */
}

/* The mode of the file it replaces, or a new file's: 0666 less the umask. */
static bool set_owner_and_mode(int fd, const struct stat *existing)
{
    if (!existing)
        return fchmod(fd, 0666 & ~current_umask()) == 0;
    keep_owner(fd, existing);
    return fchmod(fd, existing->st_mode & 07777) == 0;
}

/* A temporary file beside the file the path finally names. */
static bool open_atomic(cli_output *out, const struct stat *existing)
{
    out->target = follow_symlinks(out->name);
    char *dir = out->target ? dir_of(out->target) : NULL;
    out->tmp_path = dir ? join_path(dir, TEMPORARY_NAME) : NULL;
    int fd = out->tmp_path ? create_temporary(out->tmp_path) : -1;
    if (fd < 0) {
        if (errno == ENOENT && dir)
            cli_error("cannot write %s: no such directory %s", out->name, dir);
        else
            cli_error("cannot write %s: %s", out->name, strerror(errno));
        free(dir);
        free(out->tmp_path);
        out->tmp_path = NULL;
        return false;
    }
    free(dir);
    if (!set_owner_and_mode(fd, existing) || !(out->f = fdopen(fd, "wb"))) {
        cli_error("cannot write %s: %s", out->name, strerror(errno));
        close(fd);
        unlink(out->tmp_path);
        pending_armed = 0;
        return false;
    }
    return true;
}

static void free_output(cli_output *out)
{
    free(out->name);
    free(out->target);
    free(out->tmp_path);
    free(out);
}

cli_output *cli_output_open(const char *path)
{
    cli_output *out = calloc(1, sizeof *out);
    if (!out) {
        cli_error("out of memory");
        return NULL;
    }
    if (!path || strcmp(path, "-") == 0) {
        out->f = stdout;
        return out;
    }
    out->name = copy_string(path, strlen(path));
    if (!out->name) {
        cli_error("out of memory");
        free_output(out);
        return NULL;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    int stream = exists ? standard_stream_of(&st) : -1;
    bool opened;
    if (exists && (stream >= 0 || !S_ISREG(st.st_mode))) {
        opened = open_direct(out, stream);
        if (!opened)
            cli_error("cannot write %s: %s", path, strerror(out->error));
    } else {
        opened = open_atomic(out, exists ? &st : NULL);
    }
    if (!opened) {
        free_output(out);
        return NULL;
    }
    return out;
}

/* ------------------------------------------------------------ writing */

bool cli_output_write(cli_output *out, const char *bytes, size_t len)
{
    if (out->error)
        return false;
    if (len && fwrite(bytes, 1, len, out->f) != len)
        note_error(out, errno);
    return !out->error;
}

bool cli_output_failed(const cli_output *out)
{
    return out->error != 0;
}

bool cli_output_sink(void *out, const char *bytes, size_t len)
{
    return cli_output_write(out, bytes, len);
}

/* Rename the temporary file over the target, or remove it. */
static void finish_temporary(cli_output *out, bool commit)
{
    bool renamed = commit && !out->error && rename(out->tmp_path, out->target) == 0;
    if (commit && !out->error && !renamed)
        note_error(out, errno);
    if (!renamed)
        unlink(out->tmp_path);
    pending_armed = 0;
}

bool cli_output_close(cli_output *out, bool commit)
{
    if (!out)
        return false;
    if (fflush(out->f) != 0)
        note_error(out, errno);
    if (!out->name) {
        bool ok = !out->error;
        free_output(out);
        return ok;
    }
    if (out->tmp_path && commit && !out->error && fsync(fileno(out->f)) != 0)
        note_error(out, errno);
    if (fclose(out->f) != 0)
        note_error(out, errno);
    if (out->tmp_path)
        finish_temporary(out, commit);
    if (out->error)
        cli_error("cannot write %s: %s", out->name, strerror(out->error));
    bool ok = !out->error;
    free_output(out);
    return ok;
}

/* ------------------------------------------------------------ inputs */

int cli_refuse_output_inputs(const char *output, const char *kind,
                             const char *const *inputs, size_t ninputs)
{
    struct stat out_st, in_st;
    /* Only a regular file would be replaced; a device or FIFO may be both. */
    if (!output || strcmp(output, "-") == 0 || stat(output, &out_st) != 0 ||
        !S_ISREG(out_st.st_mode))
        return -1;
    for (size_t i = 0; i < ninputs; i++) {
        bool from_stdin = strcmp(inputs[i], "-") == 0;
        if ((from_stdin ? fstat(STDIN_FILENO, &in_st) : stat(inputs[i], &in_st)) != 0 ||
            !same_file(&out_st, &in_st))
            continue;
        if (from_stdin)
            cli_error("-o %s is also an input (%s on standard input); refusing to overwrite it",
                      output, kind);
        else
            cli_error("-o %s is also an input (%s %s); refusing to overwrite it", output, kind,
                      inputs[i]);
        return EXIT_USAGE;
    }
    return -1;
}

/* ------------------------------------------------------------ at exit */

int cli_finish_stdout(int status)
{
    int err = stdout_errno;
    bool failed = err != 0 || ferror(stdout);
    if (fclose(stdout) != 0) {
        failed = true;
        if (!err)
            err = errno;
    }
    if (!failed)
        return status;
    /* A reader that went away (SIGPIPE ignored) is no news to anyone. */
    if (err == EPIPE)
        return EXIT_ERRORS;
    if (err)
        cli_error("error writing standard output: %s", strerror(err));
    else
        cli_error("error writing standard output");
    return status == EXIT_USAGE ? status : EXIT_ERRORS;
}
