/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCI / Docker seccomp JSON loader, checked on the intermediate form:
 * Docker's default profile resolved for several hosts, every action and
 * operator, runc's argument semantics, the config.json form, skipped names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_skip.h"
#include <linux/capability.h>

#include "json_helpers.h"
#include "policy/json/json-index.h"

#define BIT(cap) (UINT64_C(1) << (cap))

static bool has_arches(const struct sealexec_policy *p, size_t n, ...)
{
        va_list ap;
        bool ok = p->n_arches == n;
        va_start(ap, n);
        for (size_t i = 0; i < n; i++) {
                uint32_t a = va_arg(ap, uint32_t);
                if (ok && p->arches[i] != a)
                        ok = false;
        }
        va_end(ap);
        return ok;
}

static struct sealexec_policy *load_docker(const struct json_host *host)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        int r = parse_profile_file("docker-default.json", host, NULL, &p, &err);
        if (r < 0)
                fail_msg("docker-default.json: %s", err.message);
        assert_non_null(p);
        return p;
}

static void test_docker_x86_64(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = load_docker(&host);

        assert_true(has_arches(p, 3, SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32));
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->default_action.data, 1);
        assert_int_equal(p->filter_flags, 0);
        assert_string_equal(p->name, p->rules[0].origin.file);

        /* socket: three rules, each one comparison on argument 0. */
        assert_int_equal(count_rules(p, "socket"), 3);
        const struct policy_rule *r = find_rule(p, "socket", 0);
        assert_int_equal(r->n_clauses, 1);
        assert_int_equal(r->clauses[0].n_cmps, 1);
        assert_int_equal(r->clauses[0].cmps[0].op, POLICY_CMP_LT);
        assert_int_equal(r->clauses[0].cmps[0].value, 38);
        assert_int_equal(find_rule(p, "socket", 2)->clauses[0].cmps[0].op, POLICY_CMP_GT);
        assert_int_equal(count_rules(p, "personality"), 5);
        assert_int_equal(find_rule(p, "personality", 4)->clauses[0].cmps[0].value, 0xffffffffu);

        /* ptrace: the minKernel 4.8 entry (line 428), then the CAP_SYS_PTRACE one. */
        assert_int_equal(count_rules(p, "ptrace"), 2);
        r = find_rule(p, "ptrace", 0);
        assert_int_equal(r->origin.line, 428);
        assert_int_equal(r->origin.col, 3);
        assert_int_equal(r->caps_required, 0);
        assert_int_equal(find_rule(p, "ptrace", 1)->caps_required, BIT(CAP_SYS_PTRACE));

        /* clone: the CAP_SYS_ADMIN allow, then the masked one without it; the
         * s390 variant is dropped. */
        assert_int_equal(count_rules(p, "clone"), 2);
        assert_int_equal(find_rule(p, "clone", 0)->caps_required, BIT(CAP_SYS_ADMIN));
        r = find_rule(p, "clone", 1);
        assert_int_equal(r->caps_excluded, BIT(CAP_SYS_ADMIN));
        assert_int_equal(r->clauses[0].cmps[0].op, POLICY_CMP_MASKED_EQ);
        assert_int_equal(r->clauses[0].cmps[0].arg, 0);
        assert_int_equal(r->clauses[0].cmps[0].value, 2114060288);
        assert_int_equal(r->clauses[0].cmps[0].value2, 0);

        /* clone3: allowed with CAP_SYS_ADMIN, ENOSYS without. */
        assert_int_equal(count_rules(p, "clone3"), 2);
        r = find_rule(p, "clone3", 1);
        assert_int_equal(r->action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(r->action.data, 38);
        assert_int_equal(r->caps_excluded, BIT(CAP_SYS_ADMIN));

        assert_int_equal(count_rules(p, "mount"), 1);
        assert_int_equal(find_rule(p, "mount", 0)->caps_required, BIT(CAP_SYS_ADMIN));
        assert_int_equal(find_rule(p, "bpf", 1)->caps_required, BIT(CAP_BPF));

        /* Architecture-specific entries: amd64's kept, the others dropped (not skipped). */
        assert_int_equal(count_rules(p, "arch_prctl"), 1);
        assert_int_equal(count_rules(p, "modify_ldt"), 1);
        assert_int_equal(count_rules(p, "s390_pci_mmio_read"), 0);
        assert_int_equal(count_rules(p, "riscv_flush_icache"), 0);
        assert_int_equal(count_rules(p, "arm_fadvise64_64"), 0);
        assert_false(has_skipped(p, "s390_pci_mmio_read"));
        sealexec_policy_free(p);
}

