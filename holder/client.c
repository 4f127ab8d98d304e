/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.c - the library side of the holder: sealexec_payload_load_held()
 * and sealexec_hold_status().
 *
 * The client opens the payload itself, with the loader's safe open and its
 * own permissions and --root resolution, and passes the descriptor; the
 * holder never sees a path it could open. Nothing the holder answers is
 * taken on trust beyond what cannot be checked cheaply: the holder must run
 * as uid 0 or as the caller (SO_PEERCRED, checked before the descriptor is
 * sent), and its answer must be a memfd carrying every required seal, with
 * the size of the caller's own descriptor, executable exactly when a
 * program was asked for. The SHA-256 the holder reports is taken as the
 * payload's digest unless SEALEXEC_LOAD_HOLD_REHASH asks to compute it here.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "holder/io.h"
#include "holder/peer.h"
#include "holder/protocol.h"
#include "loader/loader.h"
#include "loader/payload.h"

#define HOLD_FLAGS                                                                                 \
        (SEALEXEC_LOAD_SEARCH_PATH | SEALEXEC_LOAD_DATA | SEALEXEC_LOAD_HOLD_REQUIRE |             \
         SEALEXEC_LOAD_HOLD_REHASH)

/* How long a client waits for the holder: a miss of a large file is copied and hashed first. */
#define CLIENT_TIMEOUT_S 150

static int holder_connect(const char *socket_path, int *ret_fd, sealexec_error *err)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        struct holder_peer peer;

        if (!socket_path || !*socket_path || strlen(socket_path) >= sizeof(addr.sun_path))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "holder socket '%s': empty or too long",
                                socket_path ? socket_path : "");
        strcpy(addr.sun_path, socket_path);
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "holder: socket");
        struct timeval tv = {.tv_sec = CLIENT_TIMEOUT_S};
        if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "holder: setsockopt");
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "holder socket '%s': cannot connect", socket_path);
        int r = holder_peer_get(fd, &peer);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "holder socket '%s': no peer credentials", socket_path);
        /* Before anything is sent: a stranger must not even see our descriptor. */
        if (!holder_peer_trusted(&peer))
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "holder socket '%s': served by uid %u, neither root nor us",
                                socket_path, (unsigned)peer.uid);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Sends one request and receives its answer (into buf, which `ans` then points into). */
static int exchange(int sock, const struct holder_request *req, int pass_fd, uint8_t *buf,
                    size_t size, struct holder_answer *ans, int *ret_fd, const char *label,
                    sealexec_error *err)
{
        uint8_t out[HOLDER_REQUEST_MAX];
        int len = holder_request_format(req, out, sizeof(out));
        if (len < 0)
                return se_error(err, len, SEALEXEC_ERROR_REFUSED, "%s: bad holder request", label);
        int r = holder_send(sock, out, (size_t)len, pass_fd, 0);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "%s: holder: send", label);
        _cleanup_close_ int fd = -1;
        ssize_t n = holder_recv(sock, buf, size, &fd, 0);
        if (n == 0)
                return se_error(err, -ECONNRESET, SEALEXEC_ERROR_REFUSED,
                                "%s: the holder closed the connection (busy?)", label);
        if (n < 0)
                return se_error_errno(err, (int)n, SEALEXEC_ERROR_REFUSED, "%s: holder: receive",
                                      label);
        r = holder_answer_parse(buf, (size_t)n, ans);
        if (r < 0 || ans->op != req->op)
                return se_error(err, -EBADMSG, SEALEXEC_ERROR_REFUSED,
                                "%s: malformed answer from the holder", label);
        if (ans->error)
                return se_error(err, -ans->error, SEALEXEC_ERROR_REFUSED,
                                "%s: the holder refused: %.*s", label, (int)ans->text_len,
                                ans->text);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The answer must be what we would have made ourselves from our own descriptor. */
static int check_answer(int memfd, const struct holder_answer *ans, const struct stat *own,
                        bool is_data, const char *label, sealexec_error *err)
{
        struct stat st;
        unsigned seals;

        if (memfd < 0)
                return se_error(err, -EBADMSG, SEALEXEC_ERROR_REFUSED,
                                "%s: the holder sent no descriptor", label);
        int r = loader_check_sealed_memfd(memfd, label, &st, &seals, err);
        if (r < 0)
                return se_error_prefix(err, r, "holder's answer");
        if (st.st_size != own->st_size || ans->size != (uint64_t)own->st_size)
                return se_error(err, -EBADMSG, SEALEXEC_ERROR_REFUSED,
                                "%s: the holder's copy has %jd bytes, the file %jd", label,
                                (intmax_t)st.st_size, (intmax_t)own->st_size);
        if (is_data && (st.st_mode & 0111))
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "%s: the holder's copy of a data file is executable", label);
        return 0;
}

