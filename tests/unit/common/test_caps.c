/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability lists as --cap-keep and Docker's includes/excludes spell them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/capability.h>

#include "caps.h"

static void test_names(void **state)
{
        assert_int_equal(caps_parse_name("CAP_NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
        assert_int_equal(caps_parse_name("net_bind_service"), CAP_NET_BIND_SERVICE);
        assert_int_equal(caps_parse_name("Cap_Chown"), CAP_CHOWN);
        assert_int_equal(caps_parse_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
        assert_int_equal(caps_parse_name("CAP_"), -EINVAL);
        assert_int_equal(caps_parse_name("12"), -EINVAL);
        assert_int_equal(caps_parse_name("CAP_NOPE"), -EINVAL);
        assert_int_equal(caps_parse_name(""), -EINVAL);
}

static void test_lists(void **state)
{
        uint64_t mask = 0;
        sealexec_error err = {0};
        assert_int_equal(caps_parse_list("chown, CAP_NET_RAW", &mask, &err), 0);
        assert_int_equal(mask, (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_NET_RAW));
        assert_int_equal(caps_parse_list("", &mask, &err), 0);
        assert_int_equal(caps_parse_list(NULL, &mask, &err), 0);

        uint64_t before = mask;
        assert_int_equal(caps_parse_list("chown,CAP_BOGUS", &mask, &err), -EINVAL);
        assert_int_equal(mask, before); /* written only on success */
        assert_non_null(strstr(err.message, "unknown capability 'CAP_BOGUS'"));
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_int_equal(caps_parse_list("chown,,net_raw", &mask, &err), -EINVAL);
}

/* "docker": Docker's default capability set, combinable with other names. */
static void test_docker_set(void **state)
{
        static const int docker[] = {
            CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
            CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
            CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
            CAP_KILL,    CAP_AUDIT_WRITE,
        };
        uint64_t want = 0;
        for (size_t i = 0; i < sizeof(docker) / sizeof(docker[0]); i++)
                want |= UINT64_C(1) << docker[i];
        assert_int_equal(__builtin_popcountll(want), 14);
        assert_int_equal(caps_docker_default(), want);

        uint64_t mask = 0;
        sealexec_error err = {0};
        assert_int_equal(caps_parse_list("docker", &mask, &err), 0);
        assert_int_equal(mask, want);
        mask = 0;
        assert_int_equal(caps_parse_list(" Docker , CAP_SYS_TIME", &mask, &err), 0);
        assert_int_equal(mask, want | (UINT64_C(1) << CAP_SYS_TIME));
        assert_false(mask & (UINT64_C(1) << CAP_SYS_ADMIN));
        assert_false(mask & (UINT64_C(1) << CAP_SYS_PTRACE));
        /* a list name, not a capability: Docker's includes.caps cannot use it */
        assert_int_equal(caps_parse_name("docker"), -EINVAL);
        assert_int_equal(caps_parse_name("CAP_DOCKER"), -EINVAL);
        mask = 0;
        assert_int_equal(caps_parse_list("cap_docker", &mask, &err), -EINVAL);
        assert_int_equal(mask, 0);
}

static void test_format(void **state)
{
        char buf[128];
        assert_string_equal(caps_format(0, buf, sizeof(buf)), "none");
        assert_string_equal(
            caps_format((UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_KILL), buf, sizeof(buf)),
            "cap_chown,cap_kill");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_names),
            cmocka_unit_test(test_lists),
            cmocka_unit_test(test_docker_set),
            cmocka_unit_test(test_format),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