static void test_docker_old_kernel(void **state)
{
        struct json_host host = host_x86_64(4, 4);
        struct sealexec_policy *p = load_docker(&host);
        /* includes.minKernel 4.8 is not met: only the CAP_SYS_PTRACE entry stays. */
        assert_int_equal(count_rules(p, "ptrace"), 1);
        assert_int_equal(find_rule(p, "ptrace", 0)->caps_required, BIT(CAP_SYS_PTRACE));
        sealexec_policy_free(p);

        host = host_x86_64(4, 8);
        p = load_docker(&host);
        assert_int_equal(count_rules(p, "ptrace"), 2);
        sealexec_policy_free(p);
}

static void test_docker_arm64(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        host.native_arch = SCMP_ARCH_AARCH64;
        struct sealexec_policy *p = load_docker(&host);
        assert_true(has_arches(p, 2, SCMP_ARCH_AARCH64, SCMP_ARCH_ARM));
        assert_int_equal(count_rules(p, "arch_prctl"), 0);
        assert_int_equal(count_rules(p, "modify_ldt"), 0);
        assert_int_equal(count_rules(p, "arm_fadvise64_64"), 1);
        assert_int_equal(count_rules(p, "clone"), 2);
        sealexec_policy_free(p);
}

static void test_docker_s390x(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        host.native_arch = SCMP_ARCH_S390X;
        struct sealexec_policy *p = load_docker(&host);
        assert_true(has_arches(p, 2, SCMP_ARCH_S390X, SCMP_ARCH_S390));
        /* excludes.arches drops the argument-0 clone rule, includes keeps s390's. */
        assert_int_equal(count_rules(p, "clone"), 2);
        const struct policy_rule *r = find_rule(p, "clone", 1);
        assert_int_equal(r->clauses[0].cmps[0].arg, 1);
        assert_int_equal(r->caps_excluded, BIT(CAP_SYS_ADMIN));
        assert_int_equal(count_rules(p, "s390_runtime_instr"), 1);
        sealexec_policy_free(p);
}

/* A host without an archMap entry (parisc) filters its native architecture only. */
static void test_docker_unmapped_arch(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        host.native_arch = SCMP_ARCH_PARISC;
        struct sealexec_policy *p = load_docker(&host);
        assert_int_equal(p->n_arches, 0);
        sealexec_policy_free(p);
}

static void test_docker_running_host(void **state)
{
        struct sealexec_policy *p = load_docker(NULL);
        if (seccomp_arch_native() == SCMP_ARCH_X86_64)
                assert_true(has_arches(p, 3, SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32));
        else
                assert_true(p->n_arches >= 1 && p->arches[0] == seccomp_arch_native());
        assert_true(count_rules(p, "read") == 1);
        sealexec_policy_free(p);
}

static void test_unknown_names_skipped(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_profile_file("oci-unknown-names.json", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 2);
        assert_non_null(find_rule(p, "getpid", 0));
        assert_non_null(find_rule(p, "read", 0));
        /* Listed once each, sorted. */
        assert_int_equal(p->n_skipped, 2);
        assert_string_equal(p->skipped_names[0], "another_unknown_call");
        assert_string_equal(p->skipped_names[1], "sealexec_no_such_syscall");
        sealexec_policy_free(p);
}

