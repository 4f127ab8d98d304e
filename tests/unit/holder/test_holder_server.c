/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A real holder (sealexec_hold_serve() in a forked child, on a socket in a
 * scratch directory) against real clients: good requests, malformed and
 * oversized ones, descriptors that are not regular files, a file rewritten
 * while it is copied, clients that leave mid-answer or never read, a
 * thousand clients at once, a full cache, and holders the client must not
 * trust. After each attack the holder must still answer a good request.
 */
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"

#include "holder/io.h"
#include "holder/protocol.h"
#include "sealexec.h"

struct fixture {
        char dir[64];
        char sock[128];
        char file[128]; /* a small executable: a copy of /bin/true */
        pid_t holder;
};

static void path_in(const struct fixture *f, const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", f->dir, name);
}

static void write_file(const char *path, char fill, size_t size, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        assert_true(fd >= 0);
        static char chunk[1 << 16];
        memset(chunk, fill, sizeof(chunk));
        for (size_t at = 0; at < size; at += sizeof(chunk)) {
                size_t n = size - at < sizeof(chunk) ? size - at : sizeof(chunk);
                assert_int_equal(write(fd, chunk, n), (ssize_t)n);
        }
        assert_int_equal(fchmod(fd, mode), 0);
        close(fd);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
        char cmd[512];
        snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod %o '%s'", from, to, (unsigned)mode, to);
        assert_int_equal(system(cmd), 0);
}

/*
 * Forks a holder as `uid`, which creates its socket itself (SO_PEERCRED
 * reports whoever called listen()), and returns once it listens. SIGTERM is
 * blocked across the fork so that an early stop_holder() cannot kill it
 * before its loop takes the signal over. Its lifetime is bounded by alarm().
 */
static pid_t start_holder(const char *sock, uint64_t max_bytes, uid_t uid)
{
        sigset_t term, old;
        int ready[2];
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
        assert_int_equal(sigprocmask(SIG_BLOCK, &term, &old), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                sealexec_error err = {0};
                int fd = -1;
                alarm(240);
                close(ready[0]);
                if (uid != 0 && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
                        _exit(3);
                if (sealexec_hold_listen(sock, 0666, &fd, &err) < 0) {
                        fprintf(stderr, "holder: %s\n", err.message);
                        _exit(4);
                }
                (void)!write(ready[1], "r", 1);
                close(ready[1]);
                int r = sealexec_hold_serve(fd, max_bytes, &err);
                if (r < 0)
                        fprintf(stderr, "holder: %s\n", err.message);
                _exit(r < 0 ? 1 : 0);
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(ready[1]);
        char c;
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);
        return pid;
}

static void stop_holder(pid_t pid, const char *sock)
{
        int status;
        assert_int_equal(kill(pid, SIGTERM), 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* It ended because it was told to, not because anything broke it. */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        unlink(sock);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));
        strcpy(f->dir, "/tmp/sealexec-holder.XXXXXX");
        assert_non_null(mkdtemp(f->dir));
        chmod(f->dir, 0755);
        path_in(f, "sock", f->sock, sizeof(f->sock));
        path_in(f, "true", f->file, sizeof(f->file));
        copy_file("/bin/true", f->file, 0755);
        f->holder = start_holder(f->sock, 0, 0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];
        if (f->holder > 0)
                stop_holder(f->holder, f->sock);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        (void)!system(cmd);
        free(f);
        return 0;
}

static int raw_connect(const char *sock)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strcpy(addr.sun_path, sock);
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        assert_true(fd >= 0);
        /* A bound on a broken holder, not a timed assertion. */
        struct timeval tv = {.tv_sec = 60};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
        return fd;
}

static void send_get(int sock, int fd, bool is_data)
{
        uint8_t buf[HOLDER_REQUEST_MAX];
        struct holder_request req = {.op = HOLDER_OP_GET, .is_data = is_data};
        strcpy(req.name, "test");
        int len = holder_request_format(&req, buf, sizeof(buf));
        assert_true(len > 0);
        assert_int_equal(holder_send(sock, buf, (size_t)len, fd, 0), 0);
}

