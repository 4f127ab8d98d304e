/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SCMP_ACT_NOTIFY: handing the seccomp listener to whoever decides.
 *
 * A rule whose action is "notify" suspends the calling thread until a
 * supervisor holding the filter's listener descriptor answers. sealexec
 * executes in place, so it cannot be that supervisor; like runc and crun it
 * hands the listener over a UNIX socket the caller names (--seccomp-listener
 * PATH, or a connected socket given to sealexec_launch_set_seccomp_listener())
 * together with a state object in the shape the OCI runtime spec gives
 * seccomp agents ("ContainerProcessState"): {"ociVersion", "fds":
 * ["seccompFd"], "pid", "metadata", "state": {...}}. The listener is
 * created when the policy's program is installed (it is the last one, and
 * gets SECCOMP_FILTER_FLAG_NEW_LISTENER), sent at once, and closed: the
 * payload never holds it. A policy with a notify action and no listener is
 * refused when the launch is prepared: its calls would otherwise wait
 * forever (or fail with ENOSYS where no listener exists).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "policy/policy.h"
#include "sandbox/plan.h"

bool policy_uses_notify(const struct sealexec_policy *policy)
{
        if (policy->default_action.kind == POLICY_ACT_USER_NOTIF)
                return true;
        for (size_t i = 0; i < policy->n_rules; i++)
                if (policy->rules[i].action.kind == POLICY_ACT_USER_NOTIF)
                        return true;
        return false;
}

SEALEXEC_API int sealexec_launch_set_seccomp_listener(sealexec_launch *launch, int socket_fd,
                                                      sealexec_error *err)
{
        if (launch && launch->plan)
                return launch_busy(err);
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "seccomp listener: no launch");
        int type = 0;
        socklen_t len = sizeof(type);
        if (getsockopt(socket_fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "seccomp listener: fd %d is not a socket", socket_fd);
        int fd = fcntl(socket_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "seccomp listener: fd %d", socket_fd);
        if (launch->listener_fd >= 0)
                close(launch->listener_fd);
        launch->listener_fd = fd;
        return 0;
}

SEALEXEC_API int sealexec_connect_seccomp_listener(const char *path, int *ret_fd,
                                                   sealexec_error *err)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        if (!path || !ret_fd || strlen(path) >= sizeof(addr.sun_path))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "seccomp listener: socket path missing or too long");
        memcpy(addr.sun_path, path, strlen(path));
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "seccomp listener: socket");
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "seccomp listener '%s'",
                                      path);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Decimal of a non-negative number into buf (no stdio in the exec path). */
static size_t put_number(char *buf, long value)
{
        char tmp[24];
        size_t n = 0, len = 0;
        do
                tmp[n++] = (char)('0' + value % 10);
        while ((value /= 10) > 0 && n < sizeof(tmp));
        while (n > 0)
                buf[len++] = tmp[--n];
        return len;
}

static size_t put_text(char *buf, const char *text)
{
        size_t len = strlen(text);
        memcpy(buf, text, len);
        return len;
}

int listener_send(int socket_fd, int listener, sealexec_error *err)
{
        char msg[256];
        long pid = (long)getpid();
        size_t n = put_text(msg, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":");
        n += put_number(msg + n, pid);
        n += put_text(msg + n, ",\"metadata\":\"sealexec\",\"state\":{\"ociVersion\":\"1.0.2\","
                               "\"id\":\"sealexec\",\"status\":\"creating\",\"pid\":");
        n += put_number(msg + n, pid);
        n += put_text(msg + n, ",\"bundle\":\"\"}}");
        struct iovec iov = {.iov_base = msg, .iov_len = n};
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control;
        memset(&control, 0, sizeof(control));
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &listener, sizeof(int));
        ssize_t sent = io_sendmsg(socket_fd, &mh, MSG_NOSIGNAL);
        close(listener);
        close(socket_fd);
        if (sent < 0)
                return se_error_errno(err, (int)sent, SEALEXEC_ERROR_REFUSED,
                                      "confine: seccomp listener: sending it (the policy must "
                                      "allow sendmsg and close)");
        return 0;
}
