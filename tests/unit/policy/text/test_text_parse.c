/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The minijail text parser, at the level of the intermediate form: rules,
 * actions, conditions, directives, and every kind of bad input with its
 * exact FILE:LINE:COL message.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include <cmocka.h>
#include <seccomp.h>

#include "cleanup.h"
#include "policy/syscalls.h"
#include "text_helpers.h"

static struct sealexec_policy *must_parse(const char *text)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        int r = parse_text(text, &p, &err);
        if (r < 0)
                fail_msg("parse of '%s' failed: %s", text, err.message);
        assert_non_null(p);
        return p;
}

/* Parses text that must fail and checks the first message exactly. */
static void expect_error(const char *text, const char *message)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        int r = parse_text(text, &p, &err);
        assert_int_equal(r, -EINVAL);
        assert_null(p);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_int_equal(err.code, -EINVAL);
        assert_string_equal(err.message, message);
}

static void expect_file_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void expect_file_error(const char *name, const char *fmt, ...)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        char expected[2048];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(expected, sizeof(expected), fmt, ap);
        va_end(ap);
        assert_int_equal(parse_data_file(name, NULL, NULL, &p, &err), -EINVAL);
        assert_null(p);
        assert_string_equal(err.message, expected);
}

static const struct policy_cmp *cmp_of(const struct policy_rule *r, size_t clause, size_t i)
{
        assert_true(clause < r->n_clauses);
        assert_true(i < r->clauses[clause].n_cmps);
        return &r->clauses[clause].cmps[i];
}

/* --- the minijail samples ------------------------------------------------ */

