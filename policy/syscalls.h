/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Syscall names <-> numbers: libseccomp first, then a small table of
 * syscalls newer than the libseccomp sealexec is built against.
 */
#ifndef SEALEXEC_POLICY_SYSCALLS_H
#define SEALEXEC_POLICY_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns the number of `name` for `scmp_arch` (an SCMP_ARCH_* token;
 * SCMP_ARCH_NATIVE/0 means this machine's). The result may be a negative
 * libseccomp pseudo number (< -1) for a syscall that exists on some other
 * architecture only, as libseccomp's resolver does for the native arch;
 * -ENOENT when neither libseccomp nor sealexec's table knows the name.
 */
int policy_syscall_resolve(const char *name, uint32_t scmp_arch);

/*
 * Like policy_syscall_resolve(), but only real numbers: -ENOENT unless the
 * syscall exists on `scmp_arch`.
 */
int policy_syscall_resolve_real(const char *name, uint32_t scmp_arch);

/* true when the number comes from sealexec's own table (libseccomp does not
 * know it, so it can be used in a filter for the native arch only). */
bool policy_syscall_from_table(const char *name, uint32_t scmp_arch);

/*
 * Reverse lookup: the name of number `nr` on `scmp_arch`, or NULL. Returns a
 * pointer to static storage or writes into buf (at least 32 bytes).
 */
const char *policy_syscall_name(int nr, uint32_t scmp_arch, char *buf, size_t size);

/* "EPERM" for 1 etc., or NULL for an unknown number. */
const char *policy_errno_name(int errnum);

#endif