/* Receives one answer; returns its error (0 or errno) and the memfd in *ret_fd. */
static int recv_answer(int sock, struct holder_answer *ans, int *ret_fd)
{
        static uint8_t buf[HOLDER_ANSWER_MAX];
        int fd = -1;
        ssize_t n = holder_recv(sock, buf, sizeof(buf), &fd, 0);
        assert_true(n > 0);
        assert_int_equal(holder_answer_parse(buf, (size_t)n, ans), 0);
        assert_true((ans->error == 0) == (fd >= 0) || ans->op == HOLDER_OP_STATUS);
        if (ret_fd)
                *ret_fd = fd;
        else if (fd >= 0)
                close(fd);
        return ans->error;
}

/* A good request gets the sealed copy: the holder is alive and well. */
static void assert_serves(const struct fixture *f)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_held(f->sock, -1, f->file, SEALEXEC_LOAD_HOLD_REQUIRE, 0, &p,
                                           &err);
        if (r != 0)
                fail_msg("holder did not serve: %d %s", r, err.message);
        assert_int_equal(sealexec_payload_seals(p) & 0xf, 0xf);
        sealexec_payload_free(p);
}

static void test_serves_shared_copy(void **state)
{
        struct fixture *f = *state;
        sealexec_payload *a = NULL, *b = NULL;
        sealexec_error err = {0};
        char d1[SEALEXEC_DIGEST_STRING_MAX], d2[SEALEXEC_DIGEST_STRING_MAX];
        assert_int_equal(sealexec_payload_load_held(f->sock, -1, f->file,
                                                    SEALEXEC_LOAD_HOLD_REQUIRE, 0, &a, &err),
                         0);
        assert_int_equal(sealexec_payload_load_held(f->sock, -1, f->file,
                                                    SEALEXEC_LOAD_HOLD_REQUIRE, 0, &b, &err),
                         0);
        struct stat sa, sb, sf;
        assert_int_equal(fstat(sealexec_payload_fd(a), &sa), 0);
        assert_int_equal(fstat(sealexec_payload_fd(b), &sb), 0);
        assert_int_equal(stat(f->file, &sf), 0);
        /* One memfd for both launches, of the file's size. */
        assert_int_equal(sa.st_ino, sb.st_ino);
        assert_int_equal(sa.st_size, sf.st_size);
        /* The holder's digest is the content's. */
        assert_int_equal(sealexec_payload_digest(a, d1, &err), 0);
        assert_int_equal(sealexec_digest_file(f->file, d2, &err), 0);
        assert_string_equal(d1, d2);
        sealexec_payload_free(a);
        /* Re-hashed on request: the same answer computed here. */
        assert_int_equal(sealexec_payload_load_held(
                             f->sock, -1, f->file,
                             SEALEXEC_LOAD_HOLD_REQUIRE | SEALEXEC_LOAD_HOLD_REHASH, 0, &a, &err),
                         0);
        assert_int_equal(sealexec_payload_verify_digest(a, d2, &err), 0);
        sealexec_payload_free(a);
        sealexec_payload_free(b);
}

static void test_malformed_requests(void **state)
{
        struct fixture *f = *state;
        struct holder_answer ans;
        int sock = raw_connect(f->sock);
        uint8_t junk[HOLDER_REQUEST_MAX * 4];
        memset(junk, 'Z', sizeof(junk));

        /* Garbage, a short header, an oversized request, each refused on the same connection. */
        assert_int_equal(holder_send(sock, junk, 20, -1, 0), 0);
        assert_int_equal(recv_answer(sock, &ans, NULL), EBADMSG);
        assert_int_equal(holder_send(sock, "SXH1", 4, -1, 0), 0);
        assert_int_equal(recv_answer(sock, &ans, NULL), EBADMSG);
        assert_int_equal(holder_send(sock, junk, sizeof(junk), -1, 0), 0);
        assert_int_equal(recv_answer(sock, &ans, NULL), EMSGSIZE);
        /* A GET without a descriptor, a STATUS with one, a GET with two. */
        send_get(sock, -1, false);
        assert_int_equal(recv_answer(sock, &ans, NULL), EBADMSG);
        int file = open(f->file, O_RDONLY | O_CLOEXEC);
        uint8_t buf[HOLDER_REQUEST_MAX];
        struct holder_request status = {.op = HOLDER_OP_STATUS};
        int len = holder_request_format(&status, buf, sizeof(buf));
        assert_int_equal(holder_send(sock, buf, (size_t)len, file, 0), 0);
        assert_int_equal(recv_answer(sock, &ans, NULL), EBADMSG);
        {
                struct holder_request req = {.op = HOLDER_OP_GET};
                len = holder_request_format(&req, buf, sizeof(buf));
                union {
                        struct cmsghdr align;
                        char b[CMSG_SPACE(2 * sizeof(int))];
                } control = {0};
                struct iovec iov = {.iov_base = buf, .iov_len = (size_t)len};
                struct msghdr msg = {.msg_iov = &iov,
                                     .msg_iovlen = 1,
                                     .msg_control = control.b,
                                     .msg_controllen = sizeof(control.b)};
                struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(2 * sizeof(int));
                int two[2] = {file, file};
                memcpy(CMSG_DATA(c), two, sizeof(two));
                assert_int_equal(sendmsg(sock, &msg, 0), len);
                assert_int_equal(recv_answer(sock, &ans, NULL), ETOOMANYREFS);
        }
        /* The refusals say why. */
        assert_non_null(memmem(ans.text, ans.text_len, "more than one descriptor", 24));
        /* And the same connection still gets a good answer. */
        int memfd = -1;
        send_get(sock, file, false);
        assert_int_equal(recv_answer(sock, &ans, &memfd), 0);
        assert_true(memfd >= 0);
        close(memfd);
        close(file);
        close(sock);
        assert_serves(f);
}

