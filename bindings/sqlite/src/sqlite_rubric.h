/*
 * sqlite_rubric.h — what the SQLite extension keeps per connection: the
 * rules its functions evaluate against (the standard programs until
 * rubric_load_rules() selects others) and a session for the scalar
 * functions.  SQLite runs one statement step of a connection at a time,
 * so one session serves the scalar functions; each cursor of the
 * table-valued function has a session of its own, since its rows live in
 * its report across steps.
 */
#ifndef RUBRIC_SQLITE_H
#define RUBRIC_SQLITE_H

#include <sqlite3ext.h>
#include <stdbool.h>

#include <rubric.h>

/* A module shared by the connection and the open cursors: freed with the
 * last of them. */
typedef struct rules_ref {
    rubric_module *module;
    int refs;
} rules_ref;

typedef struct connection_state {
    rules_ref *rules;            /* NULL until first needed: the standard ones */
    rubric_session *session;     /* of rules->module, for the scalar functions */
} connection_state;

/* The connection's rules, the standard programs when none were loaded.
 * NULL with *error (sqlite3_malloc'd) when they cannot be compiled. */
rules_ref *state_rules(connection_state *state, char **error);

void rules_ref_release(rules_ref *rules);

/* Evaluate one partner with session: NULL on success, else the message
 * ("$.individuals[0].registered: invalid date ...", sqlite3_malloc'd). */
char *evaluate_partner(rubric_session *session, const char *json, size_t length,
                       const char *as_of, const char *program_id,
                       const rubric_report **report);

/* Register the table-valued function rubric_requirements. */
int requirements_table_register(sqlite3 *db, connection_state *state);

#endif
