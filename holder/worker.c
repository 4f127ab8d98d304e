/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* worker.c - the forked copy of a holder miss (see worker.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "holder/io.h"
#include "holder/worker.h"
#include "loader/payload.h"
#include "sealexec.h"

/* The file must still be the version the key names, or the copy is of another one. */
static int check_unchanged(int src_fd, const struct holder_key *key, const sealexec_payload *p,
                           sealexec_error *err)
{
        struct statx stx;
        struct holder_key now;

        if (statx(src_fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: statx", p->name);
        holder_key_from_statx(&stx, key->is_data, &now);
        if (!holder_key_equal(&now, key) || p->size != key->size)
                return se_error(err, -ETXTBSY, SEALEXEC_ERROR_REFUSED,
                                "payload '%s': changed while it was copied", p->name);
        return 0;
}

static _Noreturn void worker_main(int src_fd, int sock, const struct holder_key *key,
                                  const struct holder_request *req, uint64_t max_size)
{
        sigset_t none;
        sealexec_error err = {0};
        sealexec_payload *p = NULL;
        char digest[SEALEXEC_DIGEST_STRING_MAX];
        struct holder_answer ans = {.op = HOLDER_OP_GET};
        uint8_t buf[HOLDER_ANSWER_HEADER + SEALEXEC_ERROR_MESSAGE_MAX];

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* Never outlive the holder: its deadline is what bounds this process. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
                _exit(1);

        int r = sealexec_payload_load_fd(src_fd, req->name[0] ? req->name : NULL,
                                         req->is_data ? SEALEXEC_LOAD_DATA : 0, max_size, &p, &err);
        if (r >= 0)
                r = sealexec_payload_digest(p, digest, &err);
        if (r >= 0)
                r = check_unchanged(src_fd, key, p, &err);
        if (r < 0) {
                ans.error = -r;
                ans.text = err.message;
                ans.text_len = strlen(err.message);
        } else {
                ans.size = p->size;
                memcpy(ans.digest, p->digest, HOLDER_DIGEST_LEN);
        }
        int len = holder_answer_format(&ans, buf, sizeof(buf));
        if (len > 0)
                (void)holder_send(sock, buf, (size_t)len, r < 0 ? -1 : p->fd, 0);
        _exit(0);
}

int holder_worker_start(int src_fd, const struct holder_key *key, const struct holder_request *req,
                        uint64_t max_size, pid_t *ret_pid, int *ret_sock)
{
        int pair[2];

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return -errno;
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                close(pair[0]);
                close(pair[1]);
                return -e;
        }
        if (pid == 0) {
                close(pair[0]);
                worker_main(src_fd, pair[1], key, req, max_size);
        }
        close(pair[1]);
        int fl = fcntl(pair[0], F_GETFL);
        if (fl < 0 || fcntl(pair[0], F_SETFL, fl | O_NONBLOCK) < 0) {
                int e = errno;
                close(pair[0]);
                kill(pid, SIGKILL);
                return -e;
        }
        *ret_pid = pid;
        *ret_sock = pair[0];
        return 0;
}