static void expect_refused(const struct fixture *f, int fd, const char *why)
{
        struct holder_answer ans;
        int sock = raw_connect(f->sock);
        send_get(sock, fd, false);
        int e = recv_answer(sock, &ans, NULL);
        assert_int_not_equal(e, 0);
        if (!memmem(ans.text, ans.text_len, why, strlen(why)))
                fail_msg("refusal '%.*s' does not say '%s'", (int)ans.text_len, ans.text, why);
        close(sock);
}

static void test_non_regular_descriptors(void **state)
{
        struct fixture *f = *state;
        char fifo[160];
        path_in(f, "fifo", fifo, sizeof(fifo));
        assert_int_equal(mkfifo(fifo, 0755), 0);
        /* O_RDWR: a FIFO opened so that the test itself does not block. */
        int fd = open(fifo, O_RDWR | O_CLOEXEC);
        expect_refused(f, fd, "not a regular file (fifo)");
        close(fd);
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        expect_refused(f, fd, "not a regular file (character device)");
        close(fd);
        int pair[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
        expect_refused(f, pair[0], "not a regular file (socket)");
        close(pair[0]);
        close(pair[1]);
        fd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        expect_refused(f, fd, "is a directory");
        close(fd);
        fd = open(f->file, O_PATH | O_CLOEXEC);
        expect_refused(f, fd, "not open for reading");
        close(fd);
        fd = open(f->file, O_WRONLY | O_CLOEXEC);
        expect_refused(f, fd, "not open for reading");
        close(fd);
        /* Not an executable: a program must be ELF or "#!". */
        char text[160];
        path_in(f, "text", text, sizeof(text));
        write_file(text, 'x', 100, 0755);
        fd = open(text, O_RDONLY | O_CLOEXEC);
        expect_refused(f, fd, "not an ELF executable");
        close(fd);
        assert_serves(f);
}

/* Flips a file between all 'A' and all 'B' until killed. */
static _Noreturn void flipper(const char *path, size_t size, int ready_fd)
{
        static char chunk[1 << 20];
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                _exit(1);
        for (char c = 'B';; c = c == 'A' ? 'B' : 'A') {
                memset(chunk, c, sizeof(chunk));
                for (size_t at = 0; at < size; at += sizeof(chunk))
                        if (pwrite(fd, chunk, sizeof(chunk), (off_t)at) != (ssize_t)sizeof(chunk))
                                _exit(2);
                if (ready_fd >= 0) {
                        (void)!write(ready_fd, "x", 1);
                        close(ready_fd);
                        ready_fd = -1;
                }
        }
}

static char uniform(int fd, size_t size)
{
        char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        assert_true(map != MAP_FAILED);
        char c = map[0];
        for (size_t i = 1; i < size && c; i++)
                if (map[i] != c)
                        c = 0;
        munmap(map, size);
        return c == 'A' || c == 'B' ? c : 0;
}

static void test_rewritten_during_copy(void **state)
{
        struct fixture *f = *state;
        const size_t size = (size_t)16 << 20;
        char path[160];
        path_in(f, "flipping", path, sizeof(path));
        write_file(path, 'A', size, 0644);
        int ready[2];
        assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(ready[0]);
                flipper(path, size, ready[1]);
        }
        close(ready[1]);
        char c;
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);

        int served = 0, refused = 0;
        for (int i = 0; i < 20; i++) {
                sealexec_payload *p = NULL;
                sealexec_error err = {0};
                int r = sealexec_payload_load_held(f->sock, -1, path,
                                                   SEALEXEC_LOAD_DATA | SEALEXEC_LOAD_HOLD_REQUIRE,
                                                   0, &p, &err);
                if (r == 0) {
                        /* Whatever was served is one version, whole. */
                        assert_int_equal(sealexec_payload_size(p), size);
                        if (!uniform(sealexec_payload_fd(p), size))
                                fail_msg("request %d was served a torn copy", i);
                        served++;
                        sealexec_payload_free(p);
                        continue;
                }
                if (!strstr(err.message, "changed while it was copied"))
                        fail_msg("unexpected refusal %d: %s", r, err.message);
                refused++;
        }
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        print_message("%d served whole, %d refused as changed\n", served, refused);
        assert_serves(f);
}

