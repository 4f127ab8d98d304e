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
 * namespace a runtime set up, mapped to an unprivileged uid on the host, is
 * not affected; one whose uid maps to uid 0 outside is refused like host root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

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
 * Whether `uid` in this user namespace is uid 0 one level up: the uid_map
 * line that covers it maps it to (outside + uid - inside). The initial
 * namespace maps every uid to itself ("0 0 4294967295"); a namespace a root
 * launcher made with "0 0 1" is still root of the host. A namespace nested in
 * another is judged by its parent's uid 0, which refuses more than strictly
 * needed but never lets host root through. Without /proc the answer is yes,
 * which fails closed.
 */
bool root_guard_maps_to_root(uid_t uid)
{
        _cleanup_close_ int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return true;
        char buf[4096];
        ssize_t n = io_pread_upto(fd, buf, sizeof(buf) - 1, 0);
        if (n <= 0)
                return true;
        buf[n] = '\0';
        for (char *line = buf, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                unsigned long inside, outside, count;
                if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) != 3)
                        return true;
                if (uid >= inside && uid - inside < count)
                        return outside + (uid - inside) == 0;
        }
        return false; /* unmapped: the overflow uid, not root */
}

int root_guard_check(const sealexec_launch *launch, uid_t payload_uid, sealexec_error *err)
{
        if (launch->allow_root || !root_guard_maps_to_root(payload_uid))
                return 0;
        return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                        "root: the payload would run as uid 0 of the host, which owns every "
                        "root file (/etc, /proc/sys/kernel/core_pattern) even without "
                        "capabilities; give it a user (--user, sealexec_launch_set_user()) or "
                        "accept the risk with --allow-root (sealexec_launch_set_allow_root(); "
                        "see SECURITY.md)");
}
