/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tiny: the smallest useful payload for launch benchmarks. Built static
 * (cc -static -O2) so that no dynamic loader runs and the time measured is
 * the launcher's, plus one execve of a small static program.
 */
int main(void)
{
        return 0;
}
