/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Architectures, filter flags, and Docker's includes/excludes. */
#include "policy/json/json-arches.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/caps.h"
#include "policy/json/json-tables.h"

static bool policy_has_arch(const struct sealexec_policy *p, uint32_t token)
{
        for (size_t i = 0; i < p->n_arches; i++)
                if (p->arches[i] == token)
                        return true;
        return false;
}

static int add_arch(struct json_ctx *c, uint32_t token)
{
        struct sealexec_policy *p = c->policy;
        int r;

        if (p->n_arches == 0 && token != c->host->native_arch) {
                r = policy_add_arch(p, c->host->native_arch, c->err);
                if (r < 0)
                        return jctx_oom(c);
        }
        if (policy_has_arch(p, token))
                return 0;
        r = policy_add_arch(p, token, c->err);
        return r < 0 ? jctx_oom(c) : 0;
}

/* An architecture name; `need_support` when this host must be able to filter it. */
static int parse_arch_name(struct json_ctx *c, struct jval val, const char *what, bool need_support,
                           const struct json_arch_name **ret)
{
        const char *name = NULL;
        int r = jget_string(c, val, what, &name);
        if (r < 0)
                return r;
        const struct json_arch_name *a = json_arch_lookup(name);
        if (!a)
                return jctx_error(c, val.node, "%s: unknown architecture '%s'", what, name);
        if (need_support && a->token == 0)
                return jctx_error(c, val.node,
                                  "%s: architecture '%s' is not supported by this libseccomp", what,
                                  name);
        *ret = a;
        return 0;
}

