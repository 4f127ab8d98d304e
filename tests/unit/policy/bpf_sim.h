/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf_sim.h - a classic-BPF interpreter for seccomp programs, for tests that
 * check what a compiled policy decides without loading it into the kernel.
 */
#ifndef SEALEXEC_TESTS_BPF_SIM_H
#define SEALEXEC_TESTS_BPF_SIM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

/* The input of one syscall, laid out as struct seccomp_data. */
struct bpf_sim_call {
        int nr;
        uint32_t arch; /* AUDIT_ARCH_* */
        uint64_t ip;
        uint64_t args[6];
};

/*
 * Runs `prog` (n instructions) over `call` as the kernel's seccomp would and
 * returns the 32-bit SECCOMP_RET_* value, or -1 if the program is malformed
 * (a jump out of range, a load outside seccomp_data, no return at the end).
 */
int64_t bpf_sim_run(const struct sock_filter *prog, size_t n, const struct bpf_sim_call *call);

/* What one run did, for checks beyond the verdict. */
struct bpf_sim_trace {
        unsigned arg_loads; /* loads from seccomp_data.args[] */
        unsigned ip_loads;  /* loads from instruction_pointer */
        unsigned steps;     /* instructions executed */
};

/* bpf_sim_run() that also fills *trace. */
int64_t bpf_sim_run_traced(const struct sock_filter *prog, size_t n,
                           const struct bpf_sim_call *call, struct bpf_sim_trace *trace);

#endif