/* Asks the holder for a sealed copy of src; the payload on success. */
static int load_from_holder(const char *socket_path, int src, const struct stat *st,
                            const char *name, unsigned flags, uint64_t max_size,
                            sealexec_payload **ret_payload, sealexec_error *err)
{
        bool is_data = flags & SEALEXEC_LOAD_DATA;
        char label[LOADER_LABEL_MAX];
        _cleanup_close_ int sock = -1, memfd = -1;
        _cleanup_free_ uint8_t *buf = malloc(HOLDER_ANSWER_MAX);
        struct holder_request req = {.op = HOLDER_OP_GET, .is_data = is_data, .max_size = max_size};
        struct holder_answer ans;
        sealexec_payload *p = NULL;

        loader_label_path(label, sizeof(label), name, is_data);
        if (!buf)
                return se_oom(err, label);
        holder_name_sanitize(name, req.name);
        int r = holder_connect(socket_path, &sock, err);
        if (r >= 0)
                r = exchange(sock, &req, src, buf, HOLDER_ANSWER_MAX, &ans, &memfd, label, err);
        if (r >= 0)
                r = check_answer(memfd, &ans, st, is_data, label, err);
        if (r >= 0)
                r = sealexec_payload_adopt_fd(memfd, name, flags & SEALEXEC_LOAD_DATA, &p, err);
        if (r < 0)
                return r;
        if (!(flags & SEALEXEC_LOAD_HOLD_REHASH)) {
                memcpy(p->digest, ans.digest, sizeof(p->digest));
                p->have_digest = true;
        }
        *ret_payload = p;
        return 0;
}

SEALEXEC_API int sealexec_payload_load_held(const char *socket_path, int root_fd, const char *path,
                                            unsigned flags, uint64_t max_size,
                                            sealexec_payload **ret_payload, sealexec_error *err)
{
        bool is_data = flags & SEALEXEC_LOAD_DATA;
        _cleanup_free_ char *name = NULL;
        _cleanup_close_ int src = -1;
        sealexec_payload *p = NULL;
        struct stat st;

        if (!path || !ret_payload || (flags & ~(unsigned)HOLD_FLAGS))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "payload: bad arguments to load_held");
        if (max_size == 0)
                max_size = SEALEXEC_DEFAULT_MAX_SIZE;
        /* Our own open, with our own permissions: failures here are the payload's. */
        int r = loader_open_source(root_fd, path, flags & SEALEXEC_LOAD_SEARCH_PATH, is_data,
                                   max_size, &name, &src, &st, err);
        if (r < 0)
                return r;
        sealexec_error held_err = {0};
        r = load_from_holder(socket_path, src, &st, name, flags, max_size, &p, &held_err);
        if (r < 0) {
                if (err)
                        *err = held_err;
                if (flags & SEALEXEC_LOAD_HOLD_REQUIRE)
                        return r;
                /* Without the holder: the private copy sealexec_payload_load_*() makes. */
                r = sealexec_payload_load_fd(src, name, flags & SEALEXEC_LOAD_DATA, max_size, &p,
                                             err);
                if (r < 0)
                        return r;
                r = 1;
        }
        p->in_root = root_fd >= 0;
        *ret_payload = p;
        return r;
}

/* ---- status ---------------------------------------------------------------- */

static json_int_t get_int(json_t *doc, const char *key)
{
        return json_integer_value(json_object_get(doc, key));
}

static char *render_status(json_t *doc)
{
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        if (!f)
                return NULL;
        fprintf(f,
                "entries: %" JSON_INTEGER_FORMAT "\nbytes: %" JSON_INTEGER_FORMAT
                " of %" JSON_INTEGER_FORMAT "\nhits: %" JSON_INTEGER_FORMAT
                "\nmisses: %" JSON_INTEGER_FORMAT "\nrefused: %" JSON_INTEGER_FORMAT
                "\nevictions: %" JSON_INTEGER_FORMAT "\ncopies in progress: %" JSON_INTEGER_FORMAT
                "\nclients: %" JSON_INTEGER_FORMAT "\n",
                get_int(doc, "entries"), get_int(doc, "bytes"), get_int(doc, "max_bytes"),
                get_int(doc, "hits"), get_int(doc, "misses"), get_int(doc, "refused"),
                get_int(doc, "evictions"), get_int(doc, "copies_in_progress"),
                get_int(doc, "clients"));
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(doc, "list"), i, e)
        {
                const char *name = json_string_value(json_object_get(e, "name"));
                const char *digest = json_string_value(json_object_get(e, "digest"));
                fprintf(
                    f, "  %s %" JSON_INTEGER_FORMAT " bytes, %" JSON_INTEGER_FORMAT " hits%s, %s\n",
                    name ? name : "?", get_int(e, "size"), get_int(e, "hits"),
                    json_is_true(json_object_get(e, "data")) ? ", data" : "",
                    digest ? digest : "?");
        }
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

SEALEXEC_API int sealexec_hold_status(const char *socket_path, bool json, char **ret_text,
                                      sealexec_error *err)
{
        _cleanup_close_ int sock = -1, fd = -1;
        _cleanup_free_ uint8_t *buf = malloc(HOLDER_ANSWER_MAX);
        struct holder_request req = {.op = HOLDER_OP_STATUS};
        struct holder_answer ans;
        json_error_t jerr;

        if (!ret_text || !buf)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "hold status: bad arguments");
        int r = holder_connect(socket_path, &sock, err);
        if (r >= 0)
                r = exchange(sock, &req, -1, buf, HOLDER_ANSWER_MAX, &ans, &fd, "hold status", err);
        if (r < 0)
                return r;
        json_t *doc = json_loadb(ans.text, ans.text_len, 0, &jerr);
        if (!json_is_object(doc)) {
                json_decref(doc);
                return se_error(err, -EBADMSG, SEALEXEC_ERROR_REFUSED,
                                "hold status: malformed status from the holder");
        }
        char *text =
            json ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : render_status(doc);
        json_decref(doc);
        if (!text)
                return se_oom(err, "hold status");
        *ret_text = text;
        return 0;
}
