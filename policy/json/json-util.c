/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error reporting and typed access to values for the JSON loader. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "policy/json/json-ctx.h"

struct json_pos jctx_pos(const struct json_ctx *c, size_t node)
{
        const struct json_index_node *n = json_index_node(&c->index, node);
        return n ? n->pos : (struct json_pos){1, 1};
}

__attribute__((format(printf, 3, 0))) static int
jctx_verror(struct json_ctx *c, struct json_pos pos, const char *fmt, va_list ap)
{
        char msg[SEALEXEC_ERROR_MESSAGE_MAX];
        const char *file = c->file ? c->file : "<policy>";

        vsnprintf(msg, sizeof(msg), fmt, ap);
        /* Names come from the file: keep the message one printable line. */
        for (char *p = msg; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
        if (c->n_errors++ == 0)
                se_error(c->err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s:%u:%u: %s", file, pos.line,
                         pos.col, msg);
        if (c->diag && policy_diag_add(c->diag, file, pos.line, pos.col, "%s", msg) < 0)
                return jctx_oom(c);
        return -EINVAL;
}

int jctx_error_at(struct json_ctx *c, struct json_pos pos, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int r = jctx_verror(c, pos, fmt, ap);
        va_end(ap);
        return r;
}

int jctx_error(struct json_ctx *c, size_t node, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int r = jctx_verror(c, jctx_pos(c, node), fmt, ap);
        va_end(ap);
        return r;
}

struct json_pos jctx_key_pos(const struct json_ctx *c, size_t node)
{
        const struct json_index_node *n = json_index_node(&c->index, node);
        if (n && n->key.line > 0)
                return n->key;
        return jctx_pos(c, node);
}

/* A hostile file must not make `policy check` print without bound. */
#define JCTX_MAX_WARNINGS 20

void jctx_warning(struct json_ctx *c, size_t node, const char *fmt, ...)
{
        char msg[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;

        if (!c->diag || c->n_warnings++ >= JCTX_MAX_WARNINGS)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        for (char *p = msg; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
        struct json_pos pos = jctx_pos(c, node);
        const char *more =
            c->n_warnings == JCTX_MAX_WARNINGS ? " (further warnings not shown)" : "";
        /* policy_diag_add() counts errors; a warning is not one. */
        unsigned count = c->diag->count;
        (void)policy_diag_add(c->diag, c->file ? c->file : "<policy>", pos.line, pos.col,
                              "warning: %s%s", msg, more);
        c->diag->count = count;
}

int jctx_oom(struct json_ctx *c)
{
        c->n_errors++;
        return se_oom(c->err, c->file ? c->file : "<policy>");
}

/* "an object", "a number", ...: a JSON type as messages name it. */
static const char *json_type_article(json_type type)
{
        switch (type) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
        case JSON_REAL:
                return "a number";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
        default:
                return "null";
        }
}

const char *jtype_name(const json_t *v)
{
        return json_type_article(json_typeof(v));
}

int jexpect_type(struct json_ctx *c, struct jval val, json_type type, const char *what)
{
        if (json_typeof(val.v) == type)
                return 0;
        return jctx_error(c, val.node, "%s: expected %s, got %s", what, json_type_article(type),
                          jtype_name(val.v));
}

static struct jmember *find_member(struct jmember *members, size_t n, const char *key)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(members[i].key, key) == 0)
                        return &members[i];
        return NULL;
}

int jobject_members(struct json_ctx *c, struct jval obj, const char *what, struct jmember *members,
                    size_t n_members)
{
        int r = jexpect_type(c, obj, JSON_OBJECT, what);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_members; i++)
                members[i].val = (struct jval){NULL, JSON_NO_NODE};

        /* jansson iterates members in text order, as the index lists them. */
        size_t node = json_index_first_child(&c->index, obj.node);
        int result = 0;
        for (void *it = json_object_iter(obj.v); it; it = json_object_iter_next(obj.v, it)) {
                const char *key = json_object_iter_key(it);
                json_t *value = json_object_iter_value(it);
                struct jmember *m = find_member(members, n_members, key);
                if (!m) {
                        const struct json_index_node *n = json_index_node(&c->index, node);
                        r = jctx_error_at(c, n ? n->key : jctx_pos(c, obj.node),
                                          "%s: unknown key '%s'", what, key);
                        if (jctx_fatal(c, r))
                                return r;
                        result = -EINVAL;
                } else if (!json_is_null(value)) {
                        m->val = (struct jval){value, node};
                }
                node = json_index_next(&c->index, obj.node, node);
        }
        return result;
}