/* A name only a secondary architecture has is kept, not skipped. */
static void test_name_of_other_arch_kept(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        const char *json = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                           "[\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": "
                           "[{\"names\": [\"socketcall\", \"waitpid\"], \"action\": "
                           "\"SCMP_ACT_ALLOW\"}]}";
        assert_int_equal(parse_json_str(json, NULL, &p, &err), 0);
        assert_int_equal(count_rules(p, "socketcall"), 1);
        assert_int_equal(p->n_skipped, 0);
        sealexec_policy_free(p);

        /* x86_64 alone does not have socketcall: skipped. */
        json = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
               "[\"socketcall\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
        assert_int_equal(parse_json_str(json, NULL, &p, &err), 0);
        assert_int_equal(p->n_rules, 0);
        assert_true(has_skipped(p, "socketcall"));
        sealexec_policy_free(p);
}

static void test_actions(void **state)
{
        static const struct {
                const char *name;
                enum policy_action_kind kind;
                uint32_t data;
        } want[] = {
            {"getpid", POLICY_ACT_ALLOW, 0},        {"getppid", POLICY_ACT_ERRNO, 5},
            {"getuid", POLICY_ACT_ERRNO, 1},        {"getgid", POLICY_ACT_KILL_THREAD, 0},
            {"geteuid", POLICY_ACT_KILL_THREAD, 0}, {"getegid", POLICY_ACT_KILL_PROCESS, 0},
            {"gettid", POLICY_ACT_TRAP, 0},         {"getpgrp", POLICY_ACT_TRACE, 7},
            {"getsid", POLICY_ACT_TRACE, 1},        {"getpgid", POLICY_ACT_LOG, 0},
            {"sync", POLICY_ACT_USER_NOTIF, 0},
        };
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_profile_file("oci-actions.json", NULL, NULL, &p, &err), 0);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->default_action.data, 38);
        assert_int_equal(p->n_rules, ARRAY_SIZE(want));
        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                const struct policy_rule *r = find_rule(p, want[i].name, 0);
                assert_non_null(r);
                assert_int_equal(r->action.kind, want[i].kind);
                assert_int_equal(r->action.data, want[i].data);
                assert_int_equal(r->n_clauses, 0);
        }
        sealexec_policy_free(p);
}

static void test_default_actions(void **state)
{
        static const struct {
                const char *json;
                enum policy_action_kind kind;
                uint32_t data;
        } cases[] = {
            {"{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", POLICY_ACT_ERRNO, 1},
            {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38}", POLICY_ACT_ERRNO,
             38},
            {"{\"defaultAction\": \"SCMP_ACT_KILL\"}", POLICY_ACT_KILL_THREAD, 0},
            {"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"}", POLICY_ACT_KILL_PROCESS, 0},
            {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": null}", POLICY_ACT_ALLOW, 0},
            {"{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": []}", POLICY_ACT_LOG, 0},
            {"{\"defaultAction\": \"SCMP_ACT_TRAP\"}", POLICY_ACT_TRAP, 0},
            {"{\"defaultAction\": \"SCMP_ACT_TRACE\", \"defaultErrnoRet\": 9}", POLICY_ACT_TRACE,
             9},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                if (parse_json_str(cases[i].json, NULL, &p, &err) < 0)
                        fail_msg("%s: %s", cases[i].json, err.message);
                assert_int_equal(p->default_action.kind, cases[i].kind);
                assert_int_equal(p->default_action.data, cases[i].data);
                assert_int_equal(p->n_rules, 0);
                sealexec_policy_free(p);
        }
}

/* containers/common's seccomp.json (Podman, Buildah, CRI-O): errno names
 * beside the numbers, loaded with the meaning of the numbers. */
