/* worker.c — evaluating one partner at a time against loaded modules. */
#include "worker.h"

#include <stdio.h>
#include <string.h>

#include "batch_read.h"
#include "errors.h"

bool worker_init(worker *w, const work_unit *units, uint32_t nunits,
                 const rubric_allocator *alloc, const rubric_limits *limits, bool strict,
                 load_warning_fn on_warning, void *warning_data)
{
    memset(w, 0, sizeof *w);
    w->alloc = mem_watch_start(&w->watch, alloc);
    w->limits = *limits;
    arena_init(&w->mem, &w->alloc, limits->max_memory);
    w->json = json_reader_new(&w->alloc, limits->max_depth ? limits->max_depth : 256);
    w->units = mem_calloc(&w->alloc, nunits ? nunits : 1, sizeof *w->units);
    w->reports = mem_calloc(&w->alloc, nunits ? nunits : 1, sizeof *w->reports);
    w->nunits = 0;
    w->load.strict = strict;
    w->load.on_warning = on_warning;
    w->load.user_data = warning_data;
    if (!w->json || !w->units || !w->reports) {
        worker_free(w);
        return false;
    }
    for (uint32_t i = 0; i < nunits; i++) {
        w->units[i].unit = units[i];
        if (!vm_init(&w->units[i].vm, units[i].module, &w->mem, &w->alloc,
                     limits->max_instructions)) {
            worker_free(w);
            return false;
        }
        w->units[i].vm.interrupt = &w->interrupt;
        w->nunits++;
    }
    return true;
}

void worker_free(worker *w)
{
    for (uint32_t i = 0; i < w->nunits; i++)
        vm_free(&w->units[i].vm);
    uint32_t cap = w->nunits ? w->nunits : 1;
    if (w->units)
        mem_free(&w->alloc, w->units, cap * sizeof *w->units);
    if (w->reports)
        mem_free(&w->alloc, w->reports, cap * sizeof *w->reports);
    if (w->json)
        json_reader_free(w->json);
    arena_free(&w->mem);
    memset(w, 0, sizeof *w);
}

/* An error of the worker's own: no place in the text. */
static rubric_status set_error(rubric_error *err, rubric_status status, const char *message)
{
    err->offset = 0;
    err->path[0] = '\0';
    err->line = err->column = 0;
    return error_set(err, status, "%s", message);
}

static rubric_status over_memory_limit(worker *w, rubric_error *err)
{
    char msg[128];
    snprintf(msg, sizeof msg, "memory limit of %zu bytes reached", w->limits.max_memory);
    return set_error(err, RUBRIC_ERR_LIMIT, msg);
}

static rubric_status memory_failure(worker *w, rubric_error *err)
{
    if (w->mem.over_limit)
        return over_memory_limit(w, err);
    return set_error(err, RUBRIC_ERR_NOMEM, "out of memory");
}

/* The memory limit counts the JSON parser's buffers for this partner's
 * text (json_parser_bytes: simdjson allocates them itself), and leaves
 * the rest to the arena.  False when they alone are over it. */
static bool charge_json_parser(worker *w, size_t len)
{
    if (!w->limits.max_memory)
        return true;
    size_t parser = json_parser_bytes(len, w->limits.max_depth ? w->limits.max_depth : 256);
    if (parser >= w->limits.max_memory)
        return false;
    w->mem.limit = w->limits.max_memory - parser;
    return true;
}

rubric_status worker_check_input_size(const rubric_limits *limits, size_t len,
                                      rubric_error *err)
{
    if (!limits->max_input_bytes || len <= limits->max_input_bytes)
        return RUBRIC_OK;
    error_clear(err);
    char msg[128];
    snprintf(msg, sizeof msg, "partner of %zu bytes exceeds the input limit of %zu bytes", len,
             limits->max_input_bytes);
    return set_error(err, RUBRIC_ERR_LIMIT, msg);
}

/* An evaluation that failed because an allocation was refused, wherever
 * (the arena, the JSON reader, the VM's stack, a message) failed for
 * want of memory, whatever the failing part says. */
static rubric_status failure(worker *w, rubric_error *err)
{
    if (w->watch.refused)
        return set_error(err, RUBRIC_ERR_NOMEM, "out of memory");
    return err->status;
}

/* The partner's text could not be loaded: *err holds the loader's error,
 * placed in buf by line and column. */
static rubric_status load_failure(worker *w, const char *buf, size_t len, rubric_error *err)
{
    if (w->mem.failed || json_out_of_memory(w->json)) {
        memory_failure(w, err);
        return failure(w, err);
    }
    err->status = json_too_deep(w->json) ? RUBRIC_ERR_LIMIT : RUBRIC_ERR_DATA;
    uint64_t line = 1, column = 1;
    batch_advance_position(buf, err->offset < len ? err->offset : len, &line, &column);
    err->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    err->column = column > UINT32_MAX ? UINT32_MAX : (uint32_t)column;
    return failure(w, err);
}

/* Evaluating the loaded partner failed: *err holds why; it names the
 * partner. */
static rubric_status eval_failure(worker *w, value root, const bc_module *m, rubric_error *err)
{
    if (w->mem.failed && err->status != RUBRIC_ERR_LIMIT)
        memory_failure(w, err);
    if (m->has_schema) {
        value id = root.as.rec->fields[m->schema.key_field];
        if (id.kind == VK_STRING)
            error_field(err->partner, sizeof err->partner, id.as.s, id.len);
    }
    return failure(w, err);
}

rubric_status worker_eval(worker *w, const char *buf, size_t len, int32_t as_of,
                          rubric_error *err)
{
    error_clear(err);
    arena_reset(&w->mem);
    w->watch.refused = false;
    if (worker_check_input_size(&w->limits, len, err) != RUBRIC_OK)
        return err->status;
    if (vm_interrupt_requested(&w->interrupt))
        return set_error(err, RUBRIC_ERR_INTERRUPTED, "interrupted");
    if (!charge_json_parser(w, len))
        return over_memory_limit(w, err);
    for (uint32_t i = 0; i < w->nunits; i++) {
        worker_unit *u = &w->units[i];
        value root;
        if (!load_read_text(u->unit.plan, w->json, buf, len, &w->mem, &w->load, &root, err))
            return load_failure(w, buf, len, err);
        vm_begin_partner(&u->vm);
        eval_request req = {root, as_of, u->unit.selected};
        if (!eval_partner(&u->vm, u->unit.module, &w->mem, &req, &w->reports[i], err))
            return eval_failure(w, root, u->unit.module, err);
    }
    return RUBRIC_OK;
}
