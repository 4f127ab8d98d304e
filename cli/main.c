/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The `sealexec` command: dispatch to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* cmd-hold.c: `sealexec hold`. */
int cli_cmd_hold(int argc, char **argv);

static const char main_usage[] =
    "Usage: sealexec COMMAND [ARGS...]\n"
    "\n"
    "Launch a trusted program so that the bytes that were checked are the bytes\n"
    "that run: sealed in a memfd, verified, confined, executed by descriptor.\n"
    "\n"
    "Commands:\n"
    "  run [OPTIONS] [--] PROGRAM [ARG...]   seal, confine and execute PROGRAM\n"
    "  digest FILE...                        print sha256:HEX of each FILE\n"
    "  policy check FILE...                  check seccomp policies\n"
    "  policy compile FILE -o OUT            compile a policy to BPF\n"
    "  policy explain FILE                   show what a policy does\n"
    "  hold [--socket PATH]                  keep sealed copies for 'run --hold'\n"
    "\n"
    "  --help       show this help ('sealexec COMMAND --help' for a command)\n"
    "  --version    show the version\n"
    "\n"
    "Exit status of 'run': the payload's own, or 125 if sealexec failed or refused,\n"
    "126 if the payload cannot be executed, 127 if it was not found.\n";

int main(int argc, char **argv)
{
        if (argc < 2) {
                fputs(main_usage, stderr);
                return CLI_EXIT_REFUSED;
        }
        const char *command = argv[1];
        if (strcmp(command, "run") == 0)
                return cli_cmd_run(argc - 1, argv + 1);
        if (strcmp(command, "digest") == 0)
                return cli_cmd_digest(argc - 1, argv + 1);
        if (strcmp(command, "policy") == 0)
                return cli_cmd_policy(argc - 1, argv + 1);
        if (strcmp(command, "hold") == 0)
                return cli_cmd_hold(argc - 1, argv + 1);
        if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
            strcmp(command, "help") == 0) {
                fputs(main_usage, stdout);
                return 0;
        }
        if (strcmp(command, "--version") == 0) {
                printf("sealexec %s\n", sealexec_version());
                return 0;
        }
        cli_errorf("unknown command '%s' (see 'sealexec --help')", command);
        return CLI_EXIT_REFUSED;
}
