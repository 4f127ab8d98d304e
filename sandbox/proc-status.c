/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/self/status, read the way the exec path may: open/pread into the
 * caller's buffer, no stdio, no allocation. The thread check and the tracer
 * check (threads.c, tracer.c) read their fields from one read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/io.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

int proc_status_open(sealexec_error *err)
{
        int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: cannot read /proc/self/status (is /proc "
                                      "mounted?): the thread and tracer checks need it");
        return fd;
}

int proc_status_pread(int fd, char *buf, size_t size)
{
        /* From offset 0 each time: the same descriptor shows the status as it is now. */
        ssize_t n = io_pread_upto(fd, buf, size - 1, 0);
        buf[n > 0 ? n : 0] = '\0';
        return n > 0 ? 0 : -EIO;
}

int proc_status_read(char *buf, size_t size, sealexec_error *err)
{
        int fd = proc_status_open(err);
        if (fd < 0)
                return fd;
        int r = proc_status_pread(fd, buf, size);
        close(fd);
        return r < 0
                   ? se_error(err, r, SEALEXEC_ERROR_REFUSED, "confine: /proc/self/status is empty")
                   : 0;
}

long proc_status_field(const char *text, const char *key)
{
        size_t key_len = strlen(key);
        for (const char *line = text; line && *line;) {
                if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
                        const char *p = line + key_len + 1;
                        while (*p == ' ' || *p == '\t')
                                p++;
                        long v = 0;
                        bool any = false;
                        for (; *p >= '0' && *p <= '9'; p++, any = true)
                                v = v * 10 + (*p - '0');
                        return any ? v : -EINVAL;
                }
                line = strchr(line, '\n');
                line = line ? line + 1 : NULL;
        }
        return -ENOENT;
}
