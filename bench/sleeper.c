/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sleeper: a static payload for the memory benchmark. It prints "ready" once
 * it runs (so the harness knows the exec happened and can read
 * /proc/PID/status and smaps_rollup) and then sleeps until it is killed or
 * the given number of seconds has passed. It may be padded after its end to
 * any size: the kernel only maps the ELF segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        unsigned seconds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 30;

        fputs("ready\n", stdout);
        fflush(stdout);
        while (seconds > 0)
                seconds = sleep(seconds);
        return 0;
}
