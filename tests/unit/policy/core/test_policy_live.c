/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default profile loaded for real, in a forked child: getppid works,
 * ptrace and io_uring_setup get EPERM, clone3 gets ENOSYS. The child reports
 * through its exit status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core_helpers.h"

static int child(scmp_filter_ctx sctx, pid_t parent)
{
        if (seccomp_load(sctx) < 0)
                return 10;
        if (getppid() != parent)
                return 11;
        errno = 0;
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != -1 || errno != EPERM)
                return 12;
        errno = 0;
        if (syscall(SYS_io_uring_setup, 1, NULL) != -1 || errno != EPERM)
                return 13;
        errno = 0;
        if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
                return 14;
        /* the filter is really there */
        if (prctl(PR_GET_SECCOMP) != 2)
                return 15;
        return 0;
}

static void default_profile_live(void **state)
{
        struct sealexec_policy *p = NULL;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        scmp_filter_ctx sctx = NULL;
        sealexec_error err = {0};
        assert_int_equal(policy_profile_load("default", &p, &err), 0);
        if (policy_compile(p, &ctx, &sctx, &err) < 0)
                fail_msg("%s", err.message);
        pid_t parent = getpid();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(child(sctx, parent));
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        seccomp_release(sctx);
        sealexec_policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(default_profile_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
