/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A readable description of a policy in a compile context, for
 * `sealexec policy explain` and `sealexec run --dry-run`: the rules as
 * written (grouped by syscall, in order, with the launch rule), what does
 * not apply here and why, and the size of the compiled program.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "policy/compile.h"
#include "policy/describe.h"
#include "policy/eval.h"
#include "policy/syscalls.h"

const char *policy_arch_name(uint32_t arch)
{
        static const struct {
                uint32_t token;
                const char *name;
        } names[] = {
            {SCMP_ARCH_X86_64, "x86_64"},
            {SCMP_ARCH_X86, "x86"},
            {SCMP_ARCH_X32, "x32"},
            {SCMP_ARCH_AARCH64, "aarch64"},
            {SCMP_ARCH_ARM, "arm"},
            {SCMP_ARCH_RISCV64, "riscv64"},
            {SCMP_ARCH_S390X, "s390x"},
            {SCMP_ARCH_S390, "s390"},
            {SCMP_ARCH_PPC64LE, "ppc64le"},
            {SCMP_ARCH_PPC64, "ppc64"},
            {SCMP_ARCH_PPC, "ppc"},
            {SCMP_ARCH_MIPS, "mips"},
            {SCMP_ARCH_MIPSEL, "mipsel"},
            {SCMP_ARCH_MIPS64, "mips64"},
            {SCMP_ARCH_MIPSEL64, "mipsel64"},
            {SCMP_ARCH_MIPS64N32, "mips64n32"},
            {SCMP_ARCH_MIPSEL64N32, "mipsel64n32"},
        };
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (names[i].token == arch)
                        return names[i].name;
        return "unknown";
}

static void print_value(FILE *f, uint64_t v)
{
        if (v < 256)
                fprintf(f, "%llu", (unsigned long long)v);
        else
                fprintf(f, "0x%llx", (unsigned long long)v);
}

static void print_cmp(FILE *f, const struct policy_cmp *cmp)
{
        static const char *const ops[] = {
            [POLICY_CMP_EQ] = "==", [POLICY_CMP_NE] = "!=", [POLICY_CMP_LT] = "<",
            [POLICY_CMP_LE] = "<=", [POLICY_CMP_GT] = ">",  [POLICY_CMP_GE] = ">=",
        };
        uint64_t w = cmp->low32 ? UINT64_C(0xffffffff) : ~UINT64_C(0);
        const char *width = cmp->low32 ? "&0xffffffff" : "";

        switch (cmp->op) {
        case POLICY_CMP_MASKED_EQ:
                fprintf(f, "arg%u & ", cmp->arg);
                print_value(f, cmp->value & w);
                fprintf(f, " == ");
                print_value(f, cmp->value2 & w);
                return;
        case POLICY_CMP_ANY_BITS:
                fprintf(f, "arg%u & ", cmp->arg);
                print_value(f, cmp->value & w);
                fprintf(f, " != 0");
                return;
        case POLICY_CMP_IN:
                fprintf(f, "arg%u%s in ", cmp->arg, width);
                print_value(f, cmp->value & w);
                return;
        default:
                if ((unsigned)cmp->op >= sizeof(ops) / sizeof(ops[0]) || !ops[cmp->op]) {
                        fprintf(f, "arg%u ?", cmp->arg);
                        return;
                }
                fprintf(f, "arg%u%s %s ", cmp->arg, width, ops[cmp->op]);
                print_value(f, cmp->value & w);
                return;
        }
}

void policy_print_condition(FILE *f, const struct policy_rule *rule)
{
        for (size_t i = 0; i < rule->n_clauses; i++) {
                if (i > 0)
                        fprintf(f, " || ");
                const struct policy_clause *c = &rule->clauses[i];
                for (size_t j = 0; j < c->n_cmps; j++) {
                        if (j > 0)
                                fprintf(f, " && ");
                        print_cmp(f, &c->cmps[j]);
                }
        }
}

static void print_rule(FILE *f, const struct policy_rule *rule)
{
        char act[64];
        fprintf(f, "  %s: %s", rule->syscall_name,
                policy_action_name(&rule->action, act, sizeof(act)));
        if (rule->n_clauses > 0) {
                fprintf(f, " if ");
                policy_print_condition(f, rule);
        }
}

static void print_rule_notes(FILE *f, const struct policy_rule *rule,
                             const struct policy_compile_ctx *ctx)
{
        char caps[512];
        if (rule->origin.file && rule->origin.line > 0)
                fprintf(f, "  [%s:%u]", rule->origin.file, rule->origin.line);
        if (!policy_rule_applies(rule, ctx)) {
                uint64_t kept = ctx ? ctx->kept_caps : 0;
                uint64_t missing = rule->caps_required & ~kept;
                if (missing)
                        fprintf(f, " (not applied: needs %s)",
                                caps_format(missing, caps, sizeof(caps)));
                else
                        fprintf(f, " (not applied: only without %s)",
                                caps_format(rule->caps_excluded & kept, caps, sizeof(caps)));
        }
        fputc('\n', f);
}

