/* config.c — configuration defaults, the names of statuses, the version. */
#include <string.h>

#include "mem.h"
#include "rubric.h"

void rubric_config_init(rubric_config *config)
{
    memset(config, 0, sizeof *config);
    config->version = RUBRIC_CONFIG_VERSION;
    config->allocator = mem_default_allocator();
    config->limits.max_instructions = 10000000000ull;
    config->limits.max_memory = (size_t)4 << 30;
    config->limits.max_input_bytes = (size_t)1 << 30;
    config->limits.max_depth = 256;
}

const char *rubric_version(void)
{
    return RUBRIC_VERSION;
}

void rubric_free(const rubric_config *config, void *ptr, size_t size)
{
    rubric_allocator alloc =
        config && config->allocator.realloc ? config->allocator : mem_default_allocator();
    mem_free(&alloc, ptr, size);
}

const char *rubric_status_name(rubric_status status)
{
    switch (status) {
    case RUBRIC_OK:
        return "ok";
    case RUBRIC_ERR_NOMEM:
        return "out of memory";
    case RUBRIC_ERR_IO:
        return "input/output error";
    case RUBRIC_ERR_COMPILE:
        return "errors in rules";
    case RUBRIC_ERR_BYTECODE:
        return "invalid bytecode";
    case RUBRIC_ERR_DATA:
        return "invalid data";
    case RUBRIC_ERR_EVAL:
        return "evaluation error";
    case RUBRIC_ERR_LIMIT:
        return "limit exceeded";
    case RUBRIC_ERR_USAGE:
        return "invalid argument";
    case RUBRIC_ERR_INTERRUPTED:
        return "interrupted";
    }
    return "unknown status";
}

const char *rubric_req_status_name(rubric_req_status status)
{
    switch (status) {
    case RUBRIC_MET:
        return "met";
    case RUBRIC_NOT_MET:
        return "not_met";
    case RUBRIC_AT_RISK:
        return "at_risk";
    case RUBRIC_GRACE:
        return "grace";
    case RUBRIC_NOT_APPLICABLE:
        return "not_applicable";
    }
    return "unknown";
}