static void test_containers_common(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = NULL, *docker = NULL;
        struct policy_diag diag = {0};
        sealexec_error err = {0};
        if (parse_profile_file("containers-common.json", &host, &diag, &p, &err) < 0)
                fail_msg("%s", err.message);
        /* Valid, and nothing to warn about. */
        assert_int_equal(diag.count, 0);
        assert_null(diag.text);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->default_action.data, ENOSYS);
        /* "errnoRet": 1, "errno": "EPERM" */
        const struct policy_rule *r = find_rule(p, "kexec_load", 0);
        assert_non_null(r);
        assert_int_equal(r->action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(r->action.data, EPERM);
        /* "errnoRet": 22, "errno": "EINVAL": audit netlink sockets */
        r = find_rule(p, "socket", 0);
        assert_non_null(r);
        assert_int_equal(r->action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(r->action.data, EINVAL);
        assert_int_equal(r->n_clauses, 1);
        assert_int_equal(r->clauses[0].n_cmps, 2);
        /* "errnoRet": 38, "errno": "ENOSYS": clone3 without CAP_SYS_ADMIN */
        bool clone3_enosys = false;
        for (size_t i = 0; (r = find_rule(p, "clone3", i)) != NULL; i++)
                clone3_enosys |= r->action.kind == POLICY_ACT_ERRNO && r->action.data == ENOSYS;
        assert_true(clone3_enosys);
        /* Docker's rules are all there, in the same order among themselves. */
        assert_int_equal(parse_profile_file("docker-default.json", &host, NULL, &docker, &err), 0);
        assert_int_equal(p->n_arches, docker->n_arches);
        assert_true(p->n_rules > docker->n_rules);
        size_t j = 0;
        for (size_t i = 0; i < p->n_rules && j < docker->n_rules; i++)
                if (strcmp(p->rules[i].syscall_name, docker->rules[j].syscall_name) == 0 &&
                    p->rules[i].action.kind == docker->rules[j].action.kind &&
                    p->rules[i].action.data == docker->rules[j].action.data)
                        j++;
        assert_int_equal(j, docker->n_rules);
        sealexec_policy_free(docker);
        sealexec_policy_free(p);
        policy_diag_done(&diag);
}

/* The name alone, the number alone, both agreeing, aliases, "" as absent. */
static void test_errno_names(void **state)
{
        static const struct {
                const char *json;
                uint32_t want_default, want_read;
        } cases[] = {
#define E(top, entry)                                                                              \
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\"" top ", \"syscalls\": [{\"names\": [\"read\"], "   \
        "\"action\": \"SCMP_ACT_ERRNO\"" entry "}]}"
            {E(", \"defaultErrno\": \"ENOSYS\"", ", \"errno\": \"EACCES\""), ENOSYS, EACCES},
            {E(", \"defaultErrnoRet\": 38, \"defaultErrno\": \"ENOSYS\"",
               ", \"errno\": \"EPERM\", \"errnoRet\": 1"),
             ENOSYS, EPERM},
            {E(", \"defaultErrno\": \"ENOSYS\", \"defaultErrnoRet\": 38",
               ", \"errnoRet\": 13, \"errno\": \"EACCES\""),
             ENOSYS, EACCES},
            {E("", ", \"errno\": \"EWOULDBLOCK\""), EPERM, EAGAIN},
            {E("", ", \"errno\": \"ENOTSUP\""), EPERM, EOPNOTSUPP},
            {E("", ", \"errno\": \"EDEADLOCK\""), EPERM, EDEADLK},
            {E("", ", \"errno\": \"EHWPOISON\""), EPERM, EHWPOISON},
            /* Go's omitempty: an empty name is no name. */
            {E(", \"defaultErrno\": \"\"", ", \"errno\": \"\", \"errnoRet\": 5"), EPERM, 5},
            {E(", \"defaultErrno\": null", ", \"errno\": null"), EPERM, EPERM},
#undef E
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                if (parse_json_str(cases[i].json, NULL, &p, &err) < 0)
                        fail_msg("%s: %s", cases[i].json, err.message);
                assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
                assert_int_equal(p->default_action.data, cases[i].want_default);
                assert_int_equal(p->n_rules, 1);
                assert_int_equal(p->rules[0].action.data, cases[i].want_read);
                sealexec_policy_free(p);
        }
}

/* Docker's own fixture uses "errnoRet": 12345: any 16-bit value loads, as
 * in Docker, runc and libseccomp; `policy check` warns above 4095. */
static void test_errno_above_max_errno(void **state)
{
        const char *json = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096,\n"
                           " \"syscalls\": [{\"names\": [\"read\"], \"action\": "
                           "\"SCMP_ACT_ERRNO\", \"errnoRet\": 12345},\n"
                           "  {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ERRNO\", "
                           "\"errnoRet\": 4095},\n"
                           "  {\"names\": [\"close\"], \"action\": \"SCMP_ACT_ERRNO\", "
                           "\"errnoRet\": 65535}]}";
        struct policy_diag diag = {0};
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        /* Loading: no error, no message. */
        assert_int_equal(parse_json_str(json, NULL, &p, &err), 0);
        assert_int_equal(p->default_action.data, 4096);
        assert_int_equal(find_rule(p, "read", 0)->action.data, 12345);
        assert_int_equal(find_rule(p, "write", 0)->action.data, 4095);
        assert_int_equal(find_rule(p, "close", 0)->action.data, 65535);
        sealexec_policy_free(p);

        /* Checking: a warning at each value above 4095, and still no error. */
        assert_int_equal(parse_json_str(json, &diag, &p, &err), 0);
        assert_int_equal(diag.count, 0);
        assert_string_equal(
            diag.text,
            "mem.json:1:56: warning: defaultErrnoRet: errno 4096 is above 4095: the kernel "
            "returns 4095 (MAX_ERRNO) instead\n"
            "mem.json:2:75: warning: syscalls[0].errnoRet: errno 12345 is above 4095: the kernel "
            "returns 4095 (MAX_ERRNO) instead\n"
            "mem.json:4:64: warning: syscalls[2].errnoRet: errno 65535 is above 4095: the kernel "
            "returns 4095 (MAX_ERRNO) instead\n");
        policy_diag_done(&diag);
        sealexec_policy_free(p);

        /* A trace message is not an errno: no warning. */
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_TRACE\", "
                                        "\"defaultErrnoRet\": 65535}",
                                        &diag, &p, &err),
                         0);
        assert_null(diag.text);
        sealexec_policy_free(p);
}

