/*
 * host_clash.c — a host program with names of its own that librubric uses
 * internally (mem_alloc, parse_file, ...).  It must link against the
 * installed static library and work: the archive defines no global name
 * outside rubric_.
 */
#include <stdio.h>
#include <string.h>

#include <rubric.h>

void *mem_alloc(size_t n);
int parse_file(const char *path);
int vm_run(void);
int bc_verify(void);

void *mem_alloc(size_t n)
{
    (void)n;
    return NULL;
}

int parse_file(const char *path)
{
    return (int)strlen(path);
}

int vm_run(void)
{
    return 7;
}

int bc_verify(void)
{
    return 11;
}

int main(void)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    void *bytecode = NULL;
    size_t length = 0;
    if (!c || rubric_compiler_use_stdlib(c, true) != RUBRIC_OK ||
        rubric_compiler_run(c, false, &bytecode, &length) != RUBRIC_OK) {
        fprintf(stderr, "cannot compile the standard rules\n");
        return 1;
    }
    rubric_compiler_free(c);
    rubric_module *m = NULL;
    if (rubric_module_load(NULL, bytecode, length, &m, NULL, 0) != RUBRIC_OK)
        return 1;
    rubric_free(NULL, bytecode, length);
    /* The host's own functions are the ones its calls reach. */
    printf("%zu programs; host %d %d %d %s\n", rubric_module_program_count(m),
           parse_file("abc"), vm_run(), bc_verify(), mem_alloc(1) ? "?" : "null");
    rubric_module_free(m);
    return 0;
}
