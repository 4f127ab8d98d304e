/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scope-bound cleanup, in the style of systemd: a variable declared with one
 * of these attributes is released when it goes out of scope, and TAKE_FD /
 * TAKE_PTR hand ownership over explicitly.
 */
#ifndef SEALEXEC_COMMON_CLEANUP_H
#define SEALEXEC_COMMON_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
        free(*(void **)p);
}

/* close() is never retried: on Linux the descriptor is gone even on EINTR. */
static inline void cleanup_closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                (void)close(*fd);
                errno = saved;
        }
}

#define _cleanup_(f)    __attribute__((cleanup(f)))
#define _cleanup_free_  _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)

/* Returns the value of a variable and resets it, so its cleanup does nothing. */
#define TAKE_FD(fd)                                                                                \
        ({                                                                                         \
                int taken_fd_ = (fd);                                                              \
                (fd) = -1;                                                                         \
                taken_fd_;                                                                         \
        })

#define TAKE_PTR(ptr)                                                                              \
        ({                                                                                         \
                __typeof__(ptr) taken_ptr_ = (ptr);                                                \
                (ptr) = NULL;                                                                      \
                taken_ptr_;                                                                        \
        })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
