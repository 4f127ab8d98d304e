/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rlimit.h - the resource-limit step (rlimit.c).
 */
#ifndef SEALEXEC_SANDBOX_RLIMIT_H
#define SEALEXEC_SANDBOX_RLIMIT_H

#include <stddef.h>
#include <sys/resource.h>

#include "sandbox/launch.h"

/* Parses "NAME=SOFT[:HARD]" as prlimit(1) spells it. Pure. */
int rlimit_parse(const char *spec, struct launch_rlimit *ret_limit, sealexec_error *err);

/* The prlimit(1) name of an RLIMIT_* value, or NULL. */
const char *rlimit_name(int resource);

/* Formats a value as a number or "unlimited". */
const char *rlimit_format_value(rlim_t value, char *buf, size_t size);

/* setrlimit() each, in order. */
int rlimits_apply(const struct launch_rlimit *limits, size_t n_limits, sealexec_error *err);

#endif
