/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * server.c - the holder: one thread, one epoll loop, non-blocking sockets.
 *
 * Nothing a client does can stall the loop: requests are read with
 * MSG_DONTWAIT and are at most HOLDER_REQUEST_MAX bytes; answers that do
 * not fit in a client's socket buffer wait (one per client) until it reads;
 * a client that stays silent or stops reading for idle_timeout_s is dropped;
 * connections beyond max_clients are closed at once; a miss is copied by a
 * worker process (worker.c) with a deadline, and concurrent misses of one
 * file wait for the same copy. The holder never opens a path: every file
 * comes as a descriptor the client opened with its own permissions, and is
 * checked by the loader's own rules (loader_check_source) before anything
 * is read from it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "holder/cache.h"
#include "holder/io.h"
#include "holder/peer.h"
#include "holder/protocol.h"
#include "holder/server.h"
#include "holder/worker.h"
#include "loader/loader.h"

enum tag { TAG_LISTEN = 1, TAG_SIGNAL, TAG_TIMER, TAG_CLIENT, TAG_JOB };
enum client_state { CLIENT_FREE, CLIENT_IDLE, CLIENT_WAITING, CLIENT_SENDING };

/* Entries listed by --status at most; counters are always complete. */
#define STATUS_LIST_MAX 200

struct waiter {
        uint32_t index, gen;
};

struct client {
        int fd;
        uint32_t gen; /* bumped when the slot is freed: stale events and waiters are ignored */
        enum client_state state;
        struct holder_peer peer;
        uint64_t deadline_ms;
        uint8_t *out; /* the answer waiting for room in the client's buffer */
        size_t out_len;
        int out_fd;
};

struct job {
        pid_t pid; /* 0: free slot */
        int sock;
        bool killed;
        uint64_t deadline_ms;
        struct holder_key key;
        struct holder_request req;
        struct waiter *waiters;
        size_t n_waiters;
};

struct server {
        const struct holder_config *cfg;
        int epfd, listen_fd, sig_fd, timer_fd;
        struct holder_cache cache;
        struct client *clients;
        size_t max_clients, n_clients;
        struct job *jobs;
        uint64_t dropped;
        bool stop;
        uint8_t buf[HOLDER_ANSWER_MAX];
};

void holder_config_default(struct holder_config *ret, uint64_t max_bytes)
{
        *ret = (struct holder_config){
            .max_bytes = max_bytes ? max_bytes : SEALEXEC_HOLD_DEFAULT_MAX_BYTES,
            .max_entries = 1024,
            .max_clients = 4096,
            .max_workers = 4,
            .worker_timeout_s = 120,
            .idle_timeout_s = 10,
        };
}

static uint64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t ep_data(enum tag tag, uint32_t gen, uint32_t index)
{
        return (uint64_t)tag << 56 | (uint64_t)(gen & 0xffffff) << 32 | index;
}

static int ep_set(struct server *s, int op, int fd, uint32_t events, uint64_t data)
{
        struct epoll_event ev = {.events = events, .data.u64 = data};
        return epoll_ctl(s->epfd, op, fd, &ev) < 0 ? -errno : 0;
}

/* ---- clients --------------------------------------------------------------- */

static void client_close(struct server *s, uint32_t i)
{
        struct client *c = &s->clients[i];
        if (c->state == CLIENT_FREE)
                return;
        close(c->fd);
        free(c->out);
        if (c->out_fd >= 0)
                close(c->out_fd);
        uint32_t gen = c->gen + 1;
        *c = (struct client){.fd = -1, .out_fd = -1, .gen = gen, .state = CLIENT_FREE};
        s->n_clients--;
}

static void client_watch(struct server *s, uint32_t i, enum client_state state, uint32_t events)
{
        struct client *c = &s->clients[i];
        c->state = state;
        c->deadline_ms = now_ms() + (uint64_t)s->cfg->idle_timeout_s * 1000;
        if (ep_set(s, EPOLL_CTL_MOD, c->fd, events, ep_data(TAG_CLIENT, c->gen, i)) < 0)
                client_close(s, i);
}

