/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The holder's wire format: round trips and every kind of malformed message. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "holder/protocol.h"

static int format_get(const char *name, uint8_t *buf, size_t size)
{
        struct holder_request req = {.op = HOLDER_OP_GET, .is_data = true, .max_size = 4096};
        strcpy(req.name, name);
        return holder_request_format(&req, buf, size);
}

static void test_request_round_trip(void **state)
{
        uint8_t buf[HOLDER_REQUEST_MAX];
        struct holder_request got;
        int len = format_get("/usr/bin/node", buf, sizeof(buf));
        assert_int_equal(len, HOLDER_REQUEST_HEADER + 13);
        assert_int_equal(holder_request_parse(buf, (size_t)len, &got), 0);
        assert_int_equal(got.op, HOLDER_OP_GET);
        assert_true(got.is_data);
        assert_int_equal(got.max_size, 4096);
        assert_string_equal(got.name, "/usr/bin/node");

        struct holder_request status = {.op = HOLDER_OP_STATUS};
        len = holder_request_format(&status, buf, sizeof(buf));
        assert_int_equal(len, HOLDER_REQUEST_HEADER);
        assert_int_equal(holder_request_parse(buf, (size_t)len, &got), 0);
        assert_int_equal(got.op, HOLDER_OP_STATUS);
}

static void test_request_malformed(void **state)
{
        uint8_t buf[HOLDER_REQUEST_MAX + 64];
        struct holder_request got = {.op = 77};
        int len = format_get("name", buf, sizeof(buf));

        assert_int_equal(holder_request_parse(NULL, 0, &got), -EBADMSG);
        assert_int_equal(holder_request_parse(buf, 3, &got), -EBADMSG);
        assert_int_equal(holder_request_parse(buf, HOLDER_REQUEST_HEADER - 1, &got), -EBADMSG);
        /* The name length must match the message exactly. */
        assert_int_equal(holder_request_parse(buf, (size_t)len - 1, &got), -EBADMSG);
        assert_int_equal(holder_request_parse(buf, (size_t)len + 1, &got), -EBADMSG);
        assert_int_equal(holder_request_parse(buf, sizeof(buf), &got), -EMSGSIZE);

        uint8_t bad[HOLDER_REQUEST_MAX];
        memcpy(bad, buf, (size_t)len);
        bad[0] = 'X';
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EBADMSG);
        memcpy(bad, buf, (size_t)len);
        bad[4] = 9; /* unknown op */
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EPROTO);
        memcpy(bad, buf, (size_t)len);
        bad[5] = 0x80; /* unknown flag */
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EPROTO);
        memcpy(bad, buf, (size_t)len);
        bad[HOLDER_REQUEST_HEADER + 1] = '\n'; /* control character in the name */
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EBADMSG);
        memcpy(bad, buf, (size_t)len);
        bad[HOLDER_REQUEST_HEADER] = '\0';
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EBADMSG);
        memcpy(bad, buf, (size_t)len);
        uint16_t huge = HOLDER_NAME_MAX + 1;
        memcpy(bad + 6, &huge, sizeof(huge));
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EBADMSG);
        /* A status request carries nothing. */
        memcpy(bad, buf, (size_t)len);
        bad[4] = HOLDER_OP_STATUS;
        assert_int_equal(holder_request_parse(bad, (size_t)len, &got), -EBADMSG);
        /* Nothing was written on failure. */
        assert_int_equal(got.op, 77);
}

static void test_request_format_refuses(void **state)
{
        uint8_t buf[HOLDER_REQUEST_MAX];
        struct holder_request req = {.op = HOLDER_OP_GET};
        strcpy(req.name, "a\tb");
        assert_int_equal(holder_request_format(&req, buf, sizeof(buf)), -EINVAL);
        strcpy(req.name, "abc");
        assert_int_equal(holder_request_format(&req, buf, HOLDER_REQUEST_HEADER + 2), -ENOBUFS);
}

static void test_name_sanitize(void **state)
{
        char name[HOLDER_NAME_MAX + 1];
        char longer[HOLDER_NAME_MAX + 50];
        holder_name_sanitize("a\nb\x01", name);
        assert_string_equal(name, "a?b?");
        memset(longer, 'x', sizeof(longer) - 1);
        longer[sizeof(longer) - 1] = '\0';
        holder_name_sanitize(longer, name);
        assert_int_equal(strlen(name), HOLDER_NAME_MAX);
        holder_name_sanitize(NULL, name);
        assert_string_equal(name, "");
}

static void test_answer_round_trip(void **state)
{
        static uint8_t buf[HOLDER_ANSWER_MAX];
        struct holder_answer ans = {
            .op = HOLDER_OP_GET, .hit = true, .size = 123, .text = "hello", .text_len = 5};
        memset(ans.digest, 0xab, sizeof(ans.digest));
        int len = holder_answer_format(&ans, buf, sizeof(buf));
        assert_int_equal(len, HOLDER_ANSWER_HEADER + 5);
        struct holder_answer got;
        assert_int_equal(holder_answer_parse(buf, (size_t)len, &got), 0);
        assert_true(got.hit);
        assert_int_equal(got.size, 123);
        assert_int_equal(got.error, 0);
        assert_memory_equal(got.digest, ans.digest, HOLDER_DIGEST_LEN);
        assert_int_equal(got.text_len, 5);
        assert_memory_equal(got.text, "hello", 5);

        ans = (struct holder_answer){.op = HOLDER_OP_GET, .error = EACCES};
        len = holder_answer_format(&ans, buf, sizeof(buf));
        assert_int_equal(holder_answer_parse(buf, (size_t)len, &got), 0);
        assert_int_equal(got.error, EACCES);
        ans.error = -1;
        assert_int_equal(holder_answer_format(&ans, buf, sizeof(buf)), -EINVAL);
}

static void test_answer_malformed(void **state)
{
        static uint8_t buf[HOLDER_ANSWER_MAX + 8];
        struct holder_answer ans = {.op = HOLDER_OP_STATUS, .text = "{}", .text_len = 2};
        struct holder_answer got;
        int len = holder_answer_format(&ans, buf, sizeof(buf));
        assert_int_equal(holder_answer_parse(buf, (size_t)len - 1, &got), -EBADMSG);
        assert_int_equal(holder_answer_parse(buf, HOLDER_ANSWER_MAX + 1, &got), -EMSGSIZE);
        int32_t negative = -5;
        memcpy(buf + 8, &negative, sizeof(negative));
        assert_int_equal(holder_answer_parse(buf, (size_t)len, &got), -EBADMSG);
        len = holder_answer_format(&ans, buf, sizeof(buf));
        buf[12] = 1; /* the reserved word */
        assert_int_equal(holder_answer_parse(buf, (size_t)len, &got), -EBADMSG);
        len = holder_answer_format(&ans, buf, sizeof(buf));
        buf[5] = 0x10;
        assert_int_equal(holder_answer_parse(buf, (size_t)len, &got), -EPROTO);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_request_round_trip),     cmocka_unit_test(test_request_malformed),
            cmocka_unit_test(test_request_format_refuses), cmocka_unit_test(test_name_sanitize),
            cmocka_unit_test(test_answer_round_trip),      cmocka_unit_test(test_answer_malformed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