/* Clients that leave with a request in flight, or never read: others are still served. */
static void test_client_leaves_mid_answer(void **state)
{
        struct fixture *f = *state;
        char big[160];
        path_in(f, "big", big, sizeof(big));
        write_file(big, 'q', (size_t)64 << 20, 0644);
        int fd = open(big, O_RDONLY | O_CLOEXEC);
        for (int i = 0; i < 5; i++) {
                int sock = raw_connect(f->sock);
                send_get(sock, fd, true);
                close(sock); /* gone before the copy is done */
        }
        /* A client that asks and asks and never reads its answers. */
        int greedy = raw_connect(f->sock);
        int sndbuf = 4096;
        setsockopt(greedy, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
        uint8_t buf[HOLDER_REQUEST_MAX];
        struct holder_request status = {.op = HOLDER_OP_STATUS};
        int len = holder_request_format(&status, buf, sizeof(buf));
        for (int i = 0; i < 50; i++)
                if (holder_send(greedy, buf, (size_t)len, -1, MSG_DONTWAIT) < 0)
                        break;
        assert_serves(f);
        /* The copy the leavers started was finished and kept: the next one is a hit. */
        struct holder_answer ans;
        int memfd = -1, sock = raw_connect(f->sock);
        send_get(sock, fd, true);
        assert_int_equal(recv_answer(sock, &ans, &memfd), 0);
        struct stat st;
        assert_int_equal(fstat(memfd, &st), 0);
        assert_int_equal(st.st_size, (off_t)64 << 20);
        assert_int_equal(st.st_mode & 0111, 0);
        close(memfd);
        close(sock);
        close(greedy);
        close(fd);
        assert_serves(f);
}

static void test_thousand_clients(void **state)
{
        struct fixture *f = *state;
        enum { N = 1000 };
        struct rlimit rl;
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
        if (rl.rlim_max < N + 64)
                TEST_SKIP();
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);

        static int socks[N];
        int file = open(f->file, O_RDONLY | O_CLOEXEC);
        for (int i = 0; i < N; i++)
                socks[i] = raw_connect(f->sock);
        for (int i = 0; i < N; i++)
                send_get(socks[i], file, false);
        ino_t ino = 0;
        for (int i = 0; i < N; i++) {
                struct holder_answer ans;
                int memfd = -1;
                if (recv_answer(socks[i], &ans, &memfd) != 0)
                        fail_msg("client %d refused: %.*s", i, (int)ans.text_len, ans.text);
                struct stat st;
                assert_int_equal(fstat(memfd, &st), 0);
                if (i == 0)
                        ino = st.st_ino;
                /* Every client got the same sealed copy. */
                assert_int_equal(st.st_ino, ino);
                close(memfd);
                close(socks[i]);
        }
        close(file);
        assert_serves(f);
}

