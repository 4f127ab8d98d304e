/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h - the `sealexec` command. Written only against the public header
 * include/sealexec.h: everything the command does, a runtime can do through
 * the library.
 */
#ifndef SEALEXEC_CLI_H
#define SEALEXEC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sealexec.h"

/* Exit statuses, as env(1), chroot(1) and podman use them. */
enum {
        CLI_EXIT_REFUSED = 125,
        CLI_EXIT_CANNOT_EXECUTE = 126,
        CLI_EXIT_NOT_FOUND = 127,
};

/* Reports a library error as "sealexec: MESSAGE" and returns the exit status for it. */
int cli_report(const sealexec_error *err);

/* Prints "sealexec: MESSAGE" to stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a size with an optional K, M or G suffix (powers of 1024). */
int cli_parse_size(const char *text, uint64_t *ret_size);

/* Parses a non-negative decimal int (a descriptor number). */
int cli_parse_fd(const char *text, int *ret_fd);

/* A --file NAME=PATH[@sha256:HEX] argument, split. Pointers into a copy owned by the caller. */
struct cli_file_spec {
        char *name;
        char *path;
        char *digest; /* NULL when none was given */
};

/* Splits `arg` in place (it is modified). Returns -EINVAL with a message in errbuf. */
int cli_parse_file_spec(char *arg, struct cli_file_spec *ret_spec, char *errbuf, size_t errsize);

/* Subcommands; each returns the process exit status (or execs). */
int cli_cmd_run(int argc, char **argv);
int cli_cmd_digest(int argc, char **argv);
int cli_cmd_policy(int argc, char **argv);

#endif
