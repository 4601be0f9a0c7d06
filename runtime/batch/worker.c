/* worker.c — evaluating one partner at a time against loaded modules. */
#include "worker.h"

#include <stdio.h>
#include <string.h>

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

static work_status set_error(work_error *err, work_status status, const char *message)
{
    err->status = status;
    err->offset = 0;
    err->path[0] = '\0';
    snprintf(err->message, sizeof err->message, "%s", message);
    return status;
}

static work_status over_memory_limit(worker *w, work_error *err)
{
    char msg[128];
    snprintf(msg, sizeof msg, "memory limit of %zu bytes reached", w->limits.max_memory);
    return set_error(err, WORK_LIMIT, msg);
}

static work_status memory_failure(worker *w, work_error *err)
{
    if (w->mem.over_limit)
        return over_memory_limit(w, err);
    return set_error(err, WORK_NOMEM, "out of memory");
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

work_status worker_check_input_size(const rubric_limits *limits, size_t len, work_error *err)
{
    if (!limits->max_input_bytes || len <= limits->max_input_bytes)
        return WORK_OK;
    char msg[128];
    snprintf(msg, sizeof msg, "partner of %zu bytes exceeds the input limit of %zu bytes", len,
             limits->max_input_bytes);
    return set_error(err, WORK_LIMIT, msg);
}

/* An evaluation that failed because an allocation was refused, wherever
 * (the arena, the JSON reader, the VM's stack, a message) failed for
 * want of memory, whatever the failing part says. */
static work_status failure(worker *w, work_status status, work_error *err)
{
    if (w->watch.refused)
        return set_error(err, WORK_NOMEM, "out of memory");
    return status;
}

work_status worker_eval(worker *w, const char *buf, size_t len, int32_t as_of,
                        work_error *err)
{
    memset(err, 0, sizeof *err);
    arena_reset(&w->mem);
    w->watch.refused = false;
    if (worker_check_input_size(&w->limits, len, err) != WORK_OK)
        return err->status;
    if (!charge_json_parser(w, len))
        return over_memory_limit(w, err);
    for (uint32_t i = 0; i < w->nunits; i++) {
        worker_unit *u = &w->units[i];
        value root;
        load_error le;
        if (!load_read_text(u->unit.plan, w->json, buf, len, &w->mem, &w->load, &root, &le)) {
            if (w->mem.failed || json_out_of_memory(w->json))
                return failure(w, memory_failure(w, err), err);
            err->status = json_too_deep(w->json) ? WORK_LIMIT : WORK_DATA;
            err->offset = le.offset;
            snprintf(err->path, sizeof err->path, "%s", le.path);
            snprintf(err->message, sizeof err->message, "%s", le.message);
            return failure(w, err->status, err);
        }
        vm_begin_partner(&u->vm);
        eval_request req = {root, as_of, u->unit.selected};
        eval_error ee;
        if (!eval_partner(&u->vm, u->unit.module, &w->mem, &req, &w->reports[i], &ee)) {
            if (w->mem.failed && !ee.limit)
                return failure(w, memory_failure(w, err), err);
            return failure(w, set_error(err, ee.limit ? WORK_LIMIT : WORK_EVAL, ee.message),
                           err);
        }
    }
    return WORK_OK;
}