/*
 * Which of the policy's architectures have each rule's syscall: bit a of
 * masks[i] for arches[a] (native first). A syscall is enforced wherever it
 * exists, so x86's socketcall or mmap2 are rules like any other.
 */
struct rule_arches {
        uint32_t arches[POLICY_MAX_ARCHES];
        size_t n_arches;
        uint32_t *masks; /* one per rule */
};

static int rule_arches_get(const struct sealexec_policy *policy, struct rule_arches *ra,
                           sealexec_error *err)
{
        int r = policy_listed_arches(policy, ra->arches, &ra->n_arches, err);
        if (r < 0)
                return r;
        size_t n = policy->n_rules ? policy->n_rules : 1;
        _cleanup_free_ int *nrs = calloc(n, sizeof(*nrs));
        ra->masks = calloc(n, sizeof(*ra->masks));
        if (!nrs || !ra->masks)
                return se_oom(err, "policy describe");
        for (size_t a = 0; a < ra->n_arches; a++) {
                r = policy_rule_numbers(policy, ra->arches[a], nrs, err);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < policy->n_rules; i++)
                        if (nrs[i] >= 0)
                                ra->masks[i] |= UINT32_C(1) << a;
        }
        return 0;
}

/* " (only on x86)": where a rule's syscall exists on some listed architectures only. */
static void print_rule_arches(FILE *f, const struct rule_arches *ra, uint32_t mask)
{
        uint32_t all = ra->n_arches >= 32 ? UINT32_MAX : (UINT32_C(1) << ra->n_arches) - 1;
        if (mask == all)
                return;
        if (mask == 0) {
                fprintf(f, " (on none of the listed architectures)");
                return;
        }
        fprintf(f, " (only on");
        for (size_t a = 0, k = 0; a < ra->n_arches; a++)
                if (mask & (UINT32_C(1) << a))
                        fprintf(f, "%s %s", k++ ? "," : "", policy_arch_name(ra->arches[a]));
        fputc(')', f);
}

/*
 * Rules grouped by syscall, in the order each syscall first appears, each
 * with the architectures it exists on when that is not all of them.
 */
static void print_rules(FILE *f, const struct sealexec_policy *policy,
                        const struct policy_compile_ctx *ctx, const struct rule_arches *ra)
{
        size_t n = policy->n_rules;
        bool *done = calloc(n ? n : 1, sizeof(bool));

        if (policy_needs_launch_rule(policy, ctx))
                fprintf(f,
                        "  execveat: allow if arg0 == %d && arg4 == "
                        "AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW (launch rule)\n",
                        ctx->launch_fd);
        for (size_t i = 0; done && i < n; i++) {
                const char *name = policy->rules[i].syscall_name;
                if (done[i])
                        continue;
                for (size_t j = i; j < n; j++) {
                        if (done[j] || strcmp(policy->rules[j].syscall_name, name) != 0)
                                continue;
                        done[j] = true;
                        print_rule(f, &policy->rules[j]);
                        print_rule_arches(f, ra, ra->masks[j]);
                        print_rule_notes(f, &policy->rules[j], ctx);
                }
        }
        free(done);
}

/* "x86_64 (native) 340, x86 360, x32 338": how many syscalls each one has rules for. */
static void print_arch_counts(FILE *f, const struct sealexec_policy *policy,
                              const struct rule_arches *ra)
{
        size_t n = policy->n_rules, counts[POLICY_MAX_ARCHES] = {0};
        if (ra->n_arches < 2)
                return;
        _cleanup_free_ bool *done = calloc(n ? n : 1, sizeof(bool));
        if (!done)
                return;
        /* Once per syscall name (its rules all have the same architectures). */
        for (size_t i = 0; i < n; i++) {
                if (done[i])
                        continue;
                for (size_t j = i; j < n; j++)
                        if (!done[j] && strcmp(policy->rules[j].syscall_name,
                                               policy->rules[i].syscall_name) == 0)
                                done[j] = true;
                for (size_t a = 0; a < ra->n_arches; a++)
                        counts[a] += (ra->masks[i] >> a) & 1;
        }
        fprintf(f, "syscalls with rules, per architecture:");
        for (size_t a = 0; a < ra->n_arches; a++)
                fprintf(f, "%s %s%s %zu", a ? "," : "", policy_arch_name(ra->arches[a]),
                        a == 0 ? " (native)" : "", counts[a]);
        fputc('\n', f);
}

