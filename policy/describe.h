/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* describe.h - a policy explained, as text (describe.c) or JSON (explain-json.c). */
#ifndef SEALEXEC_POLICY_DESCRIBE_H
#define SEALEXEC_POLICY_DESCRIBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "policy/ir.h"

/*
 * Readable description for `policy explain` and `run --dry-run`: default
 * action, architectures, per-syscall actions (with the launch rule), skipped
 * names, instruction count; with `pfc`, libseccomp's pseudo filter code too.
 * ret_text receives malloc'd text owned by the caller.
 */
int policy_describe(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                    bool pfc, char **ret_text, sealexec_error *err);

/*
 * The machine-readable explanation, shape documented in
 * docs/sealexec-policy.5.scd: ret_json receives a new jansson object
 * (json_decref()).
 */
struct json_t;
int policy_describe_json(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                         struct json_t **ret_json, sealexec_error *err);

/* Name of an SCMP_ARCH_* token ("x86_64"), or "unknown". */
const char *policy_arch_name(uint32_t scmp_arch);

/* Writes a rule's condition ("arg1 == 0x5412 && ...") to f; nothing if unconditional. */
void policy_print_condition(FILE *f, const struct policy_rule *rule);

#endif
