/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandbox's side-effect-free helpers: rlimit specs, capability lists,
 * user and group names, "%{NAME}" substitution in argv and envp, the fd plan
 * and the bounding-set decision. Nothing here changes the test process.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "caps.h"
#include "sandbox/launch.h"
#include "sandbox/fds.h"
#include "sandbox/env.h"
#include "sandbox/rlimit.h"
#include "sandbox/ids.h"
#include "sandbox/caps.h"

/* --- rlimits ------------------------------------------------------------- */

static void test_rlimit_good(void **state)
{
        struct launch_rlimit l;
        sealexec_error err = {0};

        assert_int_equal(rlimit_parse("nofile=64:128", &l, &err), 0);
        assert_int_equal(l.resource, RLIMIT_NOFILE);
        assert_int_equal(l.limit.rlim_cur, 64);
        assert_int_equal(l.limit.rlim_max, 128);

        /* Without HARD the hard limit equals SOFT. */
        assert_int_equal(rlimit_parse("core=0", &l, &err), 0);
        assert_int_equal(l.resource, RLIMIT_CORE);
        assert_int_equal(l.limit.rlim_cur, 0);
        assert_int_equal(l.limit.rlim_max, 0);

        assert_int_equal(rlimit_parse("stack=8388608:unlimited", &l, &err), 0);
        assert_int_equal(l.resource, RLIMIT_STACK);
        assert_int_equal(l.limit.rlim_cur, 8388608);
        assert_true(l.limit.rlim_max == RLIM_INFINITY);

        assert_int_equal(rlimit_parse("as=unlimited", &l, &err), 0);
        assert_true(l.limit.rlim_cur == RLIM_INFINITY && l.limit.rlim_max == RLIM_INFINITY);

        static const char *const all[] = {
            "as",   "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue",
            "nice", "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
                char spec[64];
                snprintf(spec, sizeof(spec), "%s=1", all[i]);
                assert_int_equal(rlimit_parse(spec, &l, &err), 0);
                assert_string_equal(rlimit_name(l.resource), all[i]);
        }
}

static void test_rlimit_bad_name(void **state)
{
        struct launch_rlimit l = {.resource = -7};
        sealexec_error err = {0};

        assert_int_equal(rlimit_parse("files=10", &l, &err), -EINVAL);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_string_equal(err.message, "unknown rlimit 'files'");
        assert_int_equal(l.resource, -7); /* untouched on failure */

        assert_int_equal(rlimit_parse("NOFILE=10", &l, &err), -EINVAL);
        assert_string_equal(err.message, "unknown rlimit 'NOFILE'");
        assert_int_equal(rlimit_parse("=10", &l, &err), -EINVAL);
        assert_int_equal(rlimit_parse("nofile", &l, &err), -EINVAL);
        assert_int_equal(rlimit_parse("", &l, &err), -EINVAL);
        assert_int_equal(rlimit_parse(NULL, &l, &err), -EINVAL);
}

static void test_rlimit_bad_numbers(void **state)
{
        struct launch_rlimit l;
        sealexec_error err = {0};
        static const char *const bad[] = {
            "nofile=",
            "nofile=-1",
            "nofile=+5",
            "nofile=0x10",
            "nofile=1e3",
            "nofile= 5",
            "nofile=5 ",
            "nofile=5:",
            "nofile=:5",
            "nofile=5:6:7",
            "nofile=infinity",
            "nofile=Unlimited",
            "nofile=99999999999999999999",
            "nofile=18446744073709551615",
            "nofile=12abc",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                err.message[0] = '\0';
                assert_int_equal(rlimit_parse(bad[i], &l, &err), -EINVAL);
                assert_non_null(strstr(err.message, bad[i]));
        }
}

static void test_rlimit_soft_above_hard(void **state)
{
        struct launch_rlimit l;
        sealexec_error err = {0};

        assert_int_equal(rlimit_parse("nofile=10:5", &l, &err), -EINVAL);
        assert_non_null(strstr(err.message, "soft limit above hard limit"));
        assert_int_equal(rlimit_parse("cpu=unlimited:5", &l, &err), -EINVAL);
        assert_int_equal(rlimit_parse("cpu=5:5", &l, &err), 0);
}

/* --- capability lists ---------------------------------------------------- */

static void test_caps_list(void **state)
{
        uint64_t mask = 0;
        sealexec_error err = {0};

        assert_int_equal(caps_parse_list("CAP_NET_BIND_SERVICE, chown", &mask, &err), 0);
        assert_true(mask == ((UINT64_C(1) << CAP_NET_BIND_SERVICE) | (UINT64_C(1) << CAP_CHOWN)));
        assert_int_equal(caps_parse_list("cap_kill", &mask, &err), 0);
        assert_true(mask & (UINT64_C(1) << CAP_KILL));

        uint64_t before = mask;
        assert_int_equal(caps_parse_list("chown,cap_bogus", &mask, &err), -EINVAL);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_string_equal(err.message, "unknown capability 'cap_bogus'");
        assert_true(mask == before); /* nothing added from a bad list */
        assert_int_equal(caps_parse_list("7", &mask, &err), -EINVAL);
}