static void test_sample_seccomp(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_data_file("seccomp.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 4);
        const char *names[] = {"read", "write", "rt_sigreturn", "exit"};
        const int nrs[] = {SYS_read, SYS_write, SYS_rt_sigreturn, SYS_exit};
        for (size_t i = 0; i < 4; i++) {
                assert_string_equal(p->rules[i].syscall_name, names[i]);
                assert_int_equal(p->rules[i].syscall_nr, nrs[i]);
                assert_int_equal(p->rules[i].action.kind, POLICY_ACT_ALLOW);
                assert_int_equal(p->rules[i].n_clauses, 0);
                assert_int_equal(p->rules[i].origin.line, i + 1);
                assert_int_equal(p->rules[i].origin.col, 1);
        }
        assert_int_equal(p->default_action.kind, POLICY_ACT_KILL_PROCESS);
        assert_int_equal(p->bad_arch_action.kind, POLICY_ACT_KILL_PROCESS);
        sealexec_policy_free(p);
}

static void test_sample_stdin_stdout(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_data_file("stdin_stdout.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 4);
        assert_int_equal(p->rules[0].n_clauses, 1);
        const struct policy_cmp *c = cmp_of(&p->rules[0], 0, 0);
        assert_int_equal(c->arg, 0);
        assert_int_equal(c->op, POLICY_CMP_EQ);
        assert_int_equal(c->value, 0);
        assert_int_equal(p->rules[1].n_clauses, 2);
        assert_int_equal(cmp_of(&p->rules[1], 0, 0)->value, 1);
        assert_int_equal(cmp_of(&p->rules[1], 1, 0)->value, 2);
        sealexec_policy_free(p);
}

static void test_sample_cat_with_mseal(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_data_file("cat.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 12);
        const struct policy_rule *mmap = &p->rules[9];
        assert_string_equal(mmap->syscall_name, "mmap");
        assert_int_equal(mmap->n_clauses, 2);
        assert_int_equal(cmp_of(mmap, 0, 0)->op, POLICY_CMP_IN);
        assert_int_equal(cmp_of(mmap, 0, 0)->arg, 2);
        assert_true(cmp_of(mmap, 0, 0)->value == ~(uint64_t)PROT_EXEC);
        assert_true(cmp_of(mmap, 1, 0)->value == ~(uint64_t)PROT_WRITE);
        const struct policy_rule *mseal = &p->rules[10];
        assert_string_equal(mseal->syscall_name, "mseal");
        /* libseccomp 2.5 does not know mseal; sealexec's table does. */
        assert_int_equal(mseal->syscall_nr, policy_syscall_resolve("mseal", seccomp_arch_native()));
#if defined(__x86_64__)
        assert_int_equal(mseal->syscall_nr, 462);
#endif
        sealexec_policy_free(p);
}

static void test_sample_denylist(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_data_file("cros_default_v0.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 1);
        assert_string_equal(p->rules[0].syscall_name, "bpf");
        assert_int_equal(p->rules[0].action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->rules[0].action.data, EPERM);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ALLOW);
        assert_int_equal(p->bad_arch_action.kind, POLICY_ACT_KILL_PROCESS);
        sealexec_policy_free(p);
}

static void test_sample_invalid(void **state)
{
        expect_file_error("invalid_arg_filter.policy",
                          "%s/invalid_arg_filter.policy:1:7: invalid argument 'argnn': expected "
                          "arg0 to arg5",
                          POLICY_DIR);
        expect_file_error("invalid_syscall_name.policy",
                          "%s/invalid_syscall_name.policy:1:1: unknown syscall 'notasyscall'",
                          POLICY_DIR);
        expect_file_error("nested.policy",
                          "%s/nested.policy:1:10: cannot include '%s/test/nested.policy': No "
                          "such file or directory",
                          POLICY_DIR, POLICY_DIR);
}

/* --- actions ------------------------------------------------------------- */

static void test_actions(void **state)
{
        static const struct {
                const char *filter;
                enum policy_action_kind kind;
                uint32_t data;
        } cases[] = {
            {"1", POLICY_ACT_ALLOW, 0},
            {"allow", POLICY_ACT_ALLOW, 0},
            {"kill", POLICY_ACT_KILL_PROCESS, 0},
            {"kill-process", POLICY_ACT_KILL_PROCESS, 0},
            {"kill-thread", POLICY_ACT_KILL_THREAD, 0},
            {"trap", POLICY_ACT_TRAP, 0},
            {"trace", POLICY_ACT_TRACE, 0},
            {"log", POLICY_ACT_LOG, 0},
            {"user-notify", POLICY_ACT_USER_NOTIF, 0},
            {"return EPERM", POLICY_ACT_ERRNO, EPERM},
            {"return ENOSYS", POLICY_ACT_ERRNO, ENOSYS},
            {"return 13", POLICY_ACT_ERRNO, 13},
            {"return 0x10", POLICY_ACT_ERRNO, 16},
            {"return 4095", POLICY_ACT_ERRNO, 4095},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char text[128];
                snprintf(text, sizeof(text), "getpid: %s\n", cases[i].filter);
                struct sealexec_policy *p = must_parse(text);
                assert_int_equal(p->n_rules, 1);
                assert_int_equal(p->rules[0].action.kind, cases[i].kind);
                assert_int_equal(p->rules[0].action.data, cases[i].data);
                sealexec_policy_free(p);
        }
        expect_error("getpid: return 4096", "mem.policy:1:16: errno 4096 out of range (0 to 4095)");
        expect_error("getpid: return -1", "mem.policy:1:16: errno -1 out of range (0 to 4095)");
        expect_error("getpid: return", "mem.policy:1:15: missing errno after 'return'");
        expect_error("getpid: return ENOTANERRNO",
                     "mem.policy:1:16: unknown constant 'ENOTANERRNO'");
        expect_error("getpid: 2", "mem.policy:1:9: invalid action '2'");
        expect_error("getpid: deny", "mem.policy:1:9: invalid action 'deny'");
        expect_error("getpid:", "mem.policy:1:8: missing action");
        expect_error("getpid: arg0 == 1; ", "mem.policy:1:20: missing action");
}

/* --- expressions ----------------------------------------------------------- */

static void test_operators(void **state)
{
        static const struct {
                const char *op;
                enum policy_cmp_op cmp;
        } cases[] = {
            {"==", POLICY_CMP_EQ},      {"!=", POLICY_CMP_NE}, {"<", POLICY_CMP_LT},
            {"<=", POLICY_CMP_LE},      {">", POLICY_CMP_GT},  {">=", POLICY_CMP_GE},
            {"&", POLICY_CMP_ANY_BITS}, {"in", POLICY_CMP_IN},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char text[128];
                /* arg2, an unsigned long: no low32 from the argument's width. */
                snprintf(text, sizeof(text), "ioctl: arg2 %s 0x5401", cases[i].op);
                struct sealexec_policy *p = must_parse(text);
                const struct policy_cmp *c = cmp_of(&p->rules[0], 0, 0);
                assert_int_equal(c->arg, 2);
                assert_int_equal(c->op, cases[i].cmp);
                assert_int_equal(c->value, 0x5401);
                assert_false(c->low32);
                assert_int_equal(p->rules[0].action.kind, POLICY_ACT_ALLOW);
                sealexec_policy_free(p);
        }
        expect_error("ioctl: arg1 => 1", "mem.policy:1:13: invalid operator '=': expected ==, !=, "
                                         "<, <=, >, >=, & or in");
        expect_error("ioctl: arg1", "mem.policy:1:12: missing operator after 'arg1'");
        expect_error("ioctl: arg6 == 1",
                     "mem.policy:1:8: argument 'arg6' out of range: syscalls have arg0 to arg5");
        expect_error("ioctl: arg0 == 1 && arg99 == 1",
                     "mem.policy:1:21: argument 'arg99' out of range: syscalls have arg0 to arg5");
        expect_error("ioctl: arg0 == 1 ||", "mem.policy:1:20: missing argument (arg0 to arg5)");
        expect_error("ioctl: arg0 ==", "mem.policy:1:15: missing value");
        expect_error("ioctl: arg0 == 1 arg1",
                     "mem.policy:1:18: unexpected 'arg1' after the filter");
        expect_error("ioctl: (arg0 == 1)",
                     "mem.policy:1:8: parentheses around argument expressions are not supported; "
                     "write a || b && c (&& binds tighter)");
        expect_error("ioctl: arg0 ! 1", "mem.policy:1:13: invalid character '!'");
}

static void test_precedence(void **state)
{
        struct sealexec_policy *p =
            must_parse("ioctl: arg0 == 1 || arg1 == 2 && arg2 == 3 || arg3 == 4 && arg4 == 5 "
                       "&& arg5 == 6; return EPERM\n");
        const struct policy_rule *r = &p->rules[0];
        assert_int_equal(r->action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(r->n_clauses, 3);
        assert_int_equal(r->clauses[0].n_cmps, 1);
        assert_int_equal(r->clauses[1].n_cmps, 2);
        assert_int_equal(r->clauses[2].n_cmps, 3);
        assert_int_equal(cmp_of(r, 1, 1)->arg, 2);
        assert_int_equal(cmp_of(r, 1, 1)->value, 3);
        for (unsigned i = 0; i < 3; i++) {
                assert_int_equal(cmp_of(r, 2, i)->arg, 3 + i);
                assert_int_equal(cmp_of(r, 2, i)->value, 4 + i);
        }
        sealexec_policy_free(p);
}

static uint64_t value_of(const char *value, bool *low32)
{
        char text[256];
        /* mmap's arg2 is an unsigned long: low32 only from the value. */
        snprintf(text, sizeof(text), "mmap: arg2 == %s", value);
        struct sealexec_policy *p = must_parse(text);
        const struct policy_cmp *c = cmp_of(&p->rules[0], 0, 0);
        uint64_t v = c->value;
        *low32 = c->low32;
        sealexec_policy_free(p);
        return v;
}

static void test_values(void **state)
{
        bool low32;
        assert_true(value_of("42", &low32) == 42 && !low32);
        assert_true(value_of("0x2A", &low32) == 42 && !low32);
        assert_true(value_of("052", &low32) == 42 && !low32);
        assert_true(value_of("0", &low32) == 0 && !low32);
        assert_true(value_of("0xffffffffffffffff", &low32) == UINT64_MAX && !low32);
        assert_true(value_of("0xffffffff", &low32) == 0xffffffffu && !low32);
        assert_true(value_of("O_RDONLY", &low32) == O_RDONLY);
        assert_true(value_of("O_WRONLY|O_CREAT|O_CLOEXEC", &low32) ==
                    (uint64_t)(O_WRONLY | O_CREAT | O_CLOEXEC));
        assert_true(value_of("~PROT_EXEC", &low32) == ~(uint64_t)PROT_EXEC && !low32);
        assert_true(value_of("~(PROT_EXEC|PROT_WRITE)", &low32) ==
                    ~(uint64_t)(PROT_EXEC | PROT_WRITE));
        assert_true(value_of("((((1))))|(2|(4))", &low32) == 7);
        assert_true(value_of("PROT_READ|~PROT_EXEC", &low32) == ~(uint64_t)PROT_EXEC);
        /* Negative ints match both the zero- and the sign-extended form. */
        assert_true(value_of("-1", &low32) == UINT64_MAX && low32);
        assert_true(value_of("-0x80000000", &low32) == (uint64_t)(int64_t)INT32_MIN && low32);
        assert_true(value_of("AT_FDCWD", &low32) == (uint64_t)(int64_t)AT_FDCWD && low32);
        /* Outside the int range the value is a 64-bit one. */
        assert_true(value_of("-5000000000", &low32) == (uint64_t)INT64_C(-5000000000) && !low32);
        assert_true(value_of("-0x8000000000000000", &low32) == (UINT64_C(1) << 63) && !low32);
        assert_true(value_of("~0", &low32) == UINT64_MAX && !low32);

        expect_error("openat: arg2 == 0x10000000000000000",
                     "mem.policy:1:17: number '0x10000000000000000' out of range");
        expect_error("openat: arg2 == -0x8000000000000001",
                     "mem.policy:1:17: number '-0x8000000000000001' out of range");
        expect_error("openat: arg2 == 0x", "mem.policy:1:17: invalid number '0x'");
        expect_error("openat: arg2 == 09", "mem.policy:1:17: invalid number '09'");
        expect_error("openat: arg2 == 12abc", "mem.policy:1:17: invalid number '12abc'");
        expect_error("openat: arg2 == O_RDONLY|NOT_A_CONSTANT",
                     "mem.policy:1:26: unknown constant 'NOT_A_CONSTANT'");
        expect_error("openat: arg2 == ~~1", "mem.policy:1:18: invalid double complement");
        expect_error("openat: arg2 == (1|2", "mem.policy:1:17: unclosed '('");
        expect_error("openat: arg2 == (1 2)", "mem.policy:1:20: expected ')', found '2'");
        expect_error("openat: arg2 == 1)", "mem.policy:1:18: unexpected ')' after the filter");
        expect_error("openat: arg2 == |1",
                     "mem.policy:1:17: expected a number or a constant, found '|'");
}

static void test_constants_generated(void **state)
{
        static const struct {
                const char *name;
                uint64_t value;
        } cases[] = {
            {"O_RDONLY", O_RDONLY},
            {"PROT_EXEC", PROT_EXEC},
            {"CLONE_THREAD", CLONE_THREAD},
            {"PR_SET_NAME", PR_SET_NAME},
            {"AF_UNIX", AF_UNIX},
            {"SOCK_CLOEXEC", SOCK_CLOEXEC},
            {"FIONBIO", FIONBIO},
            {"TCGETS", TCGETS},
            {"TCSETS", TCSETS},
            {"TIOCGWINSZ", TIOCGWINSZ},
            {"TIOCSWINSZ", TIOCSWINSZ},
            {"FIONREAD", FIONREAD},
            {"FIOCLEX", FIOCLEX},
            {"TIOCSTI", TIOCSTI},
            {"TIOCLINUX", TIOCLINUX},
            {"MADV_DONTNEED", MADV_DONTNEED},
            {"F_GETFD", F_GETFD},
            {"EPERM", EPERM},
            {"EACCES", EACCES},
            {"SIGKILL", SIGKILL},
            {"SIGSYS", SIGSYS},
            {"MAP_PRIVATE", MAP_PRIVATE},
            {"FUTEX_WAIT", 0},
            {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                bool low32;
                uint64_t v = value_of(cases[i].name, &low32);
                if (v != cases[i].value)
                        fail_msg("%s: %llu, expected %llu", cases[i].name, (unsigned long long)v,
                                 (unsigned long long)cases[i].value);
                assert_false(low32);
        }
        /* Handlers and functions are not integer constants. */
        expect_error("openat: arg2 == SIG_DFL", "mem.policy:1:17: unknown constant 'SIG_DFL'");
        expect_error("openat: arg2 == SIGRTMIN", "mem.policy:1:17: unknown constant 'SIGRTMIN'");
}

static void test_paren_depth(void **state)
{
        const size_t depth = 100000;
        char *text = malloc(depth * 2 + 64);
        size_t n = (size_t)sprintf(text, "read: arg0 == ");
        for (size_t i = 0; i < depth; i++)
                text[n++] = '(';
        text[n++] = '1';
        for (size_t i = 0; i < depth; i++)
                text[n++] = ')';
        text[n] = '\0';
        /* 64 levels are fine; the 65th '(' (column 15 + 64) is refused. */
        expect_error(text, "mem.policy:1:79: parentheses nested deeper than 64");
        memset(text + 14 + 64, ' ', depth - 64);
        memset(text + 14 + depth + 1 + 64, ' ', depth - 64);
        struct sealexec_policy *p = must_parse(text);
        assert_int_equal(cmp_of(&p->rules[0], 0, 0)->value, 1);
        sealexec_policy_free(p);
        /* Unbalanced the other way. */
        text[14 + 10] = ' ';
        char expected[128];
        snprintf(expected, sizeof(expected), "mem.policy:1:%zu: unexpected ')' after the filter",
                 14 + depth + 1 + 63 + 1);
        expect_error(text, expected);
        free(text);
}

/* --- statements -------------------------------------------------------------- */

static void test_accumulation_and_lists(void **state)
{
        struct sealexec_policy *p = must_parse("# comment line\n"
                                               "\n"
                                               "read: arg0 == 0   # trailing comment\n"
                                               "{write, writev}: {arg0 == 1, arg0 == 2; return "
                                               "EBADF, kill}\n"
                                               "read: arg0 == 3; return EPERM\n"
                                               "read: trap\n");
        assert_int_equal(p->n_rules, 9);
        const struct {
                const char *name;
                enum policy_action_kind kind;
                size_t clauses;
                unsigned line, col;
        } want[] = {
            {"read", POLICY_ACT_ALLOW, 1, 3, 1},
            {"write", POLICY_ACT_ALLOW, 1, 4, 2},
            {"write", POLICY_ACT_ERRNO, 1, 4, 2},
            {"write", POLICY_ACT_KILL_PROCESS, 0, 4, 2},
            {"writev", POLICY_ACT_ALLOW, 1, 4, 9},
            {"writev", POLICY_ACT_ERRNO, 1, 4, 9},
            {"writev", POLICY_ACT_KILL_PROCESS, 0, 4, 9},
            {"read", POLICY_ACT_ERRNO, 1, 5, 1},
            {"read", POLICY_ACT_TRAP, 0, 6, 1},
        };
        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                assert_string_equal(p->rules[i].syscall_name, want[i].name);
                assert_int_equal(p->rules[i].action.kind, want[i].kind);
                assert_int_equal(p->rules[i].n_clauses, want[i].clauses);
                assert_int_equal(p->rules[i].origin.line, want[i].line);
                assert_int_equal(p->rules[i].origin.col, want[i].col);
                assert_string_equal(p->rules[i].origin.file, "mem.policy");
        }
        assert_int_equal(p->rules[2].action.data, EBADF);
        assert_int_equal(cmp_of(&p->rules[2], 0, 0)->value, 2);
        sealexec_policy_free(p);
}

static void test_unconditional_twice(void **state)
{
        expect_error("read: 1\nread: return EPERM\n",
                     "mem.policy:2:1: syscall 'read' already has an unconditional action (at "
                     "mem.policy:1:7)");
        expect_error("read: 1\nread: arg0 == 1\n",
                     "mem.policy:2:1: rule for syscall 'read' is unreachable: the unconditional "
                     "action at mem.policy:1:7 comes first");
        expect_error("read: {kill, arg0 == 1}\n",
                     "mem.policy:1:1: rule for syscall 'read' is unreachable: the unconditional "
                     "action at mem.policy:1:8 comes first");
        expect_error("{read, write}: 1\n{close, write}: 1\n",
                     "mem.policy:2:9: syscall 'write' already has an unconditional action (at "
                     "mem.policy:1:16)");
}

static void test_syntax_errors(void **state)
{
        expect_error("read 1", "mem.policy:1:6: expected ':' after the syscall name, found '1'");
        expect_error("read", "mem.policy:1:5: missing ':' after the syscall name");
        expect_error(": 1", "mem.policy:1:1: expected a syscall name, found ':'");
        expect_error("{read, write: 1", "mem.policy:1:13: expected ',' or '}', found ':'");
        expect_error("{read, write", "mem.policy:1:1: unclosed '{'");
        expect_error("{read,}: 1", "mem.policy:1:7: expected a syscall name, found '}'");
        expect_error("read: {1, 2", "mem.policy:1:11: invalid action '2'");
        expect_error("read: {1, arg0 == 1", "mem.policy:1:7: unclosed '{'");
        expect_error("read: {arg0 == 1 kill}",
                     "mem.policy:1:18: expected ',' or '}', found 'kill'");
        expect_error("read: 1 }", "mem.policy:1:9: unexpected '}' after the filter");
        expect_error("read: 1\nbogus: 1\n", "mem.policy:2:1: unknown syscall 'bogus'");
        expect_error("read: 1\n  \t write: 1 $\n", "mem.policy:2:14: invalid character '$'");
        expect_error("foo@bar: 1", "mem.policy:1:1: syscall groups ('foo@bar') are not supported");
        expect_error("read[os=linux]: 1",
                     "mem.policy:1:6: unknown metadata key 'os' (only 'arch')");
        expect_error("read[arch=x86_64: 1", "mem.policy:1:17: expected ']', found ':'");
}

static void test_binary_garbage(void **state)
{
        static const char garbage[] = "read: 1\nwri\0te: 1\n\xff\xfe\x01\n";
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        struct policy_diag diag = {0};
        int r =
            policy_parse_text("bin.policy", garbage, sizeof(garbage) - 1, NULL, &diag, &p, &err);
        assert_int_equal(r, -EINVAL);
        assert_null(p);
        assert_string_equal(err.message, "bin.policy:2:4: invalid byte 0x00");
        assert_int_equal(diag.count, 2);
        assert_string_equal(diag.text, "bin.policy:2:4: invalid byte 0x00\n"
                                       "bin.policy:3:1: invalid byte 0xff\n");
        policy_diag_done(&diag);

        /* Random bytes: whatever they are, a clean error and no crash. */
        char buf[4096];
        unsigned seed = 12345;
        for (int round = 0; round < 200; round++) {
                for (size_t i = 0; i < sizeof(buf); i++) {
                        seed = seed * 1103515245 + 12345;
                        buf[i] = (char)(seed >> 16);
                }
                struct policy_diag d = {0};
                p = NULL;
                r = policy_parse_text("rand.policy", buf, sizeof(buf), NULL, &d, &p, &err);
                assert_int_equal(r, -EINVAL);
                assert_null(p);
                assert_true(d.count > 0);
                policy_diag_done(&d);
        }
}

static void test_empty(void **state)
{
        expect_error("", "mem.policy:1:1: empty policy: it names no syscall");
        expect_error("# only a comment\n\n   \n",
                     "mem.policy:1:1: empty policy: it names no syscall");
        expect_error("@default kill\n", "mem.policy:1:1: empty policy: it names no syscall");
        expect_error("@denylist\n", "mem.policy:1:1: empty policy: it names no syscall");
        /* No text at all is the same as empty text. */
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(policy_parse_text("null.policy", NULL, 0, NULL, NULL, &p, &err), -EINVAL);
        assert_string_equal(err.message, "null.policy:1:1: empty policy: it names no syscall");
}

static void test_continuation(void **state)
{
        struct sealexec_policy *p = must_parse("write: arg0 == 1 || \\\n   arg0 == 2\nread: 1\n");
        assert_int_equal(p->n_rules, 2);
        assert_int_equal(p->rules[0].n_clauses, 2);
        assert_int_equal(p->rules[1].origin.line, 3);
        sealexec_policy_free(p);
        expect_error("write: arg0 == 1 || \\\n   arg0 == X\n",
                     "mem.policy:2:12: unknown constant 'X'");
}

static void test_arch_metadata(void **state)
{
        struct sealexec_policy *p = must_parse("read[arch=nosucharch]: 1\nwrite: 1\n");
        assert_int_equal(p->n_rules, 1);
        assert_string_equal(p->rules[0].syscall_name, "write");
        sealexec_policy_free(p);
#if defined(__x86_64__)
        p = must_parse("read[arch=aarch64,x86_64]: 1\n{write[arch=arm], close}: 1\n");
        assert_int_equal(p->n_rules, 2);
        assert_string_equal(p->rules[0].syscall_name, "read");
        assert_string_equal(p->rules[1].syscall_name, "close");
        sealexec_policy_free(p);
#endif
}

/* --- directives -------------------------------------------------------------- */

static void test_include(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        char file[4096];
        assert_int_equal(parse_data_file("inc_main.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 3);
        assert_string_equal(p->rules[0].syscall_name, "read");
        assert_string_equal(p->rules[1].syscall_name, "write");
        assert_string_equal(p->rules[2].syscall_name, "exit_group");
        snprintf(file, sizeof(file), "%s/inc/io.policy", POLICY_DIR);
        assert_string_equal(p->rules[1].origin.file, file);
        assert_int_equal(p->rules[1].origin.line, 3);
        snprintf(file, sizeof(file), "%s/inc_main.policy", POLICY_DIR);
        assert_string_equal(p->rules[2].origin.file, file);
        sealexec_policy_free(p);

        expect_error("@include\n", "mem.policy:1:9: missing path after @include");
        expect_error("@include foo\n",
                     "mem.policy:1:10: invalid path 'foo' after @include: write /absolute "
                     "or ./relative");
        expect_error("@include /dev/null extra\n",
                     "mem.policy:1:20: unexpected 'extra' after the path");
        expect_error("@include /dev/null\n",
                     "mem.policy:1:10: cannot include '/dev/null': not a regular file");
        expect_error("@include /\n", "mem.policy:1:10: cannot include '/': not a regular file");
        expect_error("@bogus\n", "mem.policy:1:1: unknown directive '@bogus'");
}

static void test_include_cycle(void **state)
{
        expect_file_error("cycle_a.policy",
                          "%s/cycle_b.policy:3:10: include cycle: %s/cycle_a.policy -> "
                          "%s/cycle_b.policy -> %s/cycle_a.policy",
                          POLICY_DIR, POLICY_DIR, POLICY_DIR, POLICY_DIR);
        expect_file_error("self_include.policy",
                          "%s/self_include.policy:1:10: include cycle: %s/self_include.policy -> "
                          "%s/self_include.policy",
                          POLICY_DIR, POLICY_DIR, POLICY_DIR);
}

static void test_include_depth(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        /* d1 -> d2 -> ... -> d9: eight nested includes, the limit. */
        assert_int_equal(parse_data_file("deep/d1.policy", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 1);
        sealexec_policy_free(p);
        expect_file_error("deep/d0.policy", "%s/deep/d8.policy:1:10: include depth exceeds 8",
                          POLICY_DIR);
}

static void test_default(void **state)
{
        static const struct {
                const char *action;
                enum policy_action_kind kind;
                uint32_t data;
        } cases[] = {
            {"kill", POLICY_ACT_KILL_PROCESS, 0},
            {"kill-process", POLICY_ACT_KILL_PROCESS, 0},
            {"kill-thread", POLICY_ACT_KILL_THREAD, 0},
            {"trap", POLICY_ACT_TRAP, 0},
            {"user-notify", POLICY_ACT_USER_NOTIF, 0},
            {"return ENOSYS", POLICY_ACT_ERRNO, ENOSYS},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char text[128];
                snprintf(text, sizeof(text), "read: 1\n@default %s\nwrite: 1\n", cases[i].action);
                struct sealexec_policy *p = must_parse(text);
                assert_int_equal(p->default_action.kind, cases[i].kind);
                assert_int_equal(p->default_action.data, cases[i].data);
                assert_int_equal(p->n_rules, 2);
                sealexec_policy_free(p);
        }
        expect_error("@default allow\nread: 1\n",
                     "mem.policy:1:10: permissive @default 'allow' refused: use @denylist for a "
                     "policy that lists what is denied");
        expect_error("@default 1\nread: 1\n",
                     "mem.policy:1:10: permissive @default '1' refused: use @denylist for a "
                     "policy that lists what is denied");
        expect_error("@default log\nread: 1\n",
                     "mem.policy:1:10: permissive @default 'log' refused: use @denylist for a "
                     "policy that lists what is denied");
        expect_error("@default kill\n@default trap\nread: 1\n",
                     "mem.policy:2:1: duplicate @default");
        expect_error("@default\nread: 1\n", "mem.policy:1:9: missing action");
        expect_error("@default kill trap\nread: 1\n",
                     "mem.policy:1:15: unexpected 'trap' after the @default action");
        expect_file_error("include_default.policy",
                          "%s/inc/has_default.policy:2:1: @default is only allowed in the "
                          "top-level policy, not in an included file",
                          POLICY_DIR);
}

static void test_denylist(void **state)
{
        struct sealexec_policy *p = must_parse("@denylist\nptrace: kill\nbpf: arg0 == 5; return "
                                               "EPERM\nmount: trap\n");
        assert_int_equal(p->default_action.kind, POLICY_ACT_ALLOW);
        assert_int_equal(p->n_rules, 3);
        assert_int_equal(p->rules[0].action.kind, POLICY_ACT_KILL_PROCESS);
        assert_int_equal(p->rules[1].action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->rules[1].n_clauses, 1);
        sealexec_policy_free(p);
        expect_error("@denylist\nread: 1\n",
                     "mem.policy:2:7: a @denylist policy lists what is denied: use return ERRNO, "
                     "kill or trap, not an allowing action");
        expect_error("@denylist\nread: arg0 == 1\n",
                     "mem.policy:2:7: a @denylist policy lists what is denied: use return ERRNO, "
                     "kill or trap, not an allowing action");
        expect_error("@denylist\nread: arg0 == 1; log\n",
                     "mem.policy:2:18: a @denylist policy lists what is denied: use return ERRNO, "
                     "kill or trap, not an allowing action");
        expect_error("bpf: kill\n@denylist\n",
                     "mem.policy:2:1: @denylist must come before the first rule");
        expect_error("@default kill\n@denylist\nbpf: kill\n",
                     "mem.policy:2:1: @default cannot be combined with @denylist");
        expect_error("@denylist\n@default kill\nbpf: kill\n",
                     "mem.policy:2:1: @default cannot be combined with @denylist");
        expect_error("@denylist now\nbpf: kill\n",
                     "mem.policy:1:11: unexpected 'now' after @denylist");
}

static void test_frequency(void **state)
{
        struct sealexec_policy *p = must_parse("@frequency ./does-not-matter.frequency\nread: 1\n");
        assert_int_equal(p->n_rules, 1);
        sealexec_policy_free(p);
        expect_error("@frequency\nread: 1\n", "mem.policy:1:11: missing path after @frequency");
}

/* --- diagnostics ------------------------------------------------------------- */

static void test_diag_collects_all(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        struct policy_diag diag = {0};
        char expected[8192];

        assert_int_equal(parse_data_file("many_errors.policy", NULL, &diag, &p, &err), -EINVAL);
        assert_null(p);
        const char *f = POLICY_DIR "/many_errors.policy";
        snprintf(expected, sizeof(expected),
                 "%s:3:1: unknown syscall 'notasyscall'\n"
                 "%s:4:8: argument 'arg6' out of range: syscalls have arg0 to arg5\n"
                 "%s:5:16: unknown constant 'NOT_A_CONSTANT'\n"
                 "%s:6:6: expected ':' after the syscall name, found 'arg0'\n"
                 "%s:7:1: syscall 'read' already has an unconditional action (at %s:2:7)\n"
                 "%s:8:14: invalid operator '=': expected ==, !=, <, <=, >, >=, & or in\n",
                 f, f, f, f, f, f, f);
        assert_string_equal(diag.text, expected);
        assert_int_equal(diag.count, 6);
        snprintf(expected, sizeof(expected), "%s:3:1: unknown syscall 'notasyscall'", f);
        assert_string_equal(err.message, expected);
        policy_diag_done(&diag);

        /* Without a collector, only the first error. */
        memset(&err, 0, sizeof(err));
        assert_int_equal(parse_data_file("many_errors.policy", NULL, NULL, &p, &err), -EINVAL);
        assert_string_equal(err.message, expected);
}

/* --- size and speed ------------------------------------------------------------ */

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills text with copies of unit until size; returns the length used. */
static size_t fill(char *text, size_t size, const char *unit)
{
        size_t n = 0, len = strlen(unit);
        while (n + len <= size) {
                memcpy(text + n, unit, len);
                n += len;
        }
        return n;
}

static void test_large_inputs(void **state)
{
        const size_t size = 100u * 1024 * 1024;
        char *text = malloc(size);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_non_null(text);
        double t0 = now();

        /*
         * 100 MB of comments, blank lines, directives and 8192 conditional
         * rules: all of it parsed, in one pass.
         */
        static const char unit[] = "# a comment line that says nothing at all\n\n"
                                   "@frequency ./unused.frequency   # trailing comment\n";
        size_t n = fill(text, size, unit);
        size_t stride = n / (sizeof(unit) - 1) / 8192 * (sizeof(unit) - 1);
        /* A rule replaces the start of a unit; the rest stays a comment. */
        for (size_t i = 0; i < 8192; i++)
                memcpy(text + i * stride, "read: arg0 == 1\n#", 17);
        assert_int_equal(policy_parse_text("big.policy", text, n, NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 8192);
        sealexec_policy_free(p);
        p = NULL;

        /* 100 MB in a single line, of blanks or of one token. */
        memset(text, ' ', size);
        memcpy(text, "read: ", 6);
        assert_int_equal(policy_parse_text("wide.policy", text, size, NULL, NULL, &p, &err),
                         -EINVAL);
        char expected[64];
        snprintf(expected, sizeof(expected), "wide.policy:1:%zu: missing action", size + 1);
        assert_string_equal(err.message, expected);
        memset(text, 'a', size);
        assert_int_equal(policy_parse_text("wide.policy", text, size, NULL, NULL, &p, &err),
                         -EINVAL);
        assert_string_equal(err.message, "wide.policy:1:1: line longer than 1048576 bytes");
        assert_null(p);

        /* 32 MiB of bad lines: every one reported, the collector capped. */
        struct policy_diag diag = {0};
        static const char bad[] = "read: arg0 == NOPE\n";
        n = fill(text, 32u * 1024 * 1024, bad);
        assert_int_equal(policy_parse_text("bad.policy", text, n, NULL, &diag, &p, &err), -EINVAL);
        assert_int_equal(diag.count, n / (sizeof(bad) - 1));
        assert_true(diag.len < 200 * 1000);
        policy_diag_done(&diag);

        /* Linear: seconds, not minutes, even under sanitizers. */
        assert_true(now() - t0 < 120.0);
        free(text);
}

/* --- constants.json -------------------------------------------------------------- */

static void test_constants_json(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        const char *json = POLICY_DIR "/constants.json";
        const char *text = "read: arg0 == SEALEXEC_TEST_FLAG|O_RDONLY || arg0 == "
                           "SEALEXEC_TEST_NEGATIVE\nsealexec_test_call: 1\nwrite: arg2 == "
                           "O_WRONLY\n";

        assert_int_equal(policy_parse_text("j.policy", text, strlen(text), json, NULL, &p, &err),
                         0);
        assert_int_equal(p->n_rules, 3);
        /* constants.json wins over the headers for constants... */
        assert_int_equal(cmp_of(&p->rules[0], 0, 0)->value, 4096 | 7);
        assert_true(cmp_of(&p->rules[0], 1, 0)->value == (uint64_t)INT64_C(-5));
        assert_true(cmp_of(&p->rules[0], 1, 0)->low32);
        /* ...but not for syscalls this system knows: read stays read. */
        assert_int_equal(p->rules[0].syscall_nr, SYS_read);
        assert_int_equal(p->rules[1].syscall_nr, 4000);
        /* Names it does not define still come from the headers. */
        assert_int_equal(cmp_of(&p->rules[2], 0, 0)->value, O_WRONLY);
        sealexec_policy_free(p);

        p = NULL;
        assert_int_equal(policy_parse_text("j.policy", text, strlen(text),
                                           POLICY_DIR "/constants_other_arch.json", NULL, &p, &err),
                         -EINVAL);
        assert_null(p);
        assert_non_null(strstr(err.message, "constants_other_arch.json': made for architecture "
                                            "0x1, but this system is"));
        assert_int_equal(policy_parse_text("j.policy", text, strlen(text),
                                           POLICY_DIR "/missing.json", NULL, &p, &err),
                         -ENOENT);
        assert_int_equal(policy_parse_text("j.policy", text, strlen(text),
                                           POLICY_DIR "/seccomp.policy", NULL, &p, &err),
                         -EINVAL);
        assert_non_null(strstr(err.message, "seccomp.policy:1:"));
        /* Without the file, its names are unknown. */
        expect_error("sealexec_test_call: 1",
                     "mem.policy:1:1: unknown syscall 'sealexec_test_call'");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sample_seccomp),
            cmocka_unit_test(test_sample_stdin_stdout),
            cmocka_unit_test(test_sample_cat_with_mseal),
            cmocka_unit_test(test_sample_denylist),
            cmocka_unit_test(test_sample_invalid),
            cmocka_unit_test(test_actions),
            cmocka_unit_test(test_operators),
            cmocka_unit_test(test_precedence),
            cmocka_unit_test(test_values),
            cmocka_unit_test(test_constants_generated),
            cmocka_unit_test(test_paren_depth),
            cmocka_unit_test(test_accumulation_and_lists),
            cmocka_unit_test(test_unconditional_twice),
            cmocka_unit_test(test_syntax_errors),
            cmocka_unit_test(test_binary_garbage),
            cmocka_unit_test(test_empty),
            cmocka_unit_test(test_continuation),
            cmocka_unit_test(test_arch_metadata),
            cmocka_unit_test(test_include),
            cmocka_unit_test(test_include_cycle),
            cmocka_unit_test(test_include_depth),
            cmocka_unit_test(test_default),
            cmocka_unit_test(test_denylist),
            cmocka_unit_test(test_frequency),
            cmocka_unit_test(test_diag_collects_all),
            cmocka_unit_test(test_large_inputs),
            cmocka_unit_test(test_constants_json),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
