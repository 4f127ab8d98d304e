/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the running system is, for Docker's includes/excludes and OCI's flags. */
#include "policy/json/json-host.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/seccomp.h>
#include <seccomp.h>

#include "policy/json/json-tables.h"

int json_parse_kernel_release(const char *release, unsigned *ret_major, unsigned *ret_minor)
{
        char *end;
        unsigned long major, minor;

        if (!release || *release < '0' || *release > '9')
                return -EINVAL;
        errno = 0;
        major = strtoul(release, &end, 10);
        if (errno || *end != '.' || end[1] < '0' || end[1] > '9' || major > UINT_MAX)
                return -EINVAL;
        minor = strtoul(end + 1, &end, 10);
        if (errno || minor > UINT_MAX)
                return -EINVAL;
        *ret_major = (unsigned)major;
        *ret_minor = (unsigned)minor;
        return 0;
}

/*
 * seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) fails with EFAULT when the
 * kernel knows every flag (it validates flags before reading the program),
 * with EINVAL when it does not. Nothing is installed either way.
 */
static bool kernel_accepts_flags(uint32_t flags)
{
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL);
        return r < 0 && errno == EFAULT;
}

uint32_t json_host_supported_flags(const struct json_host *host)
{
        if (!host->probe_flags)
                return host->supported_flags;
        int saved = errno;
        uint32_t supported = 0;
        for (size_t i = 0; i < json_n_flags; i++) {
                uint32_t flag = json_flags[i].flag;
                /* The kernel takes WAIT_KILLABLE_RECV only with NEW_LISTENER. */
                uint32_t probe =
                    flag == JSON_FLAG_WAIT_KILLABLE_RECV ? flag | JSON_FLAG_NEW_LISTENER : flag;
                if (kernel_accepts_flags(probe))
                        supported |= flag;
        }
        errno = saved;
        return supported;
}

void json_host_detect(struct json_host *host)
{
        struct utsname u;

        *host = (struct json_host){.native_arch = seccomp_arch_native(), .probe_flags = true};
        if (uname(&u) == 0)
                host->kernel_known = json_parse_kernel_release(u.release, &host->kernel_major,
                                                               &host->kernel_minor) == 0;
}
