/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI runtime-spec / Docker seccomp JSON -> struct sealexec_policy.
 *
 * Accepted: an OCI `linux.seccomp` object, Docker's profile format (archMap,
 * includes/excludes, as moby's profiles/seccomp resolves it), or a whole OCI
 * config.json (recognised by "ociVersion" or "linux" at the top). Semantics
 * follow runc where the spec leaves them open: see json-syscalls.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "policy/json/json-arches.h"
#include "policy/json/json-ctx.h"
#include "policy/json/json-host.h"
#include "policy/json/json-syscalls.h"

/* Where the seccomp object is: the document, or linux.seccomp of a config.json. */
static int find_seccomp(struct json_ctx *c, struct jval root, struct jval *ret)
{
        if (!json_object_get(root.v, "ociVersion") && !json_object_get(root.v, "linux")) {
                *ret = root;
                return 0;
        }
        struct jval lnx = jobject_member(c, root, "linux");
        if (!lnx.v)
                return jctx_error(c, root.node, "no linux.seccomp in OCI config");
        int r = jexpect_type(c, lnx, JSON_OBJECT, "linux");
        if (r < 0)
                return r;
        struct jval seccomp = jobject_member(c, lnx, "seccomp");
        if (!seccomp.v)
                return jctx_error(c, lnx.node, "no linux.seccomp in OCI config");
        *ret = seccomp;
        return 0;
}

static int parse_listener(struct json_ctx *c, struct jval path, struct jval metadata)
{
        const char *s = NULL;
        int r;
        if (metadata.v && (r = jget_string(c, metadata, "listenerMetadata", &s)) < 0)
                return r;
        if (!path.v)
                return 0;
        r = jget_string(c, path, "listenerPath", &s);
        if (r < 0 || *s == '\0')
                return r;
        return jctx_error(c, path.node,
                          "listenerPath: sealexec does not connect to an agent the profile "
                          "names; remove listenerPath and give the seccomp listener socket with "
                          "the launch");
}