static void test_full_cache(void **state)
{
        struct fixture *f = *state;
        stop_holder(f->holder, f->sock);
        f->holder = start_holder(f->sock, (uint64_t)3 << 20, 0);
        char path[160];
        for (int i = 0; i < 6; i++) {
                path_in(f, "", path, sizeof(path));
                snprintf(path + strlen(path), 16, "data%d", i);
                write_file(path, (char)('a' + i), (size_t)1 << 20, 0644);
                sealexec_payload *p = NULL;
                sealexec_error err = {0};
                assert_int_equal(sealexec_payload_load_held(
                                     f->sock, -1, path,
                                     SEALEXEC_LOAD_DATA | SEALEXEC_LOAD_HOLD_REQUIRE, 0, &p, &err),
                                 0);
                /* Never a copy of another file: the content is this file's. */
                char c;
                assert_int_equal(pread(sealexec_payload_fd(p), &c, 1, 4096), 1);
                assert_int_equal(c, 'a' + i);
                sealexec_payload_free(p);
        }
        char *status = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_hold_status(f->sock, true, &status, &err), 0);
        assert_non_null(strstr(status, "\"entries\": 3"));
        assert_non_null(strstr(status, "\"bytes\": 3145728"));
        assert_non_null(strstr(status, "\"evictions\": 3"));
        free(status);

        /* Larger than the whole cache: refused, and without REQUIRE a private copy instead. */
        path_in(f, "huge", path, sizeof(path));
        write_file(path, 'h', (size_t)4 << 20, 0644);
        sealexec_payload *p = NULL;
        assert_int_equal(sealexec_payload_load_held(f->sock, -1, path,
                                                    SEALEXEC_LOAD_DATA | SEALEXEC_LOAD_HOLD_REQUIRE,
                                                    0, &p, &err),
                         -EFBIG);
        assert_non_null(strstr(err.message, "more than the holder keeps"));
        assert_int_equal(
            sealexec_payload_load_held(f->sock, -1, path, SEALEXEC_LOAD_DATA, 0, &p, &err), 1);
        assert_non_null(strstr(err.message, "more than the holder keeps"));
        assert_int_equal(sealexec_payload_size(p), (uint64_t)4 << 20);
        sealexec_payload_free(p);
        assert_serves(f);
}