/* A file full of them lists a bounded number of warnings. */
static void test_warnings_bounded(void **state)
{
        char json[16384];
        size_t n = (size_t)snprintf(json, sizeof(json),
                                    "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [");
        for (int i = 0; i < 100; i++)
                n += (size_t)snprintf(json + n, sizeof(json) - n,
                                      "%s{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", "
                                      "\"errnoRet\": 5000}",
                                      i ? ", " : "");
        snprintf(json + n, sizeof(json) - n, "]}");
        struct policy_diag diag = {0};
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_json_str(json, &diag, &p, &err), 0);
        assert_int_equal(diag.count, 0);
        size_t lines = 0;
        for (const char *c = diag.text; c && *c; c++)
                lines += *c == '\n';
        assert_int_equal(lines, 20);
        assert_non_null(strstr(diag.text, "(further warnings not shown)\n"));
        assert_int_equal(p->n_rules, 100);
        policy_diag_done(&diag);
        sealexec_policy_free(p);
}

static struct sealexec_policy *parse_args_rule(const char *args)
{
        char json[1024];
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        snprintf(json, sizeof(json),
                 "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                 "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": %s}]}",
                 args);
        if (parse_json_str(json, NULL, &p, &err) < 0)
                fail_msg("%s: %s", args, err.message);
        assert_int_equal(p->n_rules, 1);
        return p;
}

