/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The holder's cache: statx identity, LRU eviction under the byte cap, counters. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "holder/cache.h"

static const uint8_t no_digest[HOLDER_DIGEST_LEN];

static struct holder_key key_of(uint64_t ino, uint64_t size)
{
        return (struct holder_key){.dev_major = 8,
                                   .dev_minor = 1,
                                   .ino = ino,
                                   .size = size,
                                   .mtime_sec = 100,
                                   .mtime_nsec = 5,
                                   .ctime_sec = 100,
                                   .ctime_nsec = 6};
}

static int scratch_fd(void)
{
        int fd = memfd_create("cache-test", MFD_CLOEXEC);
        assert_true(fd >= 0);
        return fd;
}

static void test_key_fields(void **state)
{
        struct holder_key a = key_of(1, 10), b;
        assert_true(holder_key_equal(&a, &a));
        /* Every field of the identity tells versions apart. */
        b = a, b.dev_major++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.dev_minor++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.ino++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.size++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.mtime_sec++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.mtime_nsec++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.ctime_sec++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.ctime_nsec++;
        assert_false(holder_key_equal(&a, &b));
        b = a, b.is_data = true;
        assert_false(holder_key_equal(&a, &b));

        struct statx stx = {.stx_dev_major = 3,
                            .stx_dev_minor = 4,
                            .stx_ino = 5,
                            .stx_size = 6,
                            .stx_mtime = {7, 8},
                            .stx_ctime = {9, 10}};
        holder_key_from_statx(&stx, true, &b);
        assert_int_equal(b.dev_major, 3);
        assert_int_equal(b.dev_minor, 4);
        assert_int_equal(b.ino, 5);
        assert_int_equal(b.size, 6);
        assert_int_equal(b.mtime_sec, 7);
        assert_int_equal(b.mtime_nsec, 8);
        assert_int_equal(b.ctime_sec, 9);
        assert_int_equal(b.ctime_nsec, 10);
        assert_true(b.is_data);
}

static void test_insert_lookup(void **state)
{
        struct holder_cache c;
        holder_cache_init(&c, 1000, 10);
        struct holder_key k = key_of(1, 100);
        uint8_t digest[HOLDER_DIGEST_LEN];
        memset(digest, 7, sizeof(digest));
        assert_null(holder_cache_lookup(&c, &k));
        assert_int_equal(holder_cache_insert(&c, &k, scratch_fd(), digest, "one\n"), 0);
        struct holder_entry *e = holder_cache_lookup(&c, &k);
        assert_non_null(e);
        assert_memory_equal(e->digest, digest, sizeof(digest));
        assert_string_equal(e->name, "one?");
        assert_int_equal(e->hits, 1);
        assert_int_equal(c.bytes, 100);
        assert_int_equal(holder_cache_insert(&c, &k, scratch_fd(), digest, "again"), -EEXIST);
        assert_int_equal(c.n_entries, 1);
        holder_cache_done(&c);
}

static void test_lru_eviction(void **state)
{
        struct holder_cache c;
        holder_cache_init(&c, 300, 10);
        struct holder_key a = key_of(1, 100), b = key_of(2, 100), d = key_of(3, 100),
                          e = key_of(4, 150);
        assert_int_equal(holder_cache_insert(&c, &a, scratch_fd(), no_digest, "a"), 0);
        assert_int_equal(holder_cache_insert(&c, &b, scratch_fd(), no_digest, "b"), 0);
        assert_int_equal(holder_cache_insert(&c, &d, scratch_fd(), no_digest, "d"), 0);
        /* a is used, so b is now the least recently used. */
        assert_non_null(holder_cache_lookup(&c, &a));
        assert_int_equal(holder_cache_insert(&c, &e, scratch_fd(), no_digest, "e"), 0);
        assert_null(holder_cache_lookup(&c, &b));
        /* 150 more than 300 - 100 - 100 - 100: d had to go as well. */
        assert_null(holder_cache_lookup(&c, &d));
        assert_non_null(holder_cache_lookup(&c, &a));
        assert_non_null(holder_cache_lookup(&c, &e));
        assert_int_equal(c.evictions, 2);
        assert_true(c.bytes <= c.max_bytes);
        assert_int_equal(c.bytes, 250);
        holder_cache_done(&c);
}

static void test_too_big_and_entry_cap(void **state)
{
        struct holder_cache c;
        holder_cache_init(&c, 1000, 2);
        struct holder_key big = key_of(1, 1001);
        assert_int_equal(holder_cache_insert(&c, &big, scratch_fd(), no_digest, "big"), -EFBIG);
        assert_int_equal(c.n_entries, 0);
        for (uint64_t i = 10; i < 15; i++) {
                struct holder_key k = key_of(i, 1);
                assert_int_equal(holder_cache_insert(&c, &k, scratch_fd(), no_digest, "x"), 0);
                assert_true(c.n_entries <= 2);
        }
        assert_int_equal(c.evictions, 3);
        holder_cache_done(&c);
}

/* Eviction closes the cache's descriptor only: a copy handed out stays whole. */
static void test_evicted_copy_lives_on(void **state)
{
        struct holder_cache c;
        holder_cache_init(&c, 10, 10);
        int fd = scratch_fd();
        assert_int_equal(write(fd, "0123456789", 10), 10);
        struct holder_key a = key_of(1, 10), b = key_of(2, 10);
        assert_int_equal(holder_cache_insert(&c, &a, fd, no_digest, "a"), 0);
        int running = dup(holder_cache_lookup(&c, &a)->fd);
        assert_int_equal(holder_cache_insert(&c, &b, scratch_fd(), no_digest, "b"), 0);
        assert_null(holder_cache_lookup(&c, &a));
        char buf[11] = {0};
        assert_int_equal(pread(running, buf, 10, 0), 10);
        assert_string_equal(buf, "0123456789");
        close(running);
        holder_cache_done(&c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_key_fields),
            cmocka_unit_test(test_insert_lookup),
            cmocka_unit_test(test_lru_eviction),
            cmocka_unit_test(test_too_big_and_entry_cap),
            cmocka_unit_test(test_evicted_copy_lives_on),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
