/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Root of the initial user namespace is refused by default.
 *
 * Without capabilities, under seccomp and no_new_privs, a payload whose uid
 * is 0 in the initial user namespace still owns every root-owned file of the
 * host: it can create files in /etc, and writing "|/path" into
 * /proc/sys/kernel/core_pattern makes the kernel run that path as full root
 * outside any sandbox at the next crash. So a launch that would leave the
 * payload there is refused unless the caller says --allow-root
 * (sealexec_launch_set_allow_root()). A payload that is uid 0 of a user
 * namespace a runtime set up maps to an unprivileged uid on the host and is
 * not affected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "sandbox/launch.h"

SEALEXEC_API int sealexec_launch_set_allow_root(sealexec_launch *launch, bool allow,
                                                sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "allow-root: no launch");
        launch->allow_root = allow;
        return 0;
}

/*
 * The initial user namespace maps every uid to itself: uid_map is the single
 * line "0 0 4294967295". Anything else (or no /proc) is a namespace someone
 * set up; without /proc the answer is "initial", which fails closed.
 */
bool root_guard_in_initial_userns(void)
{
        _cleanup_close_ int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return true;
        char buf[128];
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return true;
        buf[n] = '\0';
        unsigned long inner, outer, count;
        char extra;
        int fields = sscanf(buf, "%lu %lu %lu %c", &inner, &outer, &count, &extra);
        return fields == 3 && inner == 0 && outer == 0 && count == 4294967295UL;
}

int root_guard_check(const sealexec_launch *launch, uid_t payload_uid, sealexec_error *err)
{
        if (payload_uid != 0 || launch->allow_root || !root_guard_in_initial_userns())
                return 0;
        return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                        "root: the payload would run as uid 0 of the host, which owns every "
                        "root file (/etc, /proc/sys/kernel/core_pattern) even without "
                        "capabilities; give it a user (--user, sealexec_launch_set_user()) or "
                        "accept the risk with --allow-root (sealexec_launch_set_allow_root(); "
                        "see SECURITY.md)");
}