static void test_operators(void **state)
{
        static const struct {
                const char *op;
                enum policy_cmp_op want;
        } ops[] = {
            {"SCMP_CMP_NE", POLICY_CMP_NE}, {"SCMP_CMP_LT", POLICY_CMP_LT},
            {"SCMP_CMP_LE", POLICY_CMP_LE}, {"SCMP_CMP_EQ", POLICY_CMP_EQ},
            {"SCMP_CMP_GE", POLICY_CMP_GE}, {"SCMP_CMP_GT", POLICY_CMP_GT},
        };
        for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
                char args[256];
                snprintf(args, sizeof(args),
                         "[{\"index\": 2, \"value\": 77, \"valueTwo\": 5, \"op\": \"%s\"}]",
                         ops[i].op);
                struct sealexec_policy *p = parse_args_rule(args);
                const struct policy_cmp *cmp = &p->rules[0].clauses[0].cmps[0];
                assert_int_equal(cmp->op, ops[i].want);
                assert_int_equal(cmp->arg, 2);
                assert_int_equal(cmp->value, 77);
                assert_int_equal(cmp->value2, 0); /* valueTwo only matters to MASKED_EQ */
                assert_false(cmp->low32);
                sealexec_policy_free(p);
        }

        struct sealexec_policy *p = parse_args_rule(
            "[{\"index\": 5, \"value\": 240, \"valueTwo\": 48, \"op\": \"SCMP_CMP_MASKED_EQ\"}]");
        const struct policy_cmp *cmp = &p->rules[0].clauses[0].cmps[0];
        assert_int_equal(cmp->op, POLICY_CMP_MASKED_EQ);
        assert_int_equal(cmp->arg, 5);
        assert_int_equal(cmp->value, 240);
        assert_int_equal(cmp->value2, 48);
        sealexec_policy_free(p);
}

/* uint64 values are read exactly, beyond jansson's signed integers and doubles. */
static void test_full_width_values(void **state)
{
        struct sealexec_policy *p =
            parse_args_rule("[{\"index\": 0, \"value\": 18446744073709551615, \"valueTwo\": "
                            "9007199254740993, \"op\": \"SCMP_CMP_MASKED_EQ\"}]");
        const struct policy_cmp *cmp = &p->rules[0].clauses[0].cmps[0];
        assert_true(cmp->value == UINT64_MAX);
        assert_true(cmp->value2 == UINT64_C(9007199254740993));
        sealexec_policy_free(p);

        /* Missing value and valueTwo are 0, as in Go. */
        p = parse_args_rule("[{\"index\": 1, \"op\": \"SCMP_CMP_EQ\"}]");
        assert_int_equal(p->rules[0].clauses[0].cmps[0].value, 0);
        sealexec_policy_free(p);
}

/* runc: distinct indexes are ANDed in one clause; a repeated index makes every
 * comparison its own alternative. */
static void test_args_and_or(void **state)
{
        struct sealexec_policy *p =
            parse_args_rule("[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
                            " {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_GE\"},"
                            " {\"index\": 2, \"value\": 3, \"op\": \"SCMP_CMP_NE\"}]");
        assert_int_equal(p->rules[0].n_clauses, 1);
        assert_int_equal(p->rules[0].clauses[0].n_cmps, 3);
        assert_int_equal(p->rules[0].clauses[0].cmps[2].arg, 2);
        sealexec_policy_free(p);

        p = parse_args_rule("[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
                            " {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"},"
                            " {\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]");
        assert_int_equal(p->rules[0].n_clauses, 3);
        for (size_t i = 0; i < 3; i++)
                assert_int_equal(p->rules[0].clauses[i].n_cmps, 1);
        assert_int_equal(p->rules[0].clauses[1].cmps[0].arg, 1);
        assert_int_equal(p->rules[0].clauses[2].cmps[0].value, 3);
        sealexec_policy_free(p);

        p = parse_args_rule("[]");
        assert_int_equal(p->rules[0].n_clauses, 0);
        sealexec_policy_free(p);
}

static void test_oci_config(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_profile_file("config.json", &host, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        assert_true(has_arches(p, 2, SCMP_ARCH_X86_64, SCMP_ARCH_X86));
        assert_int_equal(p->filter_flags, SECCOMP_FILTER_FLAG_LOG);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->n_rules, 4);
        const struct policy_rule *r = find_rule(p, "kill", 0);
        assert_non_null(r);
        assert_int_equal(r->clauses[0].cmps[0].arg, 1);
        assert_int_equal(r->clauses[0].cmps[0].value, 15);
        assert_int_equal(r->origin.line, 19);
        assert_int_equal(r->origin.col, 9);
        sealexec_policy_free(p);
}