static void client_flush(struct server *s, uint32_t i)
{
        struct client *c = &s->clients[i];
        int r = holder_send(c->fd, c->out, c->out_len, c->out_fd, MSG_DONTWAIT);
        if (r == -EAGAIN) {
                client_watch(s, i, CLIENT_SENDING, EPOLLOUT);
                return;
        }
        if (r < 0) {
                /* Gone mid-answer (EPIPE, ECONNRESET): only its slot is lost. */
                client_close(s, i);
                return;
        }
        free(c->out);
        c->out = NULL;
        if (c->out_fd >= 0)
                close(c->out_fd);
        c->out_fd = -1;
        client_watch(s, i, CLIENT_IDLE, EPOLLIN);
}

/* Queues `ans` (and a duplicate of fd when fd >= 0) and tries to send it now. */
static void client_answer(struct server *s, uint32_t i, const struct holder_answer *ans, int fd)
{
        struct client *c = &s->clients[i];
        int len = holder_answer_format(ans, s->buf, sizeof(s->buf));
        c->out = len > 0 ? malloc((size_t)len) : NULL;
        c->out_fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;
        if (!c->out || (fd >= 0 && c->out_fd < 0)) {
                client_close(s, i);
                return;
        }
        memcpy(c->out, s->buf, (size_t)len);
        c->out_len = (size_t)len;
        client_flush(s, i);
}

__attribute__((format(printf, 5, 6))) static void refuse(struct server *s, uint32_t i, uint8_t op,
                                                         int code, const char *fmt, ...)
{
        char text[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        struct holder_answer ans = {
            .op = op, .error = code > 0 && code < 4096 ? code : EIO, .text = text};
        ans.text_len = strlen(text);
        s->cache.refused++;
        client_answer(s, i, &ans, -1);
}

static void answer_entry(struct server *s, uint32_t i, const struct holder_entry *e, bool hit)
{
        struct holder_answer ans = {.op = HOLDER_OP_GET, .hit = hit, .size = e->key.size};
        memcpy(ans.digest, e->digest, HOLDER_DIGEST_LEN);
        client_answer(s, i, &ans, e->fd);
}

/* ---- status ---------------------------------------------------------------- */

static json_t *entry_json(const struct holder_entry *e)
{
        char digest[SEALEXEC_DIGEST_STRING_MAX], dev[32];
        loader_digest_format(e->digest, digest);
        snprintf(dev, sizeof(dev), "%" PRIu32 ":%" PRIu32, e->key.dev_major, e->key.dev_minor);
        return json_pack("{s:s, s:I, s:s, s:I, s:s, s:I, s:b}", "name", e->name, "size",
                         (json_int_t)e->key.size, "digest", digest, "hits", (json_int_t)e->hits,
                         "device", dev, "inode", (json_int_t)e->key.ino, "data", e->key.is_data);
}

static char *status_text(struct server *s, bool list)
{
        const struct holder_cache *c = &s->cache;
        size_t jobs = 0;
        for (size_t j = 0; j < s->cfg->max_workers; j++)
                jobs += s->jobs[j].pid != 0;
        for (size_t max = list ? STATUS_LIST_MAX : 0;; max /= 2) {
                json_t *arr = json_array();
                for (size_t k = 0; arr && k < c->n_entries && k < max; k++)
                        json_array_append_new(arr, entry_json(&c->entries[k]));
                json_t *doc =
                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o*}", "entries",
                              (json_int_t)c->n_entries, "bytes", (json_int_t)c->bytes, "max_bytes",
                              (json_int_t)c->max_bytes, "hits", (json_int_t)c->hits, "misses",
                              (json_int_t)c->misses, "refused", (json_int_t)c->refused, "evictions",
                              (json_int_t)c->evictions, "copies_in_progress", (json_int_t)jobs,
                              "clients", (json_int_t)s->n_clients, "dropped_connections",
                              (json_int_t)s->dropped, "list", list ? arr : NULL);
                if (!list)
                        json_decref(arr);
                char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
                json_decref(doc);
                if (!text || strlen(text) <= HOLDER_TEXT_MAX || max == 0)
                        return text;
                free(text);
        }
}

