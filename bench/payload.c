/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * payload: a minimal static ELF for the payload-size benchmark, without libc
 * so that it is a few kilobytes and can be padded to 40 KB. The harness
 * appends random bytes after its end to reach each size; the kernel maps only
 * the ELF segments, so the padded file still executes and exits 0, and the
 * launcher has to copy (and hash) every byte of it.
 *
 * Built with: cc -static -nostdlib -O2 -fno-stack-protector -fno-pie -no-pie
 */
__attribute__((noreturn)) void _start(void);

__attribute__((noreturn)) void _start(void)
{
        /* exit_group(0) */
        __asm__ volatile("mov $231, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::
                             : "rax", "rdi", "memory");
        __builtin_unreachable();
}
