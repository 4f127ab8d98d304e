/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The intermediate form: building, deep copies, arches, action names. */
#include <errno.h>
#include <string.h>

#include "core_helpers.h"

static void new_policy_defaults(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_new("x", &p, NULL), 0);
        assert_string_equal(p->name, "x");
        assert_int_equal(p->default_action.kind, POLICY_ACT_KILL_PROCESS);
        assert_int_equal(p->bad_arch_action.kind, POLICY_ACT_KILL_PROCESS);
        assert_int_equal(p->n_arches, 0);
        assert_int_equal(p->n_rules, 0);
        assert_false(p->no_filter);
        sealexec_policy_free(p);
        sealexec_policy_free(NULL);
}

static void add_rule_copies_deeply(void **state)
{
        struct sealexec_policy *p = NULL;
        char name[] = "read";
        char file[] = "a.policy";
        struct policy_cmp cmps[] = {cmp(0, POLICY_CMP_EQ, 1, 0, false)};
        struct policy_clause clause = {.n_cmps = 1, .cmps = cmps};
        struct policy_rule rule = {.syscall_name = name,
                                   .action = act(POLICY_ACT_ALLOW, 0),
                                   .n_clauses = 1,
                                   .clauses = &clause,
                                   .origin = {.file = file, .line = 3, .col = 4}};
        assert_int_equal(policy_new("x", &p, NULL), 0);
        assert_int_equal(policy_add_rule(p, &rule, NULL), 0);
        /* The caller's memory is not used afterwards. */
        strcpy(name, "xxxx");
        strcpy(file, "zzzzzzzz");
        cmps[0].value = 99;
        const struct policy_rule *r = &p->rules[0];
        assert_string_equal(r->syscall_name, "read");
        assert_string_equal(r->origin.file, "a.policy");
        assert_int_equal(r->origin.line, 3);
        assert_int_equal(r->clauses[0].cmps[0].value, 1);
        assert_ptr_not_equal(r->clauses, &clause);
        sealexec_policy_free(p);
}

static void add_rule_rejects_bad_input(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        struct policy_cmp bad = cmp(6, POLICY_CMP_EQ, 1, 0, false);
        struct policy_clause clause = {.n_cmps = 1, .cmps = &bad};
        struct policy_rule rule = {.syscall_name = (char *)"read",
                                   .n_clauses = 1,
                                   .clauses = &clause,
                                   .origin = {.file = (char *)"b.policy", .line = 2, .col = 5}};
        struct policy_rule unnamed = {0};
        assert_int_equal(policy_new("x", &p, NULL), 0);
        assert_int_equal(policy_add_rule(p, &rule, &err), -EINVAL);
        assert_non_null(strstr(err.message, "b.policy:2:5:"));
        assert_int_equal(policy_add_rule(p, &unnamed, &err), -EINVAL);
        assert_int_equal(p->n_rules, 0);
        sealexec_policy_free(p);
}

static void arches_deduplicated(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_new("x", &p, NULL), 0);
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86_64, NULL), 0);
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86, NULL), 0);
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86_64, NULL), 0);
        assert_int_equal(p->n_arches, 2);
        sealexec_policy_free(p);
}

static void action_names(void **state)
{
        char buf[64];
        struct policy_action a = act(POLICY_ACT_ERRNO, EPERM);
        assert_string_equal(policy_action_name(&a, buf, sizeof(buf)), "errno(EPERM)");
        a = act(POLICY_ACT_ERRNO, 4000);
        assert_string_equal(policy_action_name(&a, buf, sizeof(buf)), "errno(4000)");
        a = act(POLICY_ACT_ALLOW, 0);
        assert_string_equal(policy_action_name(&a, buf, sizeof(buf)), "allow");
        a = act(POLICY_ACT_KILL_PROCESS, 0);
        assert_string_equal(policy_action_name(&a, buf, sizeof(buf)), "kill-process");
        a = act(POLICY_ACT_TRACE, 7);
        assert_string_equal(policy_action_name(&a, buf, sizeof(buf)), "trace(7)");
}

static void syscall_names(void **state)
{
        assert_int_equal(policy_syscall_resolve("read", SCMP_ARCH_NATIVE),
                         seccomp_syscall_resolve_name("read"));
        assert_int_equal(policy_syscall_resolve("", SCMP_ARCH_NATIVE), -ENOENT);
        assert_int_equal(policy_syscall_resolve("not_a_syscall", SCMP_ARCH_NATIVE), -ENOENT);
#ifdef __x86_64__
        assert_int_equal(policy_syscall_resolve("mseal", SCMP_ARCH_X86_64), 462);
        assert_int_equal(policy_syscall_resolve("open_tree_attr", SCMP_ARCH_X86_64), 467);
        assert_int_equal(policy_syscall_resolve("uretprobe", SCMP_ARCH_X86_64), 335);
        assert_int_equal(policy_syscall_resolve("mseal", SCMP_ARCH_AARCH64), 462);
        assert_int_equal(policy_syscall_resolve("getpid", SCMP_ARCH_X86), 20);
#endif
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(new_policy_defaults),
            cmocka_unit_test(add_rule_copies_deeply),
            cmocka_unit_test(add_rule_rejects_bad_input),
            cmocka_unit_test(arches_deduplicated),
            cmocka_unit_test(action_names),
            cmocka_unit_test(syscall_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