static void answer_status(struct server *s, uint32_t i)
{
        const struct holder_peer *peer = &s->clients[i].peer;
        /* Which files are held is the business of root and of the holder's own user. */
        bool list = peer->uid == 0 || peer->uid == geteuid();
        _cleanup_free_ char *text = status_text(s, list);
        if (!text) {
                refuse(s, i, HOLDER_OP_STATUS, ENOMEM, "status: out of memory");
                return;
        }
        struct holder_answer ans = {.op = HOLDER_OP_STATUS, .text = text};
        ans.text_len = strlen(text);
        client_answer(s, i, &ans, -1);
}

/* ---- requests -------------------------------------------------------------- */

static struct job *find_job(struct server *s, const struct holder_key *key)
{
        for (size_t j = 0; j < s->cfg->max_workers; j++)
                if (s->jobs[j].pid != 0 && holder_key_equal(&s->jobs[j].key, key))
                        return &s->jobs[j];
        return NULL;
}

static int job_add_waiter(struct job *job, uint32_t index, uint32_t gen)
{
        struct waiter *grown = realloc(job->waiters, (job->n_waiters + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        job->waiters = grown;
        job->waiters[job->n_waiters++] = (struct waiter){index, gen};
        return 0;
}

static struct job *job_start(struct server *s, int src, const struct holder_key *key,
                             const struct holder_request *req, uint64_t max_size)
{
        for (size_t j = 0; j < s->cfg->max_workers; j++) {
                struct job *job = &s->jobs[j];
                if (job->pid != 0)
                        continue;
                pid_t pid;
                int sock;
                if (holder_worker_start(src, key, req, max_size, &pid, &sock) < 0)
                        return NULL;
                if (ep_set(s, EPOLL_CTL_ADD, sock, EPOLLIN, ep_data(TAG_JOB, 0, (uint32_t)j)) < 0) {
                        kill(pid, SIGKILL);
                        close(sock);
                        return NULL;
                }
                *job = (struct job){
                    .pid = pid,
                    .sock = sock,
                    .key = *key,
                    .req = *req,
                    .deadline_ms = now_ms() + (uint64_t)s->cfg->worker_timeout_s * 1000,
                };
                return job;
        }
        return NULL;
}

static void handle_get(struct server *s, uint32_t i, const struct holder_request *req, int fd)
{
        _cleanup_close_ int src = fd;
        struct client *c = &s->clients[i];
        char label[LOADER_LABEL_MAX];
        sealexec_error err = {0};
        struct statx stx;
        struct stat st;

        loader_label_path(label, sizeof(label), req->name[0] ? req->name : "(unnamed)",
                          req->is_data);
        int fl = fcntl(src, F_GETFL);
        if (fl < 0 || (fl & O_PATH) || (fl & O_ACCMODE) == O_WRONLY) {
                refuse(s, i, HOLDER_OP_GET, EBADF, "%s: the descriptor is not open for reading",
                       label);
                return;
        }
        uint64_t cap = req->max_size ? req->max_size : SEALEXEC_DEFAULT_MAX_SIZE;
        /* The loader's refusals (FIFO, device, socket, directory, size, noexec), from fstat only.
         */
        int r = loader_check_source(src, label, req->is_data, cap, &st, &err);
        if (r < 0) {
                refuse(s, i, HOLDER_OP_GET, -r, "%s", err.message);
                return;
        }
        if (!req->is_data && !holder_peer_may_exec(&c->peer, &st)) {
                refuse(s, i, HOLDER_OP_GET, EACCES,
                       "%s: permission denied: uid %u may not execute it", label,
                       (unsigned)c->peer.uid);
                return;
        }
        if ((uint64_t)st.st_size > s->cache.max_bytes) {
                refuse(s, i, HOLDER_OP_GET, EFBIG,
                       "%s: %jd bytes is more than the holder keeps (--max-bytes %ju)", label,
                       (intmax_t)st.st_size, (uintmax_t)s->cache.max_bytes);
                return;
        }
        if (statx(src, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx) < 0) {
                refuse(s, i, HOLDER_OP_GET, errno, "%s: statx: %s", label, strerror(errno));
                return;
        }
        struct holder_key key;
        holder_key_from_statx(&stx, req->is_data, &key);

        struct holder_entry *e = holder_cache_lookup(&s->cache, &key);
        if (e) {
                s->cache.hits++;
                answer_entry(s, i, e, true);
                return;
        }
        s->cache.misses++;
        struct job *job = find_job(s, &key);
        if (!job) {
                uint64_t max_size = cap < s->cache.max_bytes ? cap : s->cache.max_bytes;
                job = job_start(s, src, &key, req, max_size);
        }
        if (!job) {
                refuse(s, i, HOLDER_OP_GET, EAGAIN,
                       "%s: the holder is busy (%zu copies in progress)", label,
                       s->cfg->max_workers);
                return;
        }
        if (job_add_waiter(job, i, c->gen) < 0) {
                refuse(s, i, HOLDER_OP_GET, ENOMEM, "%s: out of memory", label);
                return;
        }
        /* No reading until it has its answer: one request in flight per client. */
        client_watch(s, i, CLIENT_WAITING, 0);
}

static void handle_request(struct server *s, uint32_t i)
{
        struct client *c = &s->clients[i];
        struct holder_request req;
        int fd = -1;

        ssize_t n = holder_recv(c->fd, s->buf, HOLDER_REQUEST_MAX, &fd, MSG_DONTWAIT);
        if (n == -EAGAIN)
                return;
        if (n == -EMSGSIZE) {
                refuse(s, i, HOLDER_OP_GET, EMSGSIZE, "request longer than %d bytes",
                       HOLDER_REQUEST_MAX);
                return;
        }
        if (n == -ETOOMANYREFS) {
                refuse(s, i, HOLDER_OP_GET, ETOOMANYREFS, "request with more than one descriptor");
                return;
        }
        if (n <= 0) {
                client_close(s, i);
                return;
        }
        int r = holder_request_parse(s->buf, (size_t)n, &req);
        if (r < 0 || (req.op == HOLDER_OP_GET) != (fd >= 0)) {
                if (fd >= 0)
                        close(fd);
                refuse(s, i, r < 0 ? HOLDER_OP_GET : req.op, r < 0 ? -r : EBADMSG,
                       r < 0 ? "malformed request: %s"
                             : "malformed request: %s (a GET carries one descriptor, a STATUS "
                               "none)",
                       r < 0 ? strerror(-r) : "wrong descriptor count");
                return;
        }
        if (req.op == HOLDER_OP_STATUS)
                answer_status(s, i);
        else
                handle_get(s, i, &req, fd);
}

static void handle_accept(struct server *s)
{
        for (;;) {
                int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0)
                        return; /* EAGAIN, or a failure that the next event retries */
                uint32_t i = 0;
                while (i < s->max_clients && s->clients[i].state != CLIENT_FREE)
                        i++;
                struct holder_peer peer;
                if (i == s->max_clients || holder_peer_get(fd, &peer) < 0) {
                        /* Full: the client sees EOF at once and makes its own copy. */
                        s->dropped++;
                        close(fd);
                        continue;
                }
                struct client *c = &s->clients[i];
                c->fd = fd;
                c->peer = peer;
                c->out_fd = -1;
                c->state = CLIENT_IDLE;
                s->n_clients++;
                if (ep_set(s, EPOLL_CTL_ADD, fd, EPOLLIN, ep_data(TAG_CLIENT, c->gen, i)) < 0) {
                        client_close(s, i);
                        continue;
                }
                client_watch(s, i, CLIENT_IDLE, EPOLLIN);
        }
}

static void handle_client(struct server *s, uint32_t i, uint32_t gen, uint32_t events)
{
        struct client *c = &s->clients[i];
        if (c->state == CLIENT_FREE || (c->gen & 0xffffff) != gen)
                return;
        if (events & EPOLLERR) {
                client_close(s, i);
                return;
        }
        if (c->state == CLIENT_SENDING && (events & EPOLLOUT))
                client_flush(s, i);
        else if (c->state == CLIENT_IDLE && (events & EPOLLIN))
                handle_request(s, i);
        else if (events & EPOLLHUP)
                client_close(s, i);
}

/* ---- finished copies ------------------------------------------------------- */

/* The worker's memfd is checked as a client would: a memfd, fully sealed, of the key's size. */
static int check_copy(const struct job *job, int fd, const struct holder_answer *ans,
                      sealexec_error *err)
{
        char label[LOADER_LABEL_MAX];
        struct stat st;
        unsigned seals;

        loader_label_path(label, sizeof(label), job->req.name, job->req.is_data);
        int r = loader_check_sealed_memfd(fd, label, &st, &seals, err);
        if (r < 0)
                return r;
        bool exec_bits = st.st_mode & 0111;
        if ((uint64_t)st.st_size != job->key.size || ans->size != job->key.size ||
            exec_bits == job->key.is_data)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "%s: the worker's copy is not the file that was asked for", label);
        return 0;
}