/* --- user and group ------------------------------------------------------ */

static void test_user_resolve(void **state)
{
        uid_t uid = 4242;
        gid_t gid = 4242;
        sealexec_error err = {0};

        assert_int_equal(user_resolve("root", &uid, &gid, &err), 0);
        assert_int_equal(uid, 0);
        assert_int_equal(gid, 0);

        uid = gid = 4242;
        assert_int_equal(user_resolve("0", &uid, &gid, &err), 0);
        assert_int_equal(uid, 0);
        assert_int_equal(gid, 0);

        assert_int_equal(user_resolve("nobody", &uid, &gid, &err), 0);
        assert_int_equal(uid, 65534);
        assert_int_equal(gid, 65534); /* nobody's primary group (nogroup on Debian) */

        /* A number without a passwd entry gets the group of the same number. */
        assert_int_equal(user_resolve("54321", &uid, &gid, &err), 0);
        assert_int_equal(uid, 54321);
        assert_int_equal(gid, 54321);

        uid = gid = 4242;
        assert_int_equal(user_resolve("no-such-user-sealexec", &uid, &gid, &err), -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_string_equal(err.message, "unknown user 'no-such-user-sealexec'");
        assert_int_equal(uid, 4242);
        assert_int_equal(user_resolve("", &uid, &gid, &err), -EINVAL);
        /* (uid_t)-1 means "unchanged" to setresuid(): never a target (not a number, so
         * looked up as a name, which no passwd entry has). */
        assert_int_equal(user_resolve("4294967295", &uid, &gid, &err), -ENOENT);
        assert_string_equal(err.message, "unknown user '4294967295'");
        assert_int_equal(user_resolve("-1", &uid, &gid, &err), -ENOENT);
        assert_int_equal(uid, 4242);
}

static void test_group_resolve(void **state)
{
        gid_t gid = 4242;
        sealexec_error err = {0};

        assert_int_equal(group_resolve("root", &gid, &err), 0);
        assert_int_equal(gid, 0);
        assert_int_equal(group_resolve("nogroup", &gid, &err), 0);
        assert_int_equal(gid, 65534);
        assert_int_equal(group_resolve("123", &gid, &err), 0);
        assert_int_equal(gid, 123);
        assert_int_equal(group_resolve("no-such-group-sealexec", &gid, &err), -ENOENT);
        assert_string_equal(err.message, "unknown group 'no-such-group-sealexec'");
        assert_int_equal(gid, 123);
}

/* --- substitution -------------------------------------------------------- */

static const struct subst_entry entries[] = {
    {.name = "conf", .fd = 3},
    {.name = "tls.key", .fd = 4},
};

static void check_subst(const char *in, const char *want)
{
        char *out = NULL;
        assert_int_equal(subst_expand(in, entries, 2, &out, NULL), 0);
        assert_string_equal(out, want);
        free(out);
}

static void test_subst(void **state)
{
        check_subst("%{conf}", "/proc/self/fd/3");
        check_subst("--config=%{conf}", "--config=/proc/self/fd/3");
        check_subst("%{conf}:%{tls.key}:%{conf}",
                    "/proc/self/fd/3:/proc/self/fd/4:/proc/self/fd/3");
        /* Undeclared names, partial and empty forms stay exactly as written. */
        check_subst("%{other}", "%{other}");
        check_subst("%{conf", "%{conf");
        check_subst("%{", "%{");
        check_subst("%", "%");
        check_subst("%{}", "%{}");
        check_subst("{conf}", "{conf}");
        check_subst("% {conf}", "% {conf}");
        check_subst("%{CONF}", "%{CONF}");
        /* "%%{" is the escape for a literal "%{", declared name or not. */
        check_subst("%%{conf}", "%{conf}");
        check_subst("%%{other}", "%{other}");
        check_subst("%%%{conf}", "%%{conf}");
        check_subst("100%", "100%");
        check_subst("%%", "%%");
        check_subst("%{%{conf}}", "%{/proc/self/fd/3}");
        check_subst("", "");
        check_subst("plain text", "plain text");
}

static void test_argv_build(void **state)
{
        char *argv[] = {"prog", "-c", "%{conf}", "%{nope}", NULL};
        char **out = NULL;

        assert_int_equal(argv_build(argv, NULL, entries, 2, &out, NULL), 0);
        assert_string_equal(out[0], "prog");
        assert_string_equal(out[1], "-c");
        assert_string_equal(out[2], "/proc/self/fd/3");
        assert_string_equal(out[3], "%{nope}");
        assert_null(out[4]);
        strv_free(out);

        assert_int_equal(argv_build(argv, "shown-name", entries, 2, &out, NULL), 0);
        assert_string_equal(out[0], "shown-name");
        assert_string_equal(out[2], "/proc/self/fd/3");
        strv_free(out);

        char *empty[] = {NULL};
        out = NULL;
        assert_int_equal(argv_build(empty, NULL, entries, 2, &out, NULL), -EINVAL);
        assert_null(out);
}

static void test_envp_build(void **state)
{
        char *base[] = {"A=1", "B=2", "PATH=/bin", "B2=x", NULL};
        struct launch_env_edit edits[] = {
            {LAUNCH_ENV_SET, "A=%{conf}"},
            {LAUNCH_ENV_UNSET, "B"},
            {LAUNCH_ENV_SET, "NEW=%{tls.key},%{undeclared}"},
            {LAUNCH_ENV_SET, "EMPTY="},
            {LAUNCH_ENV_SET, "EQ=a=b"},
        };
        char **out = NULL;

        assert_int_equal(envp_build(base, edits, 5, entries, 2, &out, NULL), 0);
        const char *want[] = {
            "PATH=/bin", "B2=x",  "A=/proc/self/fd/3", "NEW=/proc/self/fd/4,%{undeclared}",
            "EMPTY=",    "EQ=a=b"};
        assert_int_equal(strv_length(out), 6);
        for (size_t i = 0; i < 6; i++)
                assert_string_equal(out[i], want[i]);
        strv_free(out);

        /* clear empties at its place in the order: later edits still apply. */
        struct launch_env_edit clear_then_set[] = {
            {LAUNCH_ENV_SET, "X=1"},
            {LAUNCH_ENV_CLEAR, NULL},
            {LAUNCH_ENV_SET, "Y=2"},
            {LAUNCH_ENV_UNSET, "nothing"},
        };
        assert_int_equal(envp_build(base, clear_then_set, 4, entries, 2, &out, NULL), 0);
        assert_int_equal(strv_length(out), 1);
        assert_string_equal(out[0], "Y=2");
        strv_free(out);

        /* No edits: an exact copy. */
        assert_int_equal(envp_build(base, NULL, 0, entries, 2, &out, NULL), 0);
        assert_int_equal(strv_length(out), 4);
        assert_string_equal(out[3], "B2=x");
        strv_free(out);

        assert_false(env_name_is_valid("", 0));
        assert_false(env_name_is_valid("A=B", 3));
        assert_true(env_name_is_valid("A_B", 3));
}

/* --- fd planning --------------------------------------------------------- */

static void test_fd_plan(void **state)
{
        struct fd_plan plan;

        fd_plan_compute(NULL, 0, 0, &plan);
        assert_int_equal(plan.base, 3);
        assert_int_equal(plan.payload_fd, 3);

        fd_plan_compute(NULL, 0, 2, &plan);
        assert_int_equal(plan.base, 3);
        assert_int_equal(plan.payload_fd, 5);

        /* Kept fds push the files and the payload above them. */
        int keep[] = {5, 9};
        fd_plan_compute(keep, 2, 1, &plan);
        assert_int_equal(plan.base, 10);
        assert_int_equal(plan.payload_fd, 11);

        int low[] = {1, 2};
        fd_plan_compute(low, 2, 1, &plan);
        assert_int_equal(plan.base, 3);
        assert_int_equal(plan.payload_fd, 4);
}

/* --- bounding set decision ----------------------------------------------- */

static void test_bounding_plan(void **state)
{
        const uint64_t all = (UINT64_C(1) << 41) - 1;
        const uint64_t nbs = UINT64_C(1) << CAP_NET_BIND_SERVICE;

        assert_int_equal(caps_plan_bounding(true, false, true, all, 0), CAPS_BOUNDING_DROP);
        assert_int_equal(caps_plan_bounding(true, false, false, all, nbs), CAPS_BOUNDING_DROP);
        assert_int_equal(caps_plan_bounding(false, true, false, nbs, nbs), CAPS_BOUNDING_ALREADY);
        assert_int_equal(caps_plan_bounding(false, true, true, 0, 0), CAPS_BOUNDING_ALREADY);
        /* Unprivileged, no caps, not root: the bounding set cannot grant anything. */
        assert_int_equal(caps_plan_bounding(false, true, false, all, 0),
                         CAPS_BOUNDING_UNCHANGED_NNP);
        /* Root without CAP_SETPCAP: exec would grant root the bounding set. */
        assert_int_equal(caps_plan_bounding(false, true, true, all, 0), CAPS_BOUNDING_REFUSE);
        /* Holding capabilities without CAP_SETPCAP. */
        assert_int_equal(caps_plan_bounding(false, false, false, all, 0), CAPS_BOUNDING_REFUSE);
        assert_non_null(strstr(caps_bounding_plan_describe(CAPS_BOUNDING_UNCHANGED_NNP),
                               "no_new_privs prevents gaining capabilities"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_rlimit_good),
            cmocka_unit_test(test_rlimit_bad_name),
            cmocka_unit_test(test_rlimit_bad_numbers),
            cmocka_unit_test(test_rlimit_soft_above_hard),
            cmocka_unit_test(test_caps_list),
            cmocka_unit_test(test_user_resolve),
            cmocka_unit_test(test_group_resolve),
            cmocka_unit_test(test_subst),
            cmocka_unit_test(test_argv_build),
            cmocka_unit_test(test_envp_build),
            cmocka_unit_test(test_fd_plan),
            cmocka_unit_test(test_bounding_plan),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