static void test_misc_forms(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        /* moby's older single "name"; comments; null members. */
        assert_int_equal(
            parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"comment\": \"x\","
                           " \"syscalls\": [{\"name\": \"read\", \"action\": "
                           "\"SCMP_ACT_ALLOW\", \"args\": null, \"comment\": \"c\","
                           " \"includes\": {}, \"excludes\": null}]}",
                           NULL, &p, &err),
            0);
        assert_int_equal(count_rules(p, "read"), 1);
        sealexec_policy_free(p);

        /* architectures without the native one: runc filters the native one too. */
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                        "\"architectures\": [\"SCMP_ARCH_X86\", "
                                        "\"SCMP_ARCH_X86\"]}",
                                        NULL, &p, &err),
                         0);
        assert_true(has_arches(p, 2, SCMP_ARCH_X86_64, SCMP_ARCH_X86));
        sealexec_policy_free(p);

        /* An archMap with no entry for this host: native only. */
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": "
                                        "[{\"architecture\": \"SCMP_ARCH_AARCH64\", "
                                        "\"subArchitectures\": [\"SCMP_ARCH_ARM\"]}]}",
                                        NULL, &p, &err),
                         0);
        assert_int_equal(p->n_arches, 0);
        sealexec_policy_free(p);

        /* Empty minKernel is no condition (moby); excludes.minKernel above the kernel keeps. */
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                        "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                                        " \"includes\": {\"minKernel\": \"\"}, \"excludes\": "
                                        "{\"minKernel\": \"6.2\"}}, {\"names\": [\"write\"], "
                                        "\"action\": \"SCMP_ACT_ALLOW\", \"excludes\": "
                                        "{\"minKernel\": \"6.1\", \"arches\": [\"arm64\"]}}]}",
                                        NULL, &p, &err),
                         0);
        assert_int_equal(count_rules(p, "read"), 1);
        assert_int_equal(count_rules(p, "write"), 0);
        sealexec_policy_free(p);

        /* Capability names: with or without CAP_, any case. */
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                        "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                                        " \"includes\": {\"caps\": [\"CAP_CHOWN\", \"kill\"]},"
                                        " \"excludes\": {\"caps\": [\"cap_sys_admin\"]}}]}",
                                        NULL, &p, &err),
                         0);
        assert_int_equal(p->rules[0].caps_required, BIT(CAP_CHOWN) | BIT(CAP_KILL));
        assert_int_equal(p->rules[0].caps_excluded, BIT(CAP_SYS_ADMIN));
        sealexec_policy_free(p);
}