static void job_finish(struct server *s, struct job *job)
{
        struct holder_answer ans = {.op = HOLDER_OP_GET};
        sealexec_error err = {0};
        _cleanup_close_ int fd = -1;
        int code = 0;

        ssize_t n = holder_recv(job->sock, s->buf, sizeof(s->buf), &fd, MSG_DONTWAIT);
        if (n == -EAGAIN)
                return;
        if (n <= 0 || holder_answer_parse(s->buf, (size_t)n, &ans) < 0 || ans.op != HOLDER_OP_GET ||
            (ans.error == 0) != (fd >= 0)) {
                code = job->killed ? ETIMEDOUT : EIO;
                snprintf(err.message, sizeof(err.message),
                         job->killed ? "payload '%s': the copy took longer than %u s"
                                     : "payload '%s': the copy failed (worker ended without an "
                                       "answer)",
                         job->req.name, s->cfg->worker_timeout_s);
        } else if (ans.error) {
                code = ans.error;
                snprintf(err.message, sizeof(err.message), "%.*s", (int)ans.text_len, ans.text);
        } else if (check_copy(job, fd, &ans, &err) < 0) {
                code = EIO;
        }

        if (code == 0) {
                int kept = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                /* A copy that cannot be kept is still handed to those waiting for it. */
                if (kept >= 0)
                        (void)holder_cache_insert(&s->cache, &job->key, kept, ans.digest,
                                                  job->req.name);
        }
        for (size_t w = 0; w < job->n_waiters; w++) {
                uint32_t i = job->waiters[w].index;
                struct client *c = &s->clients[i];
                if (c->state != CLIENT_WAITING || c->gen != job->waiters[w].gen)
                        continue;
                if (code) {
                        refuse(s, i, HOLDER_OP_GET, code, "%s", err.message);
                } else {
                        struct holder_entry e = {.key = job->key, .fd = fd};
                        memcpy(e.digest, ans.digest, HOLDER_DIGEST_LEN);
                        answer_entry(s, i, &e, false);
                }
        }
        close(job->sock);
        if (!job->killed)
                kill(job->pid, SIGKILL); /* it has answered; make sure it is gone */
        free(job->waiters);
        *job = (struct job){.sock = -1};
}