struct jval jobject_member(struct json_ctx *c, struct jval obj, const char *key)
{
        size_t node = json_index_first_child(&c->index, obj.node);
        if (!json_is_object(obj.v))
                return (struct jval){NULL, JSON_NO_NODE};
        for (void *it = json_object_iter(obj.v); it; it = json_object_iter_next(obj.v, it)) {
                if (strcmp(json_object_iter_key(it), key) == 0) {
                        json_t *value = json_object_iter_value(it);
                        return (struct jval){json_is_null(value) ? NULL : value, node};
                }
                node = json_index_next(&c->index, obj.node, node);
        }
        return (struct jval){NULL, JSON_NO_NODE};
}

int jget_string(struct json_ctx *c, struct jval val, const char *what, const char **ret)
{
        int r = jexpect_type(c, val, JSON_STRING, what);
        if (r < 0)
                return r;
        *ret = json_string_value(val.v);
        return 0;
}

/* Reads the number's digits from the text itself; -EINVAL with a message. */
static int parse_uint_text(struct json_ctx *c, struct jval val, const char *what, uint64_t *ret)
{
        const struct json_index_node *n = json_index_node(&c->index, val.node);
        if (!n) {
                /* No index (cannot happen for text jansson accepted): the double. */
                double d = json_number_value(val.v);
                if (!(d >= 0 && d < 18446744073709551616.0) || d != (double)(uint64_t)d)
                        return jctx_error(c, val.node, "%s: expected a non-negative integer", what);
                *ret = (uint64_t)d;
                return 0;
        }
        const char *p = c->index.text + n->offset, *end = c->index.text + c->index.len;
        if (p < end && *p == '-')
                return jctx_error(c, val.node, "%s: must not be negative", what);
        uint64_t v = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
                unsigned digit = (unsigned)(*p - '0');
                if (v > (UINT64_MAX - digit) / 10)
                        return jctx_error(c, val.node, "%s: number out of range", what);
                v = v * 10 + digit;
        }
        if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
                return jctx_error(c, val.node, "%s: expected an integer", what);
        *ret = v;
        return 0;
}

int jget_uint(struct json_ctx *c, struct jval val, const char *what, uint64_t max, uint64_t *ret)
{
        if (!json_is_number(val.v))
                return jctx_error(c, val.node, "%s: expected a number, got %s", what,
                                  jtype_name(val.v));
        uint64_t v = 0;
        int r = parse_uint_text(c, val, what, &v);
        if (r < 0)
                return r;
        if (v > max)
                return jctx_error(c, val.node, "%s: %llu is out of range (0-%llu)", what,
                                  (unsigned long long)v, (unsigned long long)max);
        *ret = v;
        return 0;
}

int jarray_begin(struct json_ctx *c, struct jval arr, const char *what, struct jarray_iter *it)
{
        int r = jexpect_type(c, arr, JSON_ARRAY, what);
        if (r < 0)
                return r;
        *it = (struct jarray_iter){.arr = arr, .n = json_array_size(arr.v)};
        it->elem.node = JSON_NO_NODE;
        return 0;
}

bool jarray_next(struct json_ctx *c, struct jarray_iter *it)
{
        if (it->i >= it->n)
                return false;
        it->elem.v = json_array_get(it->arr.v, it->i);
        it->elem.node = it->i == 0 ? json_index_first_child(&c->index, it->arr.node)
                                   : json_index_next(&c->index, it->arr.node, it->elem.node);
        it->i++;
        return true;
}

int jarray_each_string(struct json_ctx *c, struct jval arr, const char *what, jstring_fn fn,
                       void *userdata)
{
        struct jarray_iter it;
        int r = jarray_begin(c, arr, what, &it);
        while (r >= 0 && jarray_next(c, &it)) {
                char ewhat[128];
                const char *s = NULL;
                snprintf(ewhat, sizeof(ewhat), "%s[%zu]", what, it.i - 1);
                r = jget_string(c, it.elem, ewhat, &s);
                if (r >= 0)
                        r = fn(c, it.elem, ewhat, s, userdata);
        }
        return r;
}