static void test_flags(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        const char *json = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": "
                           "[\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\", "
                           "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
                           "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}";
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(
            policy_parse_json_host("f.json", json, strlen(json), &host, NULL, &p, &err), 0);
        assert_int_equal(p->filter_flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
                                              SECCOMP_FILTER_FLAG_SPEC_ALLOW | (1u << 5));
        sealexec_policy_free(p);

        /* A kernel without SPEC_ALLOW refuses the profile. */
        host.supported_flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG;
        assert_int_equal(
            policy_parse_json_host("f.json", json, strlen(json), &host, NULL, &p, &err), -EINVAL);
        assert_string_equal(err.message, "f.json:1:103: flags[2]: the running kernel does not "
                                         "support SECCOMP_FILTER_FLAG_SPEC_ALLOW");

        /* The running kernel, probed with seccomp(2): TSYNC and LOG exist since 4.14. */
        json = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": "
               "[\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\"]}";
        struct json_host real;
        json_host_detect(&real);
        if (!real.kernel_known || real.kernel_major < 4 ||
            (real.kernel_major == 4 && real.kernel_minor < 14))
                TEST_SKIP();
        if (policy_parse_json("f.json", json, strlen(json), NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        assert_int_equal(p->filter_flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG);
        sealexec_policy_free(p);
}

static void test_kernel_release(void **state)
{
        unsigned major = 0, minor = 0;
        assert_int_equal(json_parse_kernel_release("6.18.0-1-amd64", &major, &minor), 0);
        assert_int_equal(major, 6);
        assert_int_equal(minor, 18);
        assert_int_equal(json_parse_kernel_release("4.8", &major, &minor), 0);
        assert_int_equal(minor, 8);
        assert_int_equal(json_parse_kernel_release("5", &major, &minor), -EINVAL);
        assert_int_equal(json_parse_kernel_release("x.1", &major, &minor), -EINVAL);
        assert_int_equal(json_parse_kernel_release("5.x", &major, &minor), -EINVAL);
        assert_int_equal(json_parse_kernel_release("", &major, &minor), -EINVAL);
}

static void test_index(void **state)
{
        const char *text = "{\"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c\":null, \"d\": \"\xc3\xa9\", "
                           "\"e\": -1.5e3}";
        struct json_index index;
        assert_int_equal(json_index_build(&index, text, strlen(text)), 0);
        assert_int_equal(index.n_nodes, 8);
        /* root, [ , 1, {, "x\"y", null, "é", -1.5e3 */
        static const struct {
                unsigned line, col, kline, kcol;
                size_t end;
        } want[] = {
            {1, 1, 0, 0, 8},   {1, 7, 1, 2, 5}, {1, 8, 0, 0, 3},   {1, 11, 0, 0, 5},
            {1, 17, 1, 12, 5}, {2, 7, 2, 3, 6}, {2, 18, 2, 13, 7}, {2, 28, 2, 23, 8},
        };
        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                const struct json_index_node *n = json_index_node(&index, i);
                assert_int_equal(n->pos.line, want[i].line);
                assert_int_equal(n->pos.col, want[i].col);
                assert_int_equal(n->key.line, want[i].kline);
                assert_int_equal(n->key.col, want[i].kcol);
                assert_int_equal(n->end, want[i].end);
        }
        assert_int_equal(json_index_first_child(&index, 0), 1);
        assert_int_equal(json_index_next(&index, 0, 1), 5);
        assert_int_equal(json_index_next(&index, 0, 7), JSON_NO_NODE);
        assert_int_equal(json_index_first_child(&index, 2), JSON_NO_NODE);
        assert_null(json_index_node(&index, 8));
        json_index_done(&index);

        /* Not JSON: refused, nothing kept. */
        assert_int_equal(json_index_build(&index, "{\"a\" 1", 6), -EINVAL);
        assert_int_equal(index.n_nodes, 0);
        assert_int_equal(json_index_build(&index, "]", 1), -EINVAL);
        assert_int_equal(json_index_build(&index, "", 0), -EINVAL);
        assert_int_equal(json_index_build(&index, "{} {}", 5), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_docker_x86_64),
            cmocka_unit_test(test_docker_old_kernel),
            cmocka_unit_test(test_docker_arm64),
            cmocka_unit_test(test_docker_s390x),
            cmocka_unit_test(test_docker_unmapped_arch),
            cmocka_unit_test(test_docker_running_host),
            cmocka_unit_test(test_unknown_names_skipped),
            cmocka_unit_test(test_name_of_other_arch_kept),
            cmocka_unit_test(test_actions),
            cmocka_unit_test(test_default_actions),
            cmocka_unit_test(test_containers_common),
            cmocka_unit_test(test_errno_names),
            cmocka_unit_test(test_errno_above_max_errno),
            cmocka_unit_test(test_warnings_bounded),
            cmocka_unit_test(test_operators),
            cmocka_unit_test(test_full_width_values),
            cmocka_unit_test(test_args_and_or),
            cmocka_unit_test(test_oci_config),
            cmocka_unit_test(test_misc_forms),
            cmocka_unit_test(test_flags),
            cmocka_unit_test(test_kernel_release),
            cmocka_unit_test(test_index),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
