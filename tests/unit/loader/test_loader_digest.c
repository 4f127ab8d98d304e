/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 of sealed payloads and of files, and the "sha256:HEX" syntax. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "loader/loader.h"
#include "loader_test.h"

#define TRUE_PATH "/bin/true"
#define ABC_SHA   "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_SHA "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* SHA-256 of "abc\n" (a different 4-byte file), from sha256sum. */
#define ABCNL_SHA "sha256:edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"

static void test_digest_file_vectors(void **state)
{
        char *dir = lt_tmpdir();
        char *abc = lt_path(dir, "abc"), *empty = lt_path(dir, "empty");
        char *abcnl = lt_path(dir, "abcnl");
        lt_write_file(abc, "abc", 3, 0644);
        lt_write_file(empty, "", 0, 0644);
        lt_write_file(abcnl, "abc\n", 4, 0400);
        char digest[SEALEXEC_DIGEST_STRING_MAX];
        sealexec_error err = {0};

        assert_int_equal(sealexec_digest_file(abc, digest, &err), 0);
        assert_string_equal(digest, ABC_SHA);
        assert_int_equal(sealexec_digest_file(empty, digest, &err), 0);
        assert_string_equal(digest, EMPTY_SHA);
        assert_int_equal(sealexec_digest_file(abcnl, digest, &err), 0);
        assert_string_equal(digest, ABCNL_SHA);
        free(abc);
        free(empty);
        free(abcnl);
        lt_rmtree(dir);
}

static void test_digest_file_refuses(void **state)
{
        char *dir = lt_tmpdir();
        char *fifo = lt_path(dir, "fifo"), *missing = lt_path(dir, "missing");
        assert_int_equal(mkfifo(fifo, 0644), 0);
        char digest[SEALEXEC_DIGEST_STRING_MAX] = "untouched";
        sealexec_error err = {0};

        alarm(10);
        assert_int_equal(sealexec_digest_file(fifo, digest, &err), -EACCES);
        alarm(0);
        assert_non_null(strstr(err.message, "not a regular file (fifo)"));
        assert_int_equal(sealexec_digest_file(dir, digest, &err), -EISDIR);
        assert_non_null(strstr(err.message, "is a directory"));
        assert_int_equal(sealexec_digest_file(missing, digest, &err), -ENOENT);
        assert_non_null(strstr(err.message, "not found"));
        assert_int_equal(sealexec_digest_file("/dev/null", digest, &err), -EACCES);
        assert_string_equal(digest, "untouched");
        free(fifo);
        free(missing);
        lt_rmtree(dir);
}

static void test_payload_digest_matches_file(void **state)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        char from_payload[SEALEXEC_DIGEST_STRING_MAX], from_file[SEALEXEC_DIGEST_STRING_MAX];
        char again[SEALEXEC_DIGEST_STRING_MAX];

        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err), 0);
        assert_false(p->have_digest);
        assert_int_equal(sealexec_payload_digest(p, from_payload, &err), 0);
        assert_true(p->have_digest);
        assert_int_equal(sealexec_digest_file(TRUE_PATH, from_file, &err), 0);
        assert_string_equal(from_payload, from_file);
        assert_int_equal(strlen(from_payload), SEALEXEC_DIGEST_STRING_MAX - 1);
        for (const char *c = from_payload + 7; *c; c++)
                assert_true(isxdigit((unsigned char)*c) && !isupper((unsigned char)*c));
        /* Cached: the second call answers from the struct. */
        p->digest[0] ^= 0xff;
        assert_int_equal(sealexec_payload_digest(p, again, &err), 0);
        assert_string_not_equal(again, from_payload);
        p->digest[0] ^= 0xff;

        assert_int_equal(sealexec_payload_verify_digest(p, from_file, &err), 0);
        /* Upper-case hex is accepted. */
        char upper[SEALEXEC_DIGEST_STRING_MAX];
        strcpy(upper, from_file);
        for (char *c = upper + 7; *c; c++)
                *c = (char)toupper((unsigned char)*c);
        assert_int_equal(sealexec_payload_verify_digest(p, upper, &err), 0);
        sealexec_payload_free(p);
}

static void test_data_digest(void **state)
{
        char *dir = lt_tmpdir();
        char *abc = lt_path(dir, "abc"), *empty = lt_path(dir, "empty");
        lt_write_file(abc, "abc", 3, 0644);
        lt_write_file(empty, "", 0, 0644);
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        char digest[SEALEXEC_DIGEST_STRING_MAX];

        assert_int_equal(sealexec_payload_load_path(abc, SEALEXEC_LOAD_DATA, 0, &p, &err), 0);
        assert_int_equal(sealexec_payload_digest(p, digest, &err), 0);
        assert_string_equal(digest, ABC_SHA);
        assert_int_equal(sealexec_payload_verify_digest(p, ABC_SHA, &err), 0);
        sealexec_payload_free(p);

        assert_int_equal(sealexec_payload_load_path(empty, SEALEXEC_LOAD_DATA, 0, &p, &err), 0);
        assert_int_equal(sealexec_payload_digest(p, digest, &err), 0);
        assert_string_equal(digest, EMPTY_SHA);
        sealexec_payload_free(p);
        free(abc);
        free(empty);
        lt_rmtree(dir);
}