/* A client as uid 65534 gets no executable copy of a file only root may execute. */
static void test_client_exec_permission(void **state)
{
        struct fixture *f = *state;
        if (geteuid() != 0)
                TEST_SKIP();
        char path[160];
        path_in(f, "rootonly", path, sizeof(path));
        copy_file("/bin/true", path, 0744);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(10);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        _exit(11);
                int sock = raw_connect(f->sock);
                send_get(sock, fd, false);
                struct holder_answer ans;
                int e = recv_answer(sock, &ans, NULL);
                if (e != EACCES || !memmem(ans.text, ans.text_len, "uid 65534 may not execute", 25))
                        _exit(12);
                /* As data it may have it: it can read it. */
                send_get(sock, fd, true);
                int memfd = -1;
                if (recv_answer(sock, &ans, &memfd) != 0 || memfd < 0)
                        _exit(13);
                _exit(0);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

/* A holder running as another user is not trusted: nothing is sent to it. */
static void test_untrusted_holder(void **state)
{
        struct fixture *f = *state;
        if (geteuid() != 0)
                TEST_SKIP();
        char sock[160], dir[160];
        path_in(f, "other", dir, sizeof(dir));
        assert_int_equal(mkdir(dir, 0777), 0);
        assert_int_equal(chmod(dir, 0777), 0);
        path_in(f, "other/sock", sock, sizeof(sock));
        pid_t other = start_holder(sock, 0, 65534);
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(
            sealexec_payload_load_held(sock, -1, f->file, SEALEXEC_LOAD_HOLD_REQUIRE, 0, &p, &err),
            -EPERM);
        assert_non_null(strstr(err.message, "served by uid 65534, neither root nor us"));
        stop_holder(other, sock);
}

/*
 * A fake holder (same uid, so trusted) that answers with what it is told:
 * the client must refuse anything but a fully sealed memfd of the file's size.
 */
static pid_t fake_answer(const char *sock_path, int answer_fd, uint64_t size)
{
        sealexec_error err = {0};
        int lfd = -1;
        assert_int_equal(sealexec_hold_listen(sock_path, 0600, &lfd, &err), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                alarm(60);
                int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                uint8_t buf[HOLDER_ANSWER_MAX];
                int fd = -1;
                if (c < 0 || holder_recv(c, buf, HOLDER_REQUEST_MAX, &fd, 0) <= 0)
                        _exit(1);
                struct holder_answer ans = {.op = HOLDER_OP_GET, .size = size};
                int len = holder_answer_format(&ans, buf, sizeof(buf));
                holder_send(c, buf, (size_t)len, answer_fd, 0);
                char x;
                (void)!read(c, &x, 1);
                _exit(0);
        }
        close(lfd);
        return pid;
}

static void test_bad_answers_refused(void **state)
{
        struct fixture *f = *state;
        char sock[160];
        struct stat st;
        assert_int_equal(stat(f->file, &st), 0);
        path_in(f, "fake.sock", sock, sizeof(sock));

        /* 1. an unsealed memfd with the right content and size */
        int unsealed = memfd_create("fake", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int src = open(f->file, O_RDONLY | O_CLOEXEC);
        assert_int_equal(sendfile(unsealed, src, NULL, (size_t)st.st_size), st.st_size);
        /* 2. the file itself (not a memfd) */
        /* 3. a sealed memfd of another size */
        sealexec_payload *other = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_path("/bin/sh", 0, 0, &other, &err), 0);
        struct {
                int fd;
                uint64_t size;
                const char *why;
        } cases[] = {
            {unsealed, (uint64_t)st.st_size, "memfd not fully sealed"},
            {src, (uint64_t)st.st_size, "not a memfd"},
            {sealexec_payload_fd(other), sealexec_payload_size(other), "bytes, the file"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                pid_t fake = fake_answer(sock, cases[i].fd, cases[i].size);
                sealexec_payload *p = NULL;
                int r = sealexec_payload_load_held(sock, -1, f->file, SEALEXEC_LOAD_HOLD_REQUIRE, 0,
                                                   &p, &err);
                assert_true(r < 0);
                if (!strstr(err.message, cases[i].why))
                        fail_msg("case %zu: '%s' does not say '%s'", i, err.message, cases[i].why);
                assert_int_equal(waitpid(fake, NULL, 0), fake);
                unlink(sock);
        }
        close(unsealed);
        close(src);
        sealexec_payload_free(other);
}

static void test_unreachable_falls_back(void **state)
{
        struct fixture *f = *state;
        char sock[160];
        path_in(f, "nobody-listens", sock, sizeof(sock));
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_held(sock, -1, f->file, 0, 0, &p, &err), 1);
        assert_non_null(strstr(err.message, "cannot connect"));
        assert_non_null(p);
        sealexec_payload_free(p);
        assert_int_equal(
            sealexec_payload_load_held(sock, -1, f->file, SEALEXEC_LOAD_HOLD_REQUIRE, 0, &p, &err),
            -ENOENT);
        /* Failures of the payload itself are reported as such, holder or not. */
        char missing[160];
        path_in(f, "missing", missing, sizeof(missing));
        assert_int_equal(sealexec_payload_load_held(f->sock, -1, missing, 0, 0, &p, &err), -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_NOT_FOUND);
        /* A live holder's socket cannot be taken over. */
        int fd = -1;
        assert_int_equal(sealexec_hold_listen(f->sock, 0666, &fd, &err), -EADDRINUSE);
}

int main(void)
{
        signal(SIGPIPE, SIG_IGN);
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_serves_shared_copy, setup, teardown),
            cmocka_unit_test_setup_teardown(test_malformed_requests, setup, teardown),
            cmocka_unit_test_setup_teardown(test_non_regular_descriptors, setup, teardown),
            cmocka_unit_test_setup_teardown(test_rewritten_during_copy, setup, teardown),
            cmocka_unit_test_setup_teardown(test_client_leaves_mid_answer, setup, teardown),
            cmocka_unit_test_setup_teardown(test_thousand_clients, setup, teardown),
            cmocka_unit_test_setup_teardown(test_full_cache, setup, teardown),
            cmocka_unit_test_setup_teardown(test_client_exec_permission, setup, teardown),
            cmocka_unit_test_setup_teardown(test_untrusted_holder, setup, teardown),
            cmocka_unit_test_setup_teardown(test_bad_answers_refused, setup, teardown),
            cmocka_unit_test_setup_teardown(test_unreachable_falls_back, setup, teardown),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