static int parse_syscalls(struct json_ctx *c, struct jval syscalls)
{
        struct jarray_iter it;
        int r = jarray_begin(c, syscalls, "syscalls", &it), result = 0;
        if (r < 0)
                return r;
        while (jarray_next(c, &it)) {
                r = json_parse_syscall_entry(c, it.elem, it.i - 1);
                if (jctx_fatal(c, r))
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

enum {
        M_DEFAULT_ACTION,
        M_DEFAULT_ERRNO_RET,
        M_DEFAULT_ERRNO,
        M_ARCHITECTURES,
        M_ARCH_MAP,
        M_FLAGS,
        M_LISTENER_PATH,
        M_LISTENER_METADATA,
        M_SYSCALLS,
        M_COMMENT,
};

/* Runs `step` and says whether parsing goes on. */
#define STEP(c, result, step)                                                                      \
        ({                                                                                         \
                int r_ = (step);                                                                   \
                if (r_ < 0)                                                                        \
                        (result) = r_;                                                             \
                !jctx_fatal((c), r_);                                                              \
        })

static int parse_seccomp(struct json_ctx *c, struct jval obj)
{
        struct jmember m[] = {
            [M_DEFAULT_ACTION] = {"defaultAction", {0}},
            [M_DEFAULT_ERRNO_RET] = {"defaultErrnoRet", {0}},
            [M_DEFAULT_ERRNO] = {"defaultErrno", {0}},
            [M_ARCHITECTURES] = {"architectures", {0}},
            [M_ARCH_MAP] = {"archMap", {0}},
            [M_FLAGS] = {"flags", {0}},
            [M_LISTENER_PATH] = {"listenerPath", {0}},
            [M_LISTENER_METADATA] = {"listenerMetadata", {0}},
            [M_SYSCALLS] = {"syscalls", {0}},
            [M_COMMENT] = {"comment", {0}},
        };
        int result = 0;

        if (!STEP(c, result, jobject_members(c, obj, "seccomp profile", m, ARRAY_SIZE(m))))
                return result;
        if (json_typeof(obj.v) != JSON_OBJECT)
                return result;
        if (!STEP(c, result, parse_listener(c, m[M_LISTENER_PATH].val, m[M_LISTENER_METADATA].val)))
                return result;
        if (!m[M_DEFAULT_ACTION].val.v) {
                if (!STEP(c, result, jctx_error(c, obj.node, "no defaultAction")))
                        return result;
        } else {
                struct json_action_src src = {
                    .action = m[M_DEFAULT_ACTION].val,
                    .errno_ret = m[M_DEFAULT_ERRNO_RET].val,
                    .errno_name = m[M_DEFAULT_ERRNO].val,
                    .what = "defaultAction",
                    .ret_what = "defaultErrnoRet",
                    .name_what = "defaultErrno",
                    .is_default = true,
                };
                if (!STEP(c, result, json_parse_action(c, &src, &c->policy->default_action)))
                        return result;
        }
        if (!STEP(c, result, json_parse_arches(c, m[M_ARCHITECTURES].val, m[M_ARCH_MAP].val)))
                return result;
        if (m[M_FLAGS].val.v && !STEP(c, result, json_parse_flags(c, m[M_FLAGS].val)))
                return result;
        if (m[M_SYSCALLS].val.v && !STEP(c, result, parse_syscalls(c, m[M_SYSCALLS].val)))
                return result;
        return result;
}

static int cmp_names(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Skipped names are listed once each, sorted. */
static void tidy_skipped(struct sealexec_policy *p)
{
        size_t n = 0;
        if (p->n_skipped == 0)
                return;
        qsort(p->skipped_names, p->n_skipped, sizeof(char *), cmp_names);
        for (size_t i = 0; i < p->n_skipped; i++) {
                if (n > 0 && strcmp(p->skipped_names[n - 1], p->skipped_names[i]) == 0)
                        free(p->skipped_names[i]);
                else
                        p->skipped_names[n++] = p->skipped_names[i];
        }
        p->n_skipped = n;
}

static int report_syntax_error(struct json_ctx *c, const json_error_t *jerr)
{
        struct json_pos pos = {
            .line = jerr->line > 0 ? (unsigned)jerr->line : 1,
            .col = jerr->column > 0 ? (unsigned)jerr->column : 1,
        };
        /* jansson quotes the text near the error, which may not be UTF-8. */
        char text[sizeof(jerr->text)];
        snprintf(text, sizeof(text), "%s", jerr->text);
        for (char *p = text; *p; p++)
                if ((unsigned char)*p >= 0x80)
                        *p = '?';
        return jctx_error_at(c, pos, "invalid JSON: %s", text);
}

static int parse_document(struct json_ctx *c, const char *text, size_t len)
{
        json_error_t jerr;
        /* Integers as reals: exact values are read from the text (json-index.h). */
        json_t *root =
            json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
        if (!root)
                return report_syntax_error(c, &jerr);
        int r = json_index_build(&c->index, text, len);
        if (r == -ENOMEM) {
                json_decref(root);
                return jctx_oom(c);
        }
        struct jval doc = {root, 0}, seccomp = {NULL, JSON_NO_NODE};
        if (!json_is_object(root))
                r = jctx_error(c, doc.node,
                               "expected an object (a seccomp profile or an OCI config), got %s",
                               jtype_name(root));
        else if ((r = find_seccomp(c, doc, &seccomp)) >= 0)
                r = parse_seccomp(c, seccomp);
        json_decref(root);
        return r;
}

int policy_parse_json_host(const char *path, const char *text, size_t len,
                           const struct json_host *host, struct policy_diag *diag,
                           struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct sealexec_policy *policy = NULL;
        int r = policy_new(path ? path : "<policy>", &policy, err);
        if (r < 0)
                return r;
        struct json_ctx c = {
            .file = path,
            .host = host,
            .diag = diag,
            .err = err,
            .policy = policy,
        };
        r = parse_document(&c, text ? text : "", text ? len : 0);
        json_index_done(&c.index);
        if (r >= 0 && c.n_errors > 0)
                r = -EINVAL;
        if (r < 0) {
                sealexec_policy_free(policy);
                return r;
        }
        tidy_skipped(policy);
        *ret_policy = policy;
        return 0;
}

int policy_parse_json(const char *path, const char *text, size_t len, struct policy_diag *diag,
                      struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct json_host host;
        json_host_detect(&host);
        return policy_parse_json_host(path, text, len, &host, diag, ret_policy, err);
}