/* Larger than one mapping chunk (64 MiB), with marks around the boundary. */
static void test_large_digest(void **state)
{
        char *dir = lt_tmpdir();
        char *big = lt_path(dir, "big");
        const off_t size = ((off_t)64 << 20) + 4099;
        int fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, size), 0);
        const off_t marks[] = {0, ((off_t)64 << 20) - 1, (off_t)64 << 20, size - 1};
        for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
                assert_int_equal(pwrite(fd, "X", 1, marks[i]), 1);
        close(fd);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        char a[SEALEXEC_DIGEST_STRING_MAX], b[SEALEXEC_DIGEST_STRING_MAX];
        assert_int_equal(sealexec_payload_load_path(big, SEALEXEC_LOAD_DATA, 0, &p, &err), 0);
        assert_int_equal(sealexec_payload_size(p), (uint64_t)size);
        assert_int_equal(sealexec_payload_digest(p, a, &err), 0);
        sealexec_payload_free(p);
        assert_int_equal(sealexec_digest_file(big, b, &err), 0);
        assert_string_equal(a, b);
        assert_string_not_equal(a, EMPTY_SHA);
        free(big);
        lt_rmtree(dir);
}

static void test_mismatch(void **state)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        char actual[SEALEXEC_DIGEST_STRING_MAX];
        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err), 0);
        assert_int_equal(sealexec_payload_digest(p, actual, &err), 0);

        assert_int_equal(sealexec_payload_verify_digest(p, ABC_SHA, &err), -EBADMSG);
        assert_int_equal(err.code, -EBADMSG);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        char expected_msg[512];
        snprintf(expected_msg, sizeof(expected_msg),
                 "payload '%s': digest mismatch: expected %s, sealed content is %s", TRUE_PATH,
                 ABC_SHA, actual);
        assert_string_equal(err.message, expected_msg);

        /* One flipped digit is a mismatch too. */
        char flipped[SEALEXEC_DIGEST_STRING_MAX];
        strcpy(flipped, actual);
        flipped[SEALEXEC_DIGEST_STRING_MAX - 2] =
            flipped[SEALEXEC_DIGEST_STRING_MAX - 2] == '0' ? '1' : '0';
        assert_int_equal(sealexec_payload_verify_digest(p, flipped, &err), -EBADMSG);
        sealexec_payload_free(p);
}

static void test_malformed(void **state)
{
        static const char *const bad[] = {
            "sha256:",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            /* 63 hex digits */
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            /* 65 hex digits */
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
            /* 64 characters, one not hex */
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag",
            "SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "",
        };
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        unsigned char raw[SEALEXEC_SHA256_LEN];
        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err), 0);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                memset(&err, 0, sizeof(err));
                assert_int_equal(loader_digest_parse(bad[i], raw), -EINVAL);
                assert_int_equal(sealexec_payload_verify_digest(p, bad[i], &err), -EINVAL);
                assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
                char msg[512];
                snprintf(msg, sizeof(msg), "malformed digest '%s': expected sha256:<64 hex digits>",
                         bad[i]);
                assert_string_equal(err.message, msg);
        }
        assert_int_equal(sealexec_payload_verify_digest(p, NULL, &err), -EINVAL);
        /* Control characters do not break the one-line message. */
        assert_int_equal(sealexec_payload_verify_digest(p, "sha256:\nabc", &err), -EINVAL);
        assert_null(strchr(err.message, '\n'));
        sealexec_payload_free(p);
}

static void test_parse_format_roundtrip(void **state)
{
        unsigned char raw[SEALEXEC_SHA256_LEN];
        char text[SEALEXEC_DIGEST_STRING_MAX];
        assert_int_equal(loader_digest_parse(ABC_SHA, raw), 0);
        assert_int_equal(raw[0], 0xba);
        assert_int_equal(raw[SEALEXEC_SHA256_LEN - 1], 0xad);
        loader_digest_format(raw, text);
        assert_string_equal(text, ABC_SHA);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_digest_file_vectors),
            cmocka_unit_test(test_digest_file_refuses),
            cmocka_unit_test(test_payload_digest_matches_file),
            cmocka_unit_test(test_data_digest),
            cmocka_unit_test(test_large_digest),
            cmocka_unit_test(test_mismatch),
            cmocka_unit_test(test_malformed),
            cmocka_unit_test(test_parse_format_roundtrip),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
