/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* protocol.c - request and answer messages of the holder (see protocol.h). */
#include <errno.h>
#include <string.h>

#include "holder/protocol.h"

static void put_u16(uint8_t *p, uint16_t v)
{
        memcpy(p, &v, sizeof(v));
}

static void put_u32(uint8_t *p, uint32_t v)
{
        memcpy(p, &v, sizeof(v));
}

static void put_u64(uint8_t *p, uint64_t v)
{
        memcpy(p, &v, sizeof(v));
}

static uint16_t get_u16(const uint8_t *p)
{
        uint16_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static uint32_t get_u32(const uint8_t *p)
{
        uint32_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static uint64_t get_u64(const uint8_t *p)
{
        uint64_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static bool name_char_ok(char c)
{
        return c >= 0x20 && c <= 0x7e;
}

void holder_name_sanitize(const char *text, char name[HOLDER_NAME_MAX + 1])
{
        size_t i = 0;
        for (; text && text[i] && i < HOLDER_NAME_MAX; i++)
                name[i] = name_char_ok(text[i]) ? text[i] : '?';
        name[i] = '\0';
}

/* What requests and answers share: size, magic, a known op, known flags. */
static int header_check(const uint8_t *p, size_t len, size_t max, size_t header_len,
                        unsigned known_flags)
{
        if (len > max)
                return -EMSGSIZE;
        if (!p || len < header_len || memcmp(p, HOLDER_MAGIC, 4) != 0)
                return -EBADMSG;
        if (p[4] != HOLDER_OP_GET && p[4] != HOLDER_OP_STATUS)
                return -EPROTO;
        if (p[5] & ~known_flags)
                return -EPROTO;
        return 0;
}

int holder_request_parse(const void *buf, size_t len, struct holder_request *ret)
{
        const uint8_t *p = buf;
        struct holder_request req = {0};

        int r = header_check(p, len, HOLDER_REQUEST_MAX, HOLDER_REQUEST_HEADER, HOLDER_REQ_DATA);
        if (r < 0)
                return r;
        req.op = p[4];
        req.is_data = p[5] & HOLDER_REQ_DATA;
        size_t name_len = get_u16(p + 6);
        if (name_len > HOLDER_NAME_MAX || HOLDER_REQUEST_HEADER + name_len != len)
                return -EBADMSG;
        req.max_size = get_u64(p + 8);
        for (size_t i = 0; i < name_len; i++) {
                char c = (char)p[HOLDER_REQUEST_HEADER + i];
                if (!name_char_ok(c))
                        return -EBADMSG;
                req.name[i] = c;
        }
        req.name[name_len] = '\0';
        /* A status request names nothing and has no cap. */
        if (req.op == HOLDER_OP_STATUS && (name_len || req.max_size || req.is_data))
                return -EBADMSG;
        *ret = req;
        return 0;
}

int holder_request_format(const struct holder_request *req, void *buf, size_t size)
{
        uint8_t *p = buf;
        size_t name_len = strnlen(req->name, sizeof(req->name));

        if (name_len > HOLDER_NAME_MAX)
                return -EINVAL;
        for (size_t i = 0; i < name_len; i++)
                if (!name_char_ok(req->name[i]))
                        return -EINVAL;
        if (size < HOLDER_REQUEST_HEADER + name_len)
                return -ENOBUFS;
        memcpy(p, HOLDER_MAGIC, 4);
        p[4] = req->op;
        p[5] = req->is_data ? HOLDER_REQ_DATA : 0;
        put_u16(p + 6, (uint16_t)name_len);
        put_u64(p + 8, req->max_size);
        memcpy(p + HOLDER_REQUEST_HEADER, req->name, name_len);
        return (int)(HOLDER_REQUEST_HEADER + name_len);
}

int holder_answer_parse(const void *buf, size_t len, struct holder_answer *ret)
{
        const uint8_t *p = buf;
        struct holder_answer ans = {0};

        int r = header_check(p, len, HOLDER_ANSWER_MAX, HOLDER_ANSWER_HEADER, HOLDER_ANS_HIT);
        if (r < 0)
                return r;
        ans.op = p[4];
        ans.hit = p[5] & HOLDER_ANS_HIT;
        ans.text_len = get_u16(p + 6);
        if (ans.text_len > HOLDER_TEXT_MAX || HOLDER_ANSWER_HEADER + ans.text_len != len)
                return -EBADMSG;
        int32_t error = (int32_t)get_u32(p + 8);
        /* errno values are small and positive; anything else is not an answer. */
        if (error < 0 || error > 4095 || get_u32(p + 12) != 0)
                return -EBADMSG;
        ans.error = error;
        ans.size = get_u64(p + 16);
        memcpy(ans.digest, p + 24, HOLDER_DIGEST_LEN);
        ans.text = (const char *)p + HOLDER_ANSWER_HEADER;
        *ret = ans;
        return 0;
}

int holder_answer_format(const struct holder_answer *ans, void *buf, size_t size)
{
        uint8_t *p = buf;
        size_t text_len = ans->text_len > HOLDER_TEXT_MAX ? HOLDER_TEXT_MAX : ans->text_len;

        if (ans->error < 0 || ans->error > 4095)
                return -EINVAL;
        if (size < HOLDER_ANSWER_HEADER + text_len)
                return -ENOBUFS;
        memcpy(p, HOLDER_MAGIC, 4);
        p[4] = ans->op;
        p[5] = ans->hit ? HOLDER_ANS_HIT : 0;
        put_u16(p + 6, (uint16_t)text_len);
        put_u32(p + 8, (uint32_t)ans->error);
        put_u32(p + 12, 0);
        put_u64(p + 16, ans->size);
        memcpy(p + 24, ans->digest, HOLDER_DIGEST_LEN);
        if (text_len)
                memcpy(p + HOLDER_ANSWER_HEADER, ans->text, text_len);
        return (int)(HOLDER_ANSWER_HEADER + text_len);
}
