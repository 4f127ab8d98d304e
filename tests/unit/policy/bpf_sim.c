/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A classic-BPF interpreter with the kernel's seccomp rules: the accumulator
 * A, index register X, 16 scratch words, loads only from struct seccomp_data
 * (32-bit aligned absolute loads), forward jumps only. Tests use it to check
 * compiled policies without loading them.
 */
#include "bpf_sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <linux/seccomp.h>

static bool load_word(const struct bpf_sim_call *call, uint32_t off, uint32_t *ret)
{
        struct seccomp_data data;
        memset(&data, 0, sizeof(data));
        data.nr = call->nr;
        data.arch = call->arch;
        data.instruction_pointer = call->ip;
        for (int i = 0; i < 6; i++)
                data.args[i] = call->args[i];
        if (off % 4 != 0 || off + 4 > sizeof(data))
                return false;
        memcpy(ret, (const unsigned char *)&data + off, 4);
        return true;
}

static bool alu(uint16_t op, uint32_t *a, uint32_t operand)
{
        switch (op) {
        case BPF_ADD:
                *a += operand;
                return true;
        case BPF_SUB:
                *a -= operand;
                return true;
        case BPF_MUL:
                *a *= operand;
                return true;
        case BPF_DIV:
                if (!operand)
                        return false;
                *a /= operand;
                return true;
        case BPF_MOD:
                if (!operand)
                        return false;
                *a %= operand;
                return true;
        case BPF_AND:
                *a &= operand;
                return true;
        case BPF_OR:
                *a |= operand;
                return true;
        case BPF_XOR:
                *a ^= operand;
                return true;
        case BPF_LSH:
                *a = operand >= 32 ? 0 : *a << operand;
                return true;
        case BPF_RSH:
                *a = operand >= 32 ? 0 : *a >> operand;
                return true;
        case BPF_NEG:
                *a = -*a;
                return true;
        default:
                return false;
        }
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t operand)
{
        switch (op) {
        case BPF_JEQ:
                return a == operand;
        case BPF_JGT:
                return a > operand;
        case BPF_JGE:
                return a >= operand;
        case BPF_JSET:
                return (a & operand) != 0;
        default:
                return false;
        }
}

int64_t bpf_sim_run(const struct sock_filter *prog, size_t n, const struct bpf_sim_call *call)
{
        struct bpf_sim_trace trace;
        return bpf_sim_run_traced(prog, n, call, &trace);
}

int64_t bpf_sim_run_traced(const struct sock_filter *prog, size_t n,
                           const struct bpf_sim_call *call, struct bpf_sim_trace *trace)
{
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};

        memset(trace, 0, sizeof(*trace));
        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *ins = &prog[pc];
                trace->steps++;
                uint16_t cls = BPF_CLASS(ins->code);
                uint32_t operand = BPF_SRC(ins->code) == BPF_X ? x : ins->k;

                switch (cls) {
                case BPF_LD:
                        if (ins->code == (BPF_LD | BPF_W | BPF_ABS)) {
                                if (ins->k >= offsetof(struct seccomp_data, args))
                                        trace->arg_loads++;
                                else if (ins->k >=
                                         offsetof(struct seccomp_data, instruction_pointer))
                                        trace->ip_loads++;
                                if (!load_word(call, ins->k, &a))
                                        return -1;
                        } else if (ins->code == (BPF_LD | BPF_W | BPF_LEN)) {
                                a = sizeof(struct seccomp_data);
                        } else if (ins->code == (BPF_LD | BPF_IMM)) {
                                a = ins->k;
                        } else if (ins->code == (BPF_LD | BPF_MEM) && ins->k < BPF_MEMWORDS) {
                                a = mem[ins->k];
                        } else {
                                return -1;
                        }
                        break;
                case BPF_LDX:
                        if (ins->code == (BPF_LDX | BPF_W | BPF_LEN))
                                x = sizeof(struct seccomp_data);
                        else if (ins->code == (BPF_LDX | BPF_IMM))
                                x = ins->k;
                        else if (ins->code == (BPF_LDX | BPF_MEM) && ins->k < BPF_MEMWORDS)
                                x = mem[ins->k];
                        else
                                return -1;
                        break;
                case BPF_ST:
                case BPF_STX:
                        if (ins->k >= BPF_MEMWORDS)
                                return -1;
                        mem[ins->k] = cls == BPF_ST ? a : x;
                        break;
                case BPF_ALU:
                        if (!alu(BPF_OP(ins->code), &a, operand))
                                return -1;
                        break;
                case BPF_JMP:
                        if (BPF_OP(ins->code) == BPF_JA) {
                                if (ins->k >= n - pc - 1)
                                        return -1;
                                pc += ins->k;
                        } else {
                                size_t off =
                                    jump_taken(BPF_OP(ins->code), a, operand) ? ins->jt : ins->jf;
                                if (off >= n - pc - 1)
                                        return -1;
                                pc += off;
                        }
                        break;
                case BPF_RET:
                        if (BPF_RVAL(ins->code) == BPF_K)
                                return ins->k;
                        if (BPF_RVAL(ins->code) == BPF_A)
                                return a;
                        return -1;
                case BPF_MISC:
                        if (BPF_MISCOP(ins->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                default:
                        return -1;
                }
        }
        return -1; /* fell off the end: the kernel rejects such programs */
}
