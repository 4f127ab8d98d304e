/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load.h - policy files and precompiled BPF files (load.c), used by api.c. */
#ifndef SEALEXEC_POLICY_LOAD_H
#define SEALEXEC_POLICY_LOAD_H

#include <stddef.h>
#include <sys/stat.h>

#include "policy/ir.h"
#include "policy/parse.h"

/*
 * Opens a file sealexec reads as policy data (a policy, a constants.json, a
 * BPF program) the loader's way (loader_open_regular()): never blocks, never
 * opens a FIFO or a device. Errors name "WHAT 'PATH'". A missing file is a
 * refused launch (125), not a missing payload (127). ret_st receives fstat().
 */
int policy_open_file(const char *path, const char *what, struct stat *ret_st, int *ret_fd,
                     sealexec_error *err);

/*
 * Reads a regular file of at most POLICY_FILE_MAX bytes into a
 * NUL-terminated buffer, opened the loader's safe way (never blocks, never
 * opens a FIFO or a device).
 */
int policy_read_file(const char *path, char **ret_text, size_t *ret_len, sealexec_error *err);

/* Refuses NUL bytes, then parses as JSON when the first non-blank byte is
 * '{', as minijail text otherwise. */
int policy_parse_buffer(const char *path, const char *text, size_t len, const char *constants_path,
                        struct policy_diag *diag, struct sealexec_policy **ret_policy,
                        sealexec_error *err);

/* Compiles in neutral contexts to find compile errors at load time. */
int policy_check_compiles(const struct sealexec_policy *policy, sealexec_error *err);

/* A precompiled program: regular file, 1..BPF_MAXINSNS instructions. */
int policy_load_bpf_file(const char *path, struct sealexec_policy **ret_policy,
                         sealexec_error *err);

#endif
