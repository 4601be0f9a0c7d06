/*
 * worker.h — everything one thread needs to evaluate partners: an arena
 * reset per partner (memory stays flat across a batch), a JSON reader, and
 * a VM per loaded module ("unit").  The public session (session.c) and the
 * batch engine (batch.c) are both built on it.
 */
#ifndef RUBRIC_WORKER_H
#define RUBRIC_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "json_reader.h"
#include "loader.h"
#include "mem.h"
#include "module.h"
#include "result.h"
#include "rubric.h"
#include "vm.h"

/* A verified module, its load plan, and which of its programs to evaluate. */
typedef struct work_unit {
    const bc_module *module;
    const load_plan *plan;  /* built once per module, shared by threads */
    const bool *selected;   /* [module->nprograms], or NULL for all */
} work_unit;

typedef struct worker_unit {
    work_unit unit;
    vm vm;
} worker_unit;

typedef struct worker {
    mem_watch watch;          /* sees every allocation of alloc */
    rubric_allocator alloc;   /* the configured one, watched */
    rubric_limits limits;
    arena mem;
    json_reader *json;
    uint32_t nunits;
    worker_unit *units;
    partner_report *reports;  /* [nunits], valid until the next evaluation */
    load_options load;
    vm_interrupt interrupt;   /* the host's; set after worker_init (none) */
} worker;

bool worker_init(worker *w, const work_unit *units, uint32_t nunits,
                 const rubric_allocator *alloc, const rubric_limits *limits, bool strict,
                 load_warning_fn on_warning, void *warning_data);
void worker_free(worker *w);

/* RUBRIC_ERR_LIMIT (err filled) when a partner of len bytes is over the
 * input limit, else RUBRIC_OK. */
rubric_status worker_check_input_size(const rubric_limits *limits, size_t len,
                                      rubric_error *err);

/*
 * Evaluate the partner whose JSON text is buf[0..len) (JSON_PADDING
 * readable bytes must follow) against every unit.  On RUBRIC_OK, reports[i]
 * holds unit i's results.  Otherwise *err says why (rubric.h): a data error
 * with its offset, path, line and column in buf; an evaluation error or a
 * limit reached while evaluating with the partner's id; RUBRIC_ERR_NOMEM
 * whenever an allocation was refused; RUBRIC_ERR_INTERRUPTED when
 * w->interrupt asks to stop, before the partner or while evaluating it.
 * err->file is left empty.
 */
rubric_status worker_eval(worker *w, const char *buf, size_t len, int32_t as_of,
                          rubric_error *err);

#endif /* RUBRIC_WORKER_H */
