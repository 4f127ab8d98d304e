/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse.h - policy sources -> the IR (ir.h): the built-in profiles
 * (profiles.c), minijail's text format (text/) and OCI/Docker JSON (json/),
 * and the diagnostics `policy check` collects from them (diag.c).
 */
#ifndef SEALEXEC_POLICY_PARSE_H
#define SEALEXEC_POLICY_PARSE_H

#include <stddef.h>

#include "policy/ir.h"

/*
 * The largest policy file read, top-level or @include'd, and the largest
 * constants.json: a policy this large is a mistake, or an attempt to exhaust
 * memory.
 */
#define POLICY_FILE_MAX (16u << 20)

/* A built-in profile by name ("default", "docker", "none", ...). */
int policy_profile_load(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err);

/*
 * Collects every error of a parse ("FILE:LINE:COL: message\n" each) for
 * `policy check`. Parsers given a NULL collector stop at the first error.
 */
struct policy_diag {
        char *text; /* NUL-terminated, malloc'd; NULL while empty */
        size_t len;
        size_t cap;
        unsigned count;
};

int policy_diag_add(struct policy_diag *diag, const char *file, unsigned line, unsigned col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void policy_diag_done(struct policy_diag *diag);

/*
 * Both parsers (text/text.c, json/json-parse.c), chosen by content in
 * load.c: on failure return a negative errno with err->message set to the
 * first "FILE:LINE:COL: message"; when `diag` is not NULL they go on after
 * an error where they can and add every error to it, with its location.
 * `constants_path` (text only, may be NULL) is a minijail constants.json.
 */
int policy_parse_text(const char *path, const char *text, size_t len, const char *constants_path,
                      struct policy_diag *diag, struct sealexec_policy **ret_policy,
                      sealexec_error *err);
int policy_parse_json(const char *path, const char *text, size_t len, struct policy_diag *diag,
                      struct sealexec_policy **ret_policy, sealexec_error *err);

#endif
