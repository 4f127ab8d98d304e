/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Named constants of the minijail text format: a table generated at build time
 * from this system's kernel and libc headers (gen-constants.sh), plus the
 * constants of an optional minijail constants.json (constants-json.c).
 */
#ifndef SEALEXEC_POLICY_TEXT_CONSTANTS_H
#define SEALEXEC_POLICY_TEXT_CONSTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct text_constant {
        const char *name;
        uint64_t value; /* the C value converted to uint64_t (sign-extended) */
        bool negative;  /* the C value is negative, e.g. AT_FDCWD */
};

/* The generated table, sorted by name in the C locale. */
extern const struct text_constant text_constants[];
extern const size_t text_constants_count;

/* Looks a name up in the generated table; NULL when unknown. */
const struct text_constant *text_constant_lookup(const char *name);

#endif
