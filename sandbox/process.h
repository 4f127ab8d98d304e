/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * process.h - the steps on the process itself: new session, signals,
 * no_new_privs, the single-thread check, the root guard, and reading
 * /proc/self/status without stdio (session.c, signals.c, nnp.c, threads.c,
 * tracer.c, root-guard.c, proc-status.c).
 */
#ifndef SEALEXEC_SANDBOX_PROCESS_H
#define SEALEXEC_SANDBOX_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sandbox/launch.h"

int nnp_apply(sealexec_error *err);

/* Whether uid maps to uid 0 of the parent user namespace (or this is the initial one). */
bool root_guard_maps_to_root(uid_t uid);

/* Refuses a payload uid that is root of the host unless allow_root. */
int root_guard_check(const sealexec_launch *launch, uid_t payload_uid, sealexec_error *err);

/* Empties the signal mask and resets ignored signals to SIG_DFL (signals.c). */
int signals_reset(sealexec_error *err);

/* --new-session: setsid(), refused with a clear message for a group leader. */
int session_apply(sealexec_error *err);

/* Opens it (O_CLOEXEC); -errno with the step named. */
int proc_status_open(sealexec_error *err);
/* Reads it whole from offset 0 into buf (NUL-terminated); -EIO when empty. */
int proc_status_pread(int fd, char *buf, size_t size);
/* proc_status_open() + proc_status_pread() + close, with the error recorded. */
int proc_status_read(char *buf, size_t size, sealexec_error *err);
/* The decimal value of "Key:" in the text; -ENOENT without the key, -EINVAL without a number. */
long proc_status_field(const char *text, const char *key);

/* Threads == 1 in a status text (unless allowed) and TracerPid == 0 (tracer.c). */
int status_check_text(const char *text, bool check_threads, sealexec_error *err);

/* ret_threads receives the "Threads:" count of /proc/self/status. */
int threads_count(unsigned *ret_threads, sealexec_error *err);

#endif
