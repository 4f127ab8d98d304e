/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability names <-> bit masks, shared by sandbox/ and policy/. */
#ifndef SEALEXEC_COMMON_CAPS_H
#define SEALEXEC_COMMON_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "sealexec.h"

/*
 * Parses "CAP_A,cap_b,c" (case and the CAP_ prefix optional, spaces around
 * names ignored) and ORs the capabilities into *ret_mask (bit n = cap n).
 * The name "docker" (any case) stands for Docker's default capability set,
 * caps_docker_default(). NULL or "" adds nothing. Unknown names are -EINVAL
 * with the name in err.
 */
int caps_parse_list(const char *list, uint64_t *ret_mask, sealexec_error *err);

/*
 * Docker's default capability set: CHOWN, DAC_OVERRIDE, FSETID, FOWNER,
 * MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE,
 * SYS_CHROOT, KILL, AUDIT_WRITE.
 */
uint64_t caps_docker_default(void);

/* Parses one name; returns the capability number or -EINVAL. */
int caps_parse_name(const char *name);

/* Writes "cap_a,cap_b" (or "none") for a mask into buf. */
const char *caps_format(uint64_t mask, char *buf, size_t size);

#endif
