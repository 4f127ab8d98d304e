/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * protocol.h - the holder's wire format (SOCK_SEQPACKET, one message per
 * request and per answer, native byte order: both ends are on one host).
 *
 * Request, HOLDER_REQUEST_HEADER + name_len bytes, at most HOLDER_REQUEST_MAX:
 *    0  magic "SXH1"
 *    4  u8  op        HOLDER_OP_GET (exactly one descriptor attached) or
 *                     HOLDER_OP_STATUS (none)
 *    5  u8  flags     HOLDER_REQ_DATA: seal as data (never executable)
 *    6  u16 name_len  0..HOLDER_NAME_MAX
 *    8  u64 max_size  the client's size cap (0: SEALEXEC_DEFAULT_MAX_SIZE)
 *   16  name          printable ASCII, no NUL: a label for messages and the
 *                     memfd's name, never a path the holder opens
 *
 * Answer, HOLDER_ANSWER_HEADER + text_len bytes, at most HOLDER_ANSWER_MAX:
 *    0  magic "SXH1"
 *    4  u8  op        the request's op
 *    5  u8  flags     HOLDER_ANS_HIT: served from the cache
 *    6  u16 text_len
 *    8  i32 error     0, or a positive errno value: the request was refused
 *   12  u32 zero
 *   16  u64 size      bytes of the sealed copy (GET, error 0)
 *   24  u8[32] digest SHA-256 of the sealed copy (GET, error 0)
 *   56  text          the refusal's message (error != 0), or JSON (STATUS)
 * A successful GET answer carries the sealed memfd (SCM_RIGHTS).
 *
 * The parsers are pure (no I/O, no allocation) and reject anything that is
 * not exactly one well-formed message.
 */
#ifndef SEALEXEC_HOLDER_PROTOCOL_H
#define SEALEXEC_HOLDER_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOLDER_MAGIC          "SXH1"
#define HOLDER_NAME_MAX       200
#define HOLDER_REQUEST_HEADER 16
#define HOLDER_REQUEST_MAX    (HOLDER_REQUEST_HEADER + HOLDER_NAME_MAX)
#define HOLDER_DIGEST_LEN     32
#define HOLDER_ANSWER_HEADER  56
/* Status documents are cut to fit one message well below net.core.wmem_default. */
#define HOLDER_TEXT_MAX   (60 * 1024)
#define HOLDER_ANSWER_MAX (HOLDER_ANSWER_HEADER + HOLDER_TEXT_MAX)

enum { HOLDER_OP_GET = 1, HOLDER_OP_STATUS = 2 };
enum { HOLDER_REQ_DATA = 1u << 0 };
enum { HOLDER_ANS_HIT = 1u << 0 };

struct holder_request {
        uint8_t op;
        bool is_data;
        uint64_t max_size;
        char name[HOLDER_NAME_MAX + 1]; /* NUL-terminated */
};

struct holder_answer {
        uint8_t op;
        bool hit;
        int error; /* 0 or a positive errno */
        uint64_t size;
        uint8_t digest[HOLDER_DIGEST_LEN];
        const char *text; /* parse: points into the parsed buffer; not terminated */
        size_t text_len;
};

/* -EBADMSG (malformed), -EMSGSIZE (too long), -EPROTO (unknown op or flags). */
int holder_request_parse(const void *buf, size_t len, struct holder_request *ret);
/* Writes the request into buf; returns its length or -EINVAL/-ENOBUFS. */
int holder_request_format(const struct holder_request *req, void *buf, size_t size);

int holder_answer_parse(const void *buf, size_t len, struct holder_answer *ret);
/* text/text_len of `ans` are copied (cut at HOLDER_TEXT_MAX). Returns the length. */
int holder_answer_format(const struct holder_answer *ans, void *buf, size_t size);

/* Copies `text` into `name`, replacing what a request may not carry, cut to HOLDER_NAME_MAX. */
void holder_name_sanitize(const char *text, char name[HOLDER_NAME_MAX + 1]);

#endif
