/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-ctx.h - shared state of the OCI / Docker seccomp JSON loader.
 *
 * The loader walks jansson's tree and the position index (json-index.h) side
 * by side: every value is a `struct jval`, the jansson value plus its index
 * node, so any error can be reported as FILE:LINE:COL.
 */
#ifndef SEALEXEC_POLICY_JSON_CTX_H
#define SEALEXEC_POLICY_JSON_CTX_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "policy/ir.h"
#include "policy/json/json-host.h"
#include "policy/json/json-index.h"
#include "policy/parse.h"

struct json_ctx {
        const char *file; /* for messages */
        struct json_index index;
        const struct json_host *host;
        struct policy_diag *diag; /* NULL: stop at the first error */
        sealexec_error *err;
        unsigned n_errors;
        unsigned n_warnings;
        struct sealexec_policy *policy;
};

/* A jansson value and its node in the position index. v is NULL when absent. */
struct jval {
        json_t *v;
        size_t node;
};

/* An object's member that the loader looks for. */
struct jmember {
        const char *key;
        struct jval val; /* filled by jobject_members(); v NULL if absent or null */
};

/* Where `node` starts (line 1, column 1 without an index). */
struct json_pos jctx_pos(const struct json_ctx *c, size_t node);

/*
 * Reports an error at `pos`: the first one goes to c->err, every one to
 * c->diag. Returns -EINVAL.
 */
int jctx_error_at(struct json_ctx *c, struct json_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int jctx_error(struct json_ctx *c, size_t node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Adds "FILE:LINE:COL: warning: message" to c->diag (for `policy check`)
 * without making it an error: the policy still loads. Nothing without a
 * collector. Only the first few warnings of a parse are listed.
 */
void jctx_warning(struct json_ctx *c, size_t node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Where the key of object member `node` starts (the value's start when none). */
struct json_pos jctx_key_pos(const struct json_ctx *c, size_t node);
/* Out of memory: always fatal, whether or not errors are being collected. */
int jctx_oom(struct json_ctx *c);

/*
 * Whether to go on after `r`: with a diagnostics collector, reported errors
 * (-EINVAL) are recorded and parsing goes on with the next item; without one,
 * or on any other failure, it stops.
 */
static inline bool jctx_fatal(const struct json_ctx *c, int r)
{
        return r < 0 && (!c->diag || r != -EINVAL);
}

/* "string", "number", ... for messages. */
const char *jtype_name(const json_t *v);

/*
 * Fills members[].val from object `obj` (which must be an object; `what`
 * names it in messages). JSON null counts as absent, as in Go's encoding/json.
 * A key not in members[] is an error (reported at the key): a misspelt
 * "args" must not silently turn a conditional rule into an unconditional one.
 * Returns 0 or -EINVAL after reporting every unknown key.
 */
int jobject_members(struct json_ctx *c, struct jval obj, const char *what, struct jmember *members,
                    size_t n_members);

/* One member of an object (v NULL when absent, null, or obj is no object). */
struct jval jobject_member(struct json_ctx *c, struct jval obj, const char *key);

/* Checks the type of a present value; -EINVAL with a message when wrong. */
int jexpect_type(struct json_ctx *c, struct jval val, json_type type, const char *what);

/* A string value (present, of type string). */
int jget_string(struct json_ctx *c, struct jval val, const char *what, const char **ret);

/*
 * An unsigned integer <= max, read exactly from the text (jansson's integers
 * are signed; OCI's argument values are uint64).
 */
int jget_uint(struct json_ctx *c, struct jval val, const char *what, uint64_t max, uint64_t *ret);

/*
 * Iterates over the elements of an array: `for (jarray_iter it = ...)`.
 * jarray_begin() checks that `arr` is an array.
 */
struct jarray_iter {
        struct jval arr;
        size_t i, n;
        struct jval elem;
};
int jarray_begin(struct json_ctx *c, struct jval arr, const char *what, struct jarray_iter *it);
bool jarray_next(struct json_ctx *c, struct jarray_iter *it);

/*
 * Calls fn for each element of an array of strings, with the element, its
 * name for messages ("WHAT[i]") and its text; stops at the first error.
 */
typedef int (*jstring_fn)(struct json_ctx *c, struct jval elem, const char *what, const char *s,
                          void *userdata);
int jarray_each_string(struct json_ctx *c, struct jval arr, const char *what, jstring_fn fn,
                       void *userdata);

#endif
