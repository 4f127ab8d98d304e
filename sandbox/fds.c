/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The descriptor step: where the files and the payload land
 * (fd_plan_compute), closing every descriptor not kept (close_range(2), or
 * /proc/self/fd without it), and the fd-map setter
 * (sealexec_launch_map_fd()). The moves themselves are plan-fds.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "sandbox/fds.h"
#include "sandbox/launch.h"

void fd_plan_compute(const int *keep_fds, size_t n_keep_fds, size_t n_files,
                     struct fd_plan *ret_plan)
{
        int base = 3;
        if (n_keep_fds > 0 && keep_fds[n_keep_fds - 1] + 1 > base)
                base = keep_fds[n_keep_fds - 1] + 1;
        *ret_plan = (struct fd_plan){
            .base = base,
            .n_files = n_files,
            .payload_fd = base + (int)n_files,
        };
}

static bool fd_in(int fd, const int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (fds[i] == fd)
                        return true;
        return false;
}

static int close_range_syscall(unsigned first, unsigned last)
{
#ifdef SYS_close_range
        return syscall(SYS_close_range, first, last, 0u) < 0 ? -errno : 0;
#else
        return -ENOSYS;
#endif
}

/* 1: the gap is closed, go on; 0: the fallback closed every other fd; -errno. */
static int close_gap(unsigned first, unsigned last, const int *keep, size_t n_keep,
                     sealexec_error *err)
{
        int r = close_range_syscall(first, last);
        if (r == 0)
                return 1;
        if (r == -ENOSYS)
                return fds_close_others_fallback(keep, n_keep, err);
        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "confine: fds: close_range %u-%u",
                              first, last);
}

int fds_close_others(const int *keep, size_t n_keep, sealexec_error *err)
{
        unsigned next = 3; /* lowest number that may still need closing */
        for (size_t i = 0; i < n_keep; i++) {
                if (keep[i] < 0 || (unsigned)keep[i] < next)
                        continue;
                if ((unsigned)keep[i] > next) {
                        int r = close_gap(next, (unsigned)keep[i] - 1, keep, n_keep, err);
                        if (r <= 0)
                                return r;
                }
                next = (unsigned)keep[i] + 1;
        }
        int r = close_gap(next, UINT_MAX, keep, n_keep, err);
        return r < 0 ? r : 0;
}

static bool must_close(int fd, const int *keep, size_t n_keep)
{
        return fd > 2 && !fd_in(fd, keep, n_keep);
}

/*
 * Walks /proc/self/fd with getdents64 into a stack buffer (no opendir(), which
 * allocates: this runs in the exec path); -ENOENT when /proc is not there.
 * Descriptors are closed after each batch is read, which a directory of fds
 * tolerates: it is read again from the start until a pass closes nothing.
 */
static int close_from_proc(const int *keep, size_t n_keep)
{
        for (;;) {
                int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dir < 0)
                        return -errno;
                bool closed_any = false;
                char buf[4096] __attribute__((aligned(8)));
                long n;
                while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
                        for (long off = 0; off < n;) {
                                struct linux_dirent64 {
                                        uint64_t ino;
                                        int64_t off;
                                        unsigned short reclen;
                                        unsigned char type;
                                        char name[];
                                } *de = (void *)(buf + off);
                                long fd = 0;
                                bool number = de->name[0] != '\0';
                                for (const char *p = de->name; *p && number; p++) {
                                        number = *p >= '0' && *p <= '9' && fd < INT_MAX / 10;
                                        fd = fd * 10 + (*p - '0');
                                }
                                if (number && fd != dir && must_close((int)fd, keep, n_keep)) {
                                        close((int)fd);
                                        closed_any = true;
                                }
                                off += de->reclen;
                        }
                }
                close(dir);
                if (!closed_any)
                        return 0;
        }
}

int fds_close_others_fallback(const int *keep, size_t n_keep, sealexec_error *err)
{
        if (close_from_proc(keep, n_keep) == 0)
                return 0;
        struct rlimit limit;
        if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: fds: RLIMIT_NOFILE");
        /* Without /proc: every number the process could hold, however slow. */
        rlim_t max = limit.rlim_max == RLIM_INFINITY || limit.rlim_max > INT_MAX ? (rlim_t)1 << 20
                                                                                 : limit.rlim_max;
        for (rlim_t fd = 3; fd < max; fd++)
                if (must_close((int)fd, keep, n_keep))
                        close((int)fd);
        return 0;
}

SEALEXEC_API int sealexec_launch_map_fd(sealexec_launch *launch, int parent_fd, int child_fd,
                                        sealexec_error *err)
{
        if (launch && launch->plan)
                return launch_busy(err);
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "map fd: no launch");
        if (parent_fd < 0 || fcntl(parent_fd, F_GETFD) < 0)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                "map fd %d: not an open descriptor", parent_fd);
        if (child_fd < 0 || child_fd > SEALEXEC_FD_MAP_MAX)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "map fd: payload number %d out of range 0..%d", child_fd,
                                SEALEXEC_FD_MAP_MAX);
        for (size_t i = 0; i < launch->n_fd_maps; i++)
                if (launch->fd_maps[i].child == child_fd)
                        return se_error(err, -EEXIST, SEALEXEC_ERROR_REFUSED,
                                        "map fd: payload fd %d is already mapped", child_fd);
        for (size_t i = 0; i < launch->n_keep_fds; i++)
                if (launch->keep_fds[i] == child_fd)
                        return se_error(err, -EEXIST, SEALEXEC_ERROR_REFUSED,
                                        "map fd: payload fd %d is also kept as it is", child_fd);
        if (array_reserve(&launch->fd_maps, &launch->fd_maps_cap, launch->n_fd_maps + 1,
                          sizeof(*launch->fd_maps)) < 0)
                return se_oom(err, "map fd");
        launch->fd_maps[launch->n_fd_maps++] =
            (struct launch_fd_map){.parent = parent_fd, .child = child_fd};
        return 0;
}
