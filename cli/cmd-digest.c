/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealexec digest FILE...`: prints "sha256:HEX  FILE" per file, the form
 * --digest and --file ...@sha256:HEX take. Exit 0 when every file was hashed,
 * 125 when any could not be.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char digest_usage[] =
    "Usage: sealexec digest FILE...\n"
    "\n"
    "Print the SHA-256 of each FILE as 'sha256:HEX  FILE', the form that\n"
    "'sealexec run --digest' and '--file NAME=PATH@sha256:HEX' accept.\n";

int cli_cmd_digest(int argc, char **argv)
{
        int status = 0;

        if (argc < 2) {
                cli_errorf("digest: no FILE given (see 'sealexec digest --help')");
                return CLI_EXIT_REFUSED;
        }
        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                fputs(digest_usage, stdout);
                return 0;
        }
        for (int i = 1; i < argc; i++) {
                char digest[SEALEXEC_DIGEST_STRING_MAX];
                sealexec_error err = {0};
                const char *path = argv[i];
                if (strcmp(path, "--") == 0 && i == 1)
                        continue;
                if (sealexec_digest_file(path, digest, &err) < 0) {
                        cli_report(&err);
                        status = CLI_EXIT_REFUSED;
                        continue;
                }
                printf("%s  %s\n", digest, path);
        }
        if (fflush(stdout) != 0)
                return CLI_EXIT_REFUSED;
        return status;
}
