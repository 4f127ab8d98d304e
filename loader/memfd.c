/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memfd.c - creating the memfd that will hold the sealed copy.
 *
 * Executables ask for MFD_EXEC and data files for MFD_NOEXEC_SEAL
 * (Linux 6.3). On older kernels both flags are unknown (EINVAL) and are
 * dropped; MFD_ALLOW_SEALING never is, since an unsealable copy is worthless.
 * The vm.memfd_noexec sysctl can forbid executable memfds: 6.3-6.5 answer
 * EINVAL (indistinguishable from an old kernel but for the sysctl's value),
 * 6.6+ EACCES. sealexec then fails; it never falls back to a file on disk,
 * which would bring back the very window the memfd closes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"

#define MEMFD_NOEXEC_SYSCTL "/proc/sys/vm/memfd_noexec"

void loader_memfd_name(char *buf, size_t size, const char *source)
{
        const char *slash = source ? strrchr(source, '/') : NULL;
        const char *base = slash ? slash + 1 : source;

        if (!base || base[0] == '\0')
                base = "payload";
        if (size > LOADER_MEMFD_NAME_MAX)
                size = LOADER_MEMFD_NAME_MAX;
        snprintf(buf, size, "sealexec:%s", base);
}

int loader_memfd_noexec_sysctl(void)
{
        _cleanup_close_ int fd = open(MEMFD_NOEXEC_SYSCTL, O_RDONLY | O_CLOEXEC);
        char buf[16];
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        if (buf[0] < '0' || buf[0] > '2')
                return -EINVAL;
        return buf[0] - '0';
}

static int noexec_sysctl_error(int code, const char *label, sealexec_error *err)
{
        return se_error(err, code, SEALEXEC_ERROR_REFUSED,
                        "%s: cannot create an executable memfd: the sysctl vm.memfd_noexec=2 "
                        "forbids it",
                        label);
}

static int create_executable(const char *memfd_name, const char *label, sealexec_error *err)
{
        int fd = memfd_create(memfd_name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

        if (fd >= 0)
                return fd;
        if (errno == EACCES)
                return noexec_sysctl_error(-EACCES, label, err);
        if (errno != EINVAL)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot create memfd", label);
        if (loader_memfd_noexec_sysctl() == 2)
                return noexec_sysctl_error(-EINVAL, label, err);

        /* A kernel before 6.3: memfds are executable without asking. */
        fd = memfd_create(memfd_name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot create memfd", label);
        return fd;
}

static int create_data(const char *memfd_name, const char *label, sealexec_error *err)
{
        int fd = memfd_create(memfd_name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);

        if (fd < 0 && errno == EINVAL)
                /* A kernel before 6.3; the mode (0444) keeps it non-executable. */
                fd = memfd_create(memfd_name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot create memfd", label);
        return fd;
}

int loader_memfd_create(const char *memfd_name, bool is_data, const char *label, int *ret_fd,
                        sealexec_error *err)
{
        int fd = is_data ? create_data(memfd_name, label, err)
                         : create_executable(memfd_name, label, err);

        if (fd < 0)
                return fd;
        *ret_fd = fd;
        return 0;
}