/* ---- timers and signals ---------------------------------------------------- */

static void handle_timer(struct server *s)
{
        uint64_t ticks, now = now_ms();
        (void)!read(s->timer_fd, &ticks, sizeof(ticks));
        for (uint32_t i = 0; i < s->max_clients; i++) {
                struct client *c = &s->clients[i];
                if ((c->state == CLIENT_IDLE || c->state == CLIENT_SENDING) && c->deadline_ms < now)
                        client_close(s, i);
        }
        for (size_t j = 0; j < s->cfg->max_workers; j++) {
                struct job *job = &s->jobs[j];
                if (job->pid != 0 && !job->killed && job->deadline_ms < now) {
                        kill(job->pid, SIGKILL);
                        job->killed = true;
                }
        }
}

static void handle_signal(struct server *s)
{
        struct signalfd_siginfo si;
        while (read(s->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
                        s->stop = true;
        }
        /* Workers are reaped here; their results arrive on their sockets. */
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

/* ---- set-up ---------------------------------------------------------------- */

/* Room for every client: the soft limit raised towards the hard one. */
static size_t fit_clients(size_t wanted, size_t workers)
{
        struct rlimit rl;
        size_t reserve = 64 + 2 * workers;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return 16;
        rlim_t want = (rlim_t)(wanted + reserve);
        if (rl.rlim_cur < want) {
                rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
                (void)setrlimit(RLIMIT_NOFILE, &rl);
                (void)getrlimit(RLIMIT_NOFILE, &rl);
        }
        size_t room = rl.rlim_cur > reserve + 16 ? (size_t)rl.rlim_cur - reserve : 16;
        return wanted < room ? wanted : room;
}

static int server_setup(struct server *s, int listen_fd, const struct holder_config *cfg,
                        sigset_t *old_mask, sealexec_error *err)
{
        sigset_t mask;

        *s = (struct server){
            .cfg = cfg, .listen_fd = listen_fd, .epfd = -1, .sig_fd = -1, .timer_fd = -1};
        holder_cache_init(&s->cache, cfg->max_bytes, cfg->max_entries);
        s->max_clients = fit_clients(cfg->max_clients, cfg->max_workers);
        s->clients = calloc(s->max_clients, sizeof(*s->clients));
        s->jobs = calloc(cfg->max_workers ? cfg->max_workers : 1, sizeof(*s->jobs));
        if (!s->clients || !s->jobs)
                return se_oom(err, "hold");
        for (size_t i = 0; i < s->max_clients; i++)
                s->clients[i] = (struct client){.fd = -1, .out_fd = -1};
        for (size_t j = 0; j < cfg->max_workers; j++)
                s->jobs[j].sock = -1;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &mask, old_mask) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: sigprocmask");
        s->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
        s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        s->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (s->sig_fd < 0 || s->timer_fd < 0 || s->epfd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "hold: signalfd/timerfd/epoll");
        struct itimerspec tick = {.it_interval = {1, 0}, .it_value = {1, 0}};
        int fl = fcntl(listen_fd, F_GETFL);
        if (timerfd_settime(s->timer_fd, 0, &tick, NULL) < 0 || fl < 0 ||
            fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
            ep_set(s, EPOLL_CTL_ADD, listen_fd, EPOLLIN, ep_data(TAG_LISTEN, 0, 0)) < 0 ||
            ep_set(s, EPOLL_CTL_ADD, s->sig_fd, EPOLLIN, ep_data(TAG_SIGNAL, 0, 0)) < 0 ||
            ep_set(s, EPOLL_CTL_ADD, s->timer_fd, EPOLLIN, ep_data(TAG_TIMER, 0, 0)) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: event set-up");
        return 0;
}

static void server_done(struct server *s, const sigset_t *old_mask)
{
        for (uint32_t i = 0; s->clients && i < s->max_clients; i++)
                client_close(s, i);
        for (size_t j = 0; s->jobs && j < s->cfg->max_workers; j++) {
                if (s->jobs[j].pid == 0)
                        continue;
                kill(s->jobs[j].pid, SIGKILL);
                waitpid(s->jobs[j].pid, NULL, 0);
                close(s->jobs[j].sock);
                free(s->jobs[j].waiters);
        }
        holder_cache_done(&s->cache);
        free(s->clients);
        free(s->jobs);
        if (s->epfd >= 0)
                close(s->epfd);
        if (s->sig_fd >= 0)
                close(s->sig_fd);
        if (s->timer_fd >= 0)
                close(s->timer_fd);
        /* Signals that arrived after the one that stopped the loop are taken
         * here, not delivered with their default action when the caller's
         * mask comes back. */
        if (old_mask) {
                sigset_t mine;
                struct timespec none = {0, 0};
                sigemptyset(&mine);
                sigaddset(&mine, SIGTERM);
                sigaddset(&mine, SIGINT);
                sigaddset(&mine, SIGCHLD);
                while (sigtimedwait(&mine, NULL, &none) > 0)
                        ;
                sigprocmask(SIG_SETMASK, old_mask, NULL);
        }
}

static void dispatch(struct server *s, const struct epoll_event *ev)
{
        enum tag tag = (enum tag)(ev->data.u64 >> 56);
        uint32_t gen = (uint32_t)(ev->data.u64 >> 32) & 0xffffff;
        uint32_t index = (uint32_t)ev->data.u64;

        switch (tag) {
        case TAG_LISTEN:
                handle_accept(s);
                break;
        case TAG_SIGNAL:
                handle_signal(s);
                break;
        case TAG_TIMER:
                handle_timer(s);
                break;
        case TAG_CLIENT:
                handle_client(s, index, gen, ev->events);
                break;
        case TAG_JOB:
                if (s->jobs[index].pid != 0)
                        job_finish(s, &s->jobs[index]);
                break;
        }
}

int holder_serve(int listen_fd, const struct holder_config *cfg, sealexec_error *err)
{
        struct server *s = malloc(sizeof(*s));
        sigset_t old_mask;
        int r;

        if (!s)
                return se_oom(err, "hold");
        r = server_setup(s, listen_fd, cfg, &old_mask, err);
        while (r == 0 && !s->stop) {
                struct epoll_event events[64];
                int n = epoll_wait(s->epfd, events, 64, -1);
                if (n < 0 && errno != EINTR)
                        r = se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: epoll_wait");
                for (int k = 0; k < n; k++)
                        dispatch(s, &events[k]);
        }
        server_done(s, &old_mask);
        free(s);
        return r;
}

/* ---- public ---------------------------------------------------------------- */

static int check_listener(int fd, sealexec_error *err)
{
        int type = 0, domain = 0, listening = 0;
        socklen_t len = sizeof(int);
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
            getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
            getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "hold: fd %d is not a socket", fd);
        if (type != SOCK_SEQPACKET || domain != AF_UNIX || !listening)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "hold: fd %d is not a listening AF_UNIX SOCK_SEQPACKET socket", fd);
        return 0;
}

