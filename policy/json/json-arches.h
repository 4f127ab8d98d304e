/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Architectures, filter flags and Docker's per-rule conditions. */
#ifndef SEALEXEC_POLICY_JSON_ARCHES_H
#define SEALEXEC_POLICY_JSON_ARCHES_H

#include "policy/json/json-ctx.h"

/*
 * OCI "architectures" or Docker's "archMap" (at most one of them) into
 * policy->arches. The native architecture is always filtered, as runc does:
 * libseccomp starts every filter with it. Without a matching archMap entry,
 * or with neither key, policy->arches stays empty: native only.
 */
int json_parse_arches(struct json_ctx *c, struct jval architectures, struct jval arch_map);

/* OCI "flags" into policy->filter_flags. */
int json_parse_flags(struct json_ctx *c, struct jval flags);

/* The result of a syscalls[] entry's Docker "includes" and "excludes". */
struct docker_cond {
        bool drop; /* the entry does not apply on this host */
        uint64_t caps_required, caps_excluded;
};

/*
 * Resolves "includes"/"excludes" as moby's profiles/seccomp does: arches and
 * minKernel against this host now, capabilities at compile time (against
 * the capabilities the payload keeps). `what` names the entry in messages.
 */
int json_parse_docker_cond(struct json_ctx *c, struct jval includes, struct jval excludes,
                           const char *what, struct docker_cond *ret);

#endif
