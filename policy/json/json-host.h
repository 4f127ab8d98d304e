/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-host.h - the facts about the running system that Docker's profile
 * format depends on (native architecture, kernel version) and that OCI's
 * "flags" are checked against. Tests pass their own to cover other hosts.
 */
#ifndef SEALEXEC_POLICY_JSON_HOST_H
#define SEALEXEC_POLICY_JSON_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/ir.h"
#include "policy/parse.h"

struct json_host {
        uint32_t native_arch; /* SCMP_ARCH_* token */
        bool kernel_known;    /* false when uname's release could not be parsed */
        unsigned kernel_major, kernel_minor;
        /*
         * SECCOMP_FILTER_FLAG_* the kernel accepts. With probe_flags, they are
         * found out with seccomp(2) only when a profile has "flags", so that
         * loading a profile makes no seccomp(2) call otherwise.
         */
        bool probe_flags;
        uint32_t supported_flags;
};

/* Fills `host` from the running system (uname(2)). */
void json_host_detect(struct json_host *host);

/* The flags `host` supports, probing the kernel if the host says so. */
uint32_t json_host_supported_flags(const struct json_host *host);

/* Parses "MAJOR.MINOR[.anything]" as in a uname release; -EINVAL if it is not. */
int json_parse_kernel_release(const char *release, unsigned *ret_major, unsigned *ret_minor);

/* policy_parse_json() for a given host. */
int policy_parse_json_host(const char *path, const char *text, size_t len,
                           const struct json_host *host, struct policy_diag *diag,
                           struct sealexec_policy **ret_policy, sealexec_error *err);

#endif