SEALEXEC_API int sealexec_hold_serve(int listen_fd, uint64_t max_bytes, sealexec_error *err)
{
        struct holder_config cfg;
        int r = check_listener(listen_fd, err);
        if (r < 0)
                return r;
        holder_config_default(&cfg, max_bytes);
        return holder_serve(listen_fd, &cfg, err);
}

/* A socket left by a holder that is gone may be replaced; a live one may not. */
static int clear_stale(const struct sockaddr_un *addr, socklen_t len, sealexec_error *err)
{
        struct stat st;
        if (lstat(addr->sun_path, &st) < 0)
                return errno == ENOENT ? 0
                                       : se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                                        "hold: '%s'", addr->sun_path);
        if (!S_ISSOCK(st.st_mode))
                return se_error(err, -EEXIST, SEALEXEC_ERROR_REFUSED,
                                "hold: '%s' exists and is not a socket", addr->sun_path);
        _cleanup_close_ int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (probe < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: socket");
        if (connect(probe, (const struct sockaddr *)addr, len) == 0)
                return se_error(err, -EADDRINUSE, SEALEXEC_ERROR_REFUSED,
                                "hold: a holder already listens on '%s'", addr->sun_path);
        if (errno != ECONNREFUSED)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: '%s'",
                                      addr->sun_path);
        if (unlink(addr->sun_path) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "hold: cannot remove stale '%s'", addr->sun_path);
        return 0;
}

SEALEXEC_API int sealexec_hold_listen(const char *socket_path, unsigned mode, int *ret_fd,
                                      sealexec_error *err)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};

        if (!socket_path || !ret_fd || mode > 0777)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "hold: bad arguments");
        if (strlen(socket_path) == 0 || strlen(socket_path) >= sizeof(addr.sun_path))
                return se_error(err, -ENAMETOOLONG, SEALEXEC_ERROR_REFUSED,
                                "hold: socket path '%s' is empty or longer than %zu bytes",
                                socket_path, sizeof(addr.sun_path) - 1);
        strcpy(addr.sun_path, socket_path);
        socklen_t len =
            (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(socket_path) + 1);
        int r = clear_stale(&addr, len, err);
        if (r < 0)
                return r;
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: socket");
        if (bind(fd, (const struct sockaddr *)&addr, len) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: bind '%s'",
                                      socket_path);
        /* bind() applied the umask, which can only be stricter: nobody connected yet. */
        if (chmod(socket_path, mode) < 0 || listen(fd, SOMAXCONN) < 0) {
                r = se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "hold: '%s'", socket_path);
                unlink(socket_path);
                return r;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}
