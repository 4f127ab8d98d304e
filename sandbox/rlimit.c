/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resource limits, spelled "NAME=SOFT[:HARD]" as prlimit(1) does. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "common/error.h"
#include "sandbox/launch.h"
#include "sandbox/rlimit.h"

static const struct {
        const char *name;
        int resource;
} rlimit_names[] = {
    {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
};

const char *rlimit_name(int resource)
{
        for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
                if (rlimit_names[i].resource == resource)
                        return rlimit_names[i].name;
        return NULL;
}

static int rlimit_lookup(const char *name, size_t len)
{
        for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
                if (strlen(rlimit_names[i].name) == len &&
                    strncmp(rlimit_names[i].name, name, len) == 0)
                        return rlimit_names[i].resource;
        return -EINVAL;
}

const char *rlimit_format_value(rlim_t value, char *buf, size_t size)
{
        if (value == RLIM_INFINITY)
                snprintf(buf, size, "unlimited");
        else
                snprintf(buf, size, "%" PRIu64, (uint64_t)value);
        return buf;
}

/* Decimal digits only (no sign, no spaces, no hex), or "unlimited". */
static int parse_value(const char *text, size_t len, rlim_t *ret_value)
{
        if (len == strlen("unlimited") && strncmp(text, "unlimited", len) == 0) {
                *ret_value = RLIM_INFINITY;
                return 0;
        }
        if (len == 0 || len > 20)
                return -EINVAL;
        uint64_t value = 0;
        for (size_t i = 0; i < len; i++) {
                if (text[i] < '0' || text[i] > '9')
                        return -EINVAL;
                unsigned digit = (unsigned)(text[i] - '0');
                if (value > (UINT64_MAX - digit) / 10)
                        return -ERANGE;
                value = value * 10 + digit;
        }
        /* RLIM_INFINITY is all ones; a number that large is spelled "unlimited". */
        if ((rlim_t)value == RLIM_INFINITY)
                return -ERANGE;
        *ret_value = (rlim_t)value;
        return 0;
}

int rlimit_parse(const char *spec, struct launch_rlimit *ret_limit, sealexec_error *err)
{
        const char *eq = spec ? strchr(spec, '=') : NULL;
        if (!eq)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "rlimit '%s': not NAME=SOFT[:HARD]", spec ? spec : "");
        int resource = rlimit_lookup(spec, (size_t)(eq - spec));
        if (resource < 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "unknown rlimit '%.*s'",
                                (int)(eq - spec), spec);

        const char *soft_text = eq + 1;
        const char *colon = strchr(soft_text, ':');
        size_t soft_len = colon ? (size_t)(colon - soft_text) : strlen(soft_text);
        struct rlimit limit;
        int r = parse_value(soft_text, soft_len, &limit.rlim_cur);
        if (r < 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "rlimit '%s': soft limit is not a number or 'unlimited'", spec);
        limit.rlim_max = limit.rlim_cur;
        if (colon) {
                r = parse_value(colon + 1, strlen(colon + 1), &limit.rlim_max);
                if (r < 0)
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                        "rlimit '%s': hard limit is not a number or 'unlimited'",
                                        spec);
        }
        /* RLIM_INFINITY is the largest value, so one comparison covers "unlimited". */
        if (limit.rlim_cur > limit.rlim_max)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "rlimit '%s': soft limit above hard limit", spec);
        *ret_limit = (struct launch_rlimit){.resource = resource, .limit = limit};
        return 0;
}

int rlimits_apply(const struct launch_rlimit *limits, size_t n_limits, sealexec_error *err)
{
        for (size_t i = 0; i < n_limits; i++)
                if (setrlimit((__rlimit_resource_t)limits[i].resource, &limits[i].limit) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: rlimit %s",
                                              rlimit_name(limits[i].resource));
        return 0;
}