static void print_header(FILE *f, const struct sealexec_policy *policy,
                         const struct policy_compile_ctx *ctx)
{
        char act[64], caps[512];
        uint32_t native = seccomp_arch_native();

        fprintf(f, "policy: %s\n", policy->name ? policy->name : "(unnamed)");
        fprintf(f, "default action: %s\n",
                policy_action_name(&policy->default_action, act, sizeof(act)));
        fprintf(f, "bad-architecture action: %s\n",
                policy_action_name(&policy->bad_arch_action, act, sizeof(act)));
        fprintf(f, "architectures: %s (native)", policy_arch_name(native));
        for (size_t i = 0; i < policy->n_arches; i++)
                if (policy->arches[i] != native)
                        fprintf(f, ", %s", policy_arch_name(policy->arches[i]));
        fputc('\n', f);
        if (policy->filter_flags) {
                fprintf(f, "filter flags:%s%s%s\n",
                        policy->filter_flags & SECCOMP_FILTER_FLAG_TSYNC ? " tsync" : "",
                        policy->filter_flags & SECCOMP_FILTER_FLAG_LOG ? " log" : "",
                        policy->filter_flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW ? " spec-allow" : "");
        }
        fprintf(f, "capabilities kept: %s\n",
                caps_format(ctx ? ctx->kept_caps : 0, caps, sizeof(caps)));
}

/* Appends the content of fd (a memfd written by libseccomp) to f. */
static int append_fd(FILE *f, int fd)
{
        char buf[4096];
        off_t off = 0;
        for (;;) {
                ssize_t n = io_pread_upto(fd, buf, sizeof(buf), off);
                if (n < 0)
                        return (int)n;
                if (n == 0)
                        return 0;
                fwrite(buf, 1, (size_t)n, f);
                off += n;
        }
}

static int print_compiled(FILE *f, const struct sealexec_policy *policy,
                          const struct policy_compile_ctx *ctx, bool pfc, sealexec_error *err)
{
        void *prog;
        size_t n;
        /* The count is that of the program sealexec loads; the pseudo filter
         * code below is libseccomp's own view, asked for explicitly. */
        int r = policy_compile_bpf(policy, ctx, &prog, &n, err);
        if (r < 0)
                return r;
        free(prog);
        fprintf(f, "BPF: %zu instructions\n", n);
        if (!pfc)
                return 0;
        scmp_filter_ctx sctx;
        r = policy_compile(policy, ctx, &sctx, err);
        if (r < 0)
                return r;
        _cleanup_close_ int fd = memfd_create("sealexec-pfc", MFD_CLOEXEC);
        if (fd < 0)
                r = se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                   "policy explain: memfd_create");
        else if ((r = seccomp_export_pfc(sctx, fd)) < 0)
                se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                               "policy explain: libseccomp pseudo filter code");
        else if ((r = append_fd(f, fd)) < 0)
                se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                               "policy explain: reading pseudo filter code");
        seccomp_release(sctx);
        return r;
}

static void close_streamp(FILE **f)
{
        if (*f)
                fclose(*f);
}

int policy_describe(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                    bool pfc, char **ret_text, sealexec_error *err)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r = 0;
        {
                _cleanup_(close_streamp) FILE *f = open_memstream(&text, &size);
                if (!f)
                        return se_oom(err, "policy describe");
                if (policy->no_filter) {
                        fprintf(f, "policy: %s\nno seccomp filter is loaded\n",
                                policy->name ? policy->name : "none");
                } else if (policy->n_bpf > 0) {
                        fprintf(f,
                                "policy: %s\nprecompiled BPF: %zu instructions, loaded as it is\n",
                                policy->name ? policy->name : "(unnamed)", policy->n_bpf);
                } else {
                        struct rule_arches ra = {0};
                        r = rule_arches_get(policy, &ra, err);
                        if (r < 0) {
                                free(ra.masks);
                                return r;
                        }
                        print_header(f, policy, ctx);
                        print_arch_counts(f, policy, &ra);
                        fprintf(f, "rules (first match wins for each syscall):\n");
                        print_rules(f, policy, ctx, &ra);
                        free(ra.masks);
                        for (size_t i = 0; i < policy->n_skipped; i++)
                                fprintf(f, "%s%s",
                                        i ? ", " : "skipped (no listed architecture has them): ",
                                        policy->skipped_names[i]);
                        if (policy->n_skipped)
                                fputc('\n', f);
                        r = print_compiled(f, policy, ctx, pfc, err);
                }
        }
        if (r < 0)
                return r;
        if (!text)
                return se_oom(err, "policy describe");
        *ret_text = TAKE_PTR(text);
        return 0;
}
