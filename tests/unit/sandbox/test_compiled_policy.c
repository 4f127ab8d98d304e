/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiled policies shared across launches (sealexec_policy_compile(),
 * sealexec_policy_ref(), sealexec_policy_load_bpf_mem()): what they were
 * compiled for is checked at prepare, and sharing frees exactly once (the
 * sanitizer run catches a double free or a leak).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/filter.h>

#include "policy/policy.h"
#include "sealexec.h"

/* A text policy that denies exec: it needs the launch rule, so a launch fd. */
static sealexec_policy *deny_exec_policy(void)
{
        char path[] = "/tmp/sealexec-compiled-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        const char text[] = "@denylist\nexecve: return EPERM\nexecveat: return EPERM\n";
        assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
        close(fd);
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_load_file(path, NULL, &p, &err), 0);
        unlink(path);
        return p;
}

static sealexec_launch *new_launch(sealexec_policy *policy)
{
        sealexec_launch *l = NULL;
        sealexec_payload *payload = NULL;
        sealexec_error err = {0};
        char *const argv[] = {"true", NULL};
        assert_int_equal(sealexec_launch_new(&l, &err), 0);
        assert_int_equal(sealexec_payload_load_path("/bin/true", 0, 0, &payload, &err), 0);
        assert_int_equal(sealexec_launch_set_payload(l, payload, &err), 0);
        assert_int_equal(sealexec_launch_set_argv(l, argv, &err), 0);
        assert_int_equal(sealexec_launch_set_allow_root(l, true, &err), 0);
        assert_int_equal(sealexec_launch_set_policy(l, policy, &err), 0);
        return l;
}

static int hard_nofile_fd(void)
{
        struct rlimit rl;
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
        return (int)rl.rlim_max - 1;
}

static void compile_needs_launch_fd(void **state)
{
        sealexec_policy *p = deny_exec_policy(), *c = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_compile(p, NULL, -1, &c, &err), -EINVAL);
        assert_non_null(strstr(err.message, "launch fd"));
        assert_int_equal(sealexec_policy_compile(p, NULL, hard_nofile_fd(), &c, &err), 0);
        assert_true(c->bpf_known && c->bpf_launch_rule && !c->bpf_execve_open);
        assert_int_equal(c->bpf_launch_fd, hard_nofile_fd());
        sealexec_policy_free(c);
        sealexec_policy_free(p);
}

/* One compiled policy, two launches: both prepare, on the same exec fd. */
static void shared_across_launches(void **state)
{
        sealexec_policy *p = deny_exec_policy(), *c = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_compile(p, NULL, hard_nofile_fd(), &c, &err), 0);
        sealexec_policy_free(p);
        sealexec_launch *a = new_launch(sealexec_policy_ref(c));
        sealexec_launch *b = new_launch(sealexec_policy_ref(c));
        sealexec_policy_free(c); /* the launches hold it now */
        assert_int_equal(sealexec_launch_prepare(a, &err), 0);
        assert_int_equal(sealexec_launch_prepare(b, &err), 0);
        assert_int_equal(sealexec_launch_exec_fd(a, &err), hard_nofile_fd());
        assert_int_equal(sealexec_launch_exec_fd(b, &err), hard_nofile_fd());
        sealexec_launch_free(a);
        sealexec_launch_free(b);
}

/* A launch whose exec fd or capabilities differ is refused, not given a wrong filter. */
static void mismatch_refused(void **state)
{
        sealexec_policy *p = deny_exec_policy(), *c = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_compile(p, NULL, hard_nofile_fd(), &c, &err), 0);
        sealexec_launch *l = new_launch(sealexec_policy_ref(c));
        assert_int_equal(sealexec_launch_add_rlimit(l, "nofile=100:200", &err), 0);
        assert_int_equal(sealexec_launch_prepare(l, &err), -EINVAL);
        assert_non_null(strstr(err.message, "compiled for launch fd"));
        sealexec_launch_free(l);

        sealexec_policy *with_caps = NULL;
        assert_int_equal(
            sealexec_policy_compile(p, "CAP_CHOWN", hard_nofile_fd(), &with_caps, &err), 0);
        l = new_launch(with_caps);
        assert_int_equal(sealexec_launch_prepare(l, &err), -EINVAL);
        assert_non_null(strstr(err.message, "other kept capabilities"));
        sealexec_launch_free(l);
        sealexec_policy_free(c);
        sealexec_policy_free(p);
}

static void bpf_from_memory(void **state)
{
        struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, 0x7fff0000U)};
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_load_bpf_mem(allow, 0, 0, &p, &err), -EINVAL);
        assert_int_equal(sealexec_policy_load_bpf_mem(allow, 5, 0, &p, &err), -EINVAL);
        assert_int_equal(sealexec_policy_load_bpf_mem(allow, sizeof(allow), 0x80000000U, &p, &err),
                         -EINVAL);
        assert_int_equal(sealexec_policy_load_bpf_mem(allow, sizeof(allow), 0, &p, &err), 0);
        assert_int_equal(p->n_bpf, 1);
        assert_false(p->bpf_known);
        sealexec_launch *l = new_launch(p);
        assert_int_equal(sealexec_launch_prepare(l, &err), 0);
        sealexec_launch_free(l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(compile_needs_launch_fd),
            cmocka_unit_test(shared_across_launches),
            cmocka_unit_test(mismatch_refused),
            cmocka_unit_test(bpf_from_memory),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