static int parse_architectures(struct json_ctx *c, struct jval list)
{
        struct jarray_iter it;
        int r = jarray_begin(c, list, "architectures", &it), result = 0;
        if (r < 0)
                return r;
        while (jarray_next(c, &it)) {
                char what[64];
                const struct json_arch_name *a;
                snprintf(what, sizeof(what), "architectures[%zu]", it.i - 1);
                r = parse_arch_name(c, it.elem, what, true, &a);
                if (r >= 0)
                        r = add_arch(c, a->token);
                if (jctx_fatal(c, r))
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

/* One archMap entry; adds its architectures when it is the native one. */
static int parse_arch_map_entry(struct json_ctx *c, struct jval entry, size_t i, bool *found)
{
        char what[80];
        struct jmember m[] = {{"architecture", {0}}, {"subArchitectures", {0}}};
        const struct json_arch_name *arch;
        struct jarray_iter it;

        snprintf(what, sizeof(what), "archMap[%zu]", i);
        int r = jobject_members(c, entry, what, m, 2);
        if (r < 0)
                return r;
        snprintf(what, sizeof(what), "archMap[%zu].architecture", i);
        if (!m[0].val.v)
                return jctx_error(c, entry.node, "archMap[%zu]: no architecture", i);
        r = parse_arch_name(c, m[0].val, what, false, &arch);
        if (r < 0)
                return r;
        /* moby uses the first entry for the native architecture. */
        bool native = !*found && arch->token != 0 && arch->token == c->host->native_arch;
        if (native) {
                *found = true;
                r = add_arch(c, arch->token);
                if (r < 0)
                        return r;
        }
        if (!m[1].val.v)
                return 0;
        snprintf(what, sizeof(what), "archMap[%zu].subArchitectures", i);
        r = jarray_begin(c, m[1].val, what, &it);
        if (r < 0)
                return r;
        while (jarray_next(c, &it)) {
                const struct json_arch_name *sub;
                snprintf(what, sizeof(what), "archMap[%zu].subArchitectures[%zu]", i, it.i - 1);
                r = parse_arch_name(c, it.elem, what, native, &sub);
                if (r >= 0 && native)
                        r = add_arch(c, sub->token);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_arch_map(struct json_ctx *c, struct jval map)
{
        struct jarray_iter it;
        bool found = false;
        int r = jarray_begin(c, map, "archMap", &it), result = 0;
        if (r < 0)
                return r;
        while (jarray_next(c, &it)) {
                r = parse_arch_map_entry(c, it.elem, it.i - 1, &found);
                if (jctx_fatal(c, r))
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

static bool non_empty_array(struct jval v)
{
        return v.v && (!json_is_array(v.v) || json_array_size(v.v) > 0);
}

int json_parse_arches(struct json_ctx *c, struct jval architectures, struct jval arch_map)
{
        if (non_empty_array(architectures) && non_empty_array(arch_map))
                return jctx_error(c, arch_map.node,
                                  "archMap: use either 'architectures' or 'archMap', not both");
        int r = 0;
        if (architectures.v)
                r = parse_architectures(c, architectures);
        if (jctx_fatal(c, r))
                return r;
        int r2 = arch_map.v ? parse_arch_map(c, arch_map) : 0;
        return r < 0 ? r : r2;
}

int json_parse_flags(struct json_ctx *c, struct jval flags)
{
        struct jarray_iter it;
        int r = jarray_begin(c, flags, "flags", &it), result = 0;
        if (r < 0)
                return r;
        uint32_t supported = it.n > 0 ? json_host_supported_flags(c->host) : 0;
        while (jarray_next(c, &it)) {
                char what[32];
                const char *name = NULL;
                snprintf(what, sizeof(what), "flags[%zu]", it.i - 1);
                r = jget_string(c, it.elem, what, &name);
                if (r >= 0) {
                        const struct json_flag_name *f = json_flag_lookup(name);
                        if (!f)
                                r = jctx_error(c, it.elem.node, "%s: unknown flag '%s'", what,
                                               name);
                        else if (!(supported & f->flag))
                                r = jctx_error(c, it.elem.node,
                                               "%s: the running kernel does not support %s", what,
                                               name);
                        else
                                c->policy->filter_flags |= f->flag;
                }
                if (jctx_fatal(c, r))
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

/* --- Docker's includes / excludes ---------------------------------------- */

struct docker_filter {
        bool has_arches, has_min_kernel;
        bool arch_matches; /* the native architecture is listed */
        unsigned min_major, min_minor;
        uint64_t caps;
};

/* Go's strconv.ParseUint(s, 10, 8): digits only, at most 255; -EINVAL otherwise. */
static int parse_version_part(const char *s, size_t len, unsigned *ret)
{
        unsigned v = 0;
        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(s[i] - '0');
                if (v > 255)
                        return -EINVAL;
        }
        *ret = v;
        return 0;
}

static int parse_min_kernel(struct json_ctx *c, struct jval val, const char *what,
                            struct docker_filter *f)
{
        const char *s = NULL;
        int r = jget_string(c, val, what, &s);
        if (r < 0)
                return r;
        if (*s == '\0') /* moby: an empty version is no condition */
                return 0;
        const char *dot = strchr(s, '.');
        if (!dot || parse_version_part(s, (size_t)(dot - s), &f->min_major) < 0 ||
            parse_version_part(dot + 1, strlen(dot + 1), &f->min_minor) < 0 ||
            (f->min_major == 0 && f->min_minor == 0))
                return jctx_error(c, val.node,
                                  "%s: invalid kernel version '%s', expected \"<major>.<minor>\"",
                                  what, s);
        if (!c->host->kernel_known)
                return jctx_error(c, val.node,
                                  "%s: cannot tell the running kernel's version from uname", what);
        f->has_min_kernel = true;
        return 0;
}

static int filter_arch(struct json_ctx *c, struct jval elem, const char *what, const char *name,
                       void *userdata)
{
        struct docker_filter *f = userdata;
        const struct json_arch_name *native = json_arch_by_token(c->host->native_arch);
        /* moby compares with its own names; an SCMP name never matches. */
        if (strncmp(name, "SCMP_ARCH_", 10) == 0)
                return jctx_error(c, elem.node,
                                  "%s: '%s': Docker's arches use names such as amd64, "
                                  "arm64, x86, not SCMP_ARCH_*",
                                  what, name);
        f->has_arches = true;
        if (native && native->docker_name && strcmp(name, native->docker_name) == 0)
                f->arch_matches = true;
        return 0;
}

static int filter_cap(struct json_ctx *c, struct jval elem, const char *what, const char *name,
                      void *userdata)
{
        struct docker_filter *f = userdata;
        int cap = caps_parse_name(name);
        if (cap < 0)
                return jctx_error(c, elem.node, "%s: unknown capability '%s'", what, name);
        f->caps |= UINT64_C(1) << cap;
        return 0;
}

static int parse_filter(struct json_ctx *c, struct jval obj, const char *what,
                        struct docker_filter *f)
{
        char mwhat[96];
        struct jmember m[] = {{"caps", {0}}, {"arches", {0}}, {"minKernel", {0}}};
        int r = jobject_members(c, obj, what, m, 3);
        if (r < 0)
                return r;
        if (m[0].val.v) {
                snprintf(mwhat, sizeof(mwhat), "%s.caps", what);
                r = jarray_each_string(c, m[0].val, mwhat, filter_cap, f);
                if (r < 0)
                        return r;
        }
        if (m[1].val.v) {
                snprintf(mwhat, sizeof(mwhat), "%s.arches", what);
                r = jarray_each_string(c, m[1].val, mwhat, filter_arch, f);
                if (r < 0)
                        return r;
        }
        if (m[2].val.v) {
                snprintf(mwhat, sizeof(mwhat), "%s.minKernel", what);
                r = parse_min_kernel(c, m[2].val, mwhat, f);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool kernel_at_least(const struct json_host *host, unsigned major, unsigned minor)
{
        return host->kernel_major > major ||
               (host->kernel_major == major && host->kernel_minor >= minor);
}

int json_parse_docker_cond(struct json_ctx *c, struct jval includes, struct jval excludes,
                           const char *what, struct docker_cond *ret)
{
        struct docker_filter inc = {0}, exc = {0};
        char fwhat[80];
        int r;

        if (includes.v) {
                snprintf(fwhat, sizeof(fwhat), "%s.includes", what);
                r = parse_filter(c, includes, fwhat, &inc);
                if (r < 0)
                        return r;
        }
        if (excludes.v) {
                snprintf(fwhat, sizeof(fwhat), "%s.excludes", what);
                r = parse_filter(c, excludes, fwhat, &exc);
                if (r < 0)
                        return r;
        }
        const struct json_host *h = c->host;
        bool drop = (exc.has_arches && exc.arch_matches) ||
                    (exc.has_min_kernel && kernel_at_least(h, exc.min_major, exc.min_minor)) ||
                    (inc.has_arches && !inc.arch_matches) ||
                    (inc.has_min_kernel && !kernel_at_least(h, inc.min_major, inc.min_minor));
        *ret = (struct docker_cond){
            .drop = drop,
            .caps_required = inc.caps,
            .caps_excluded = exc.caps,
        };
        return 0;
}
