/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealexec hold`: keep one sealed copy per payload version and hand it to
 * every `sealexec run --hold` (see sealexec-hold(1)); `sealexec hold
 * --status` asks a running holder for its counters.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char hold_usage[] =
    "Usage: sealexec hold [--socket PATH] [--max-bytes SIZE] [--socket-mode MODE]\n"
    "       sealexec hold --status [--socket PATH] [--json]\n"
    "\n"
    "Keep one sealed copy of each payload version and hand it, over a UNIX socket,\n"
    "to every 'sealexec run --hold'. Clients open the payload themselves and pass\n"
    "the descriptor; the holder never opens a path.\n"
    "\n"
    "  --socket PATH       the socket (default: $SEALEXEC_HOLD_SOCKET, else\n"
    "                      " SEALEXEC_HOLD_DEFAULT_SOCKET "; ignored under socket\n"
    "                      activation, which passes the socket as fd 3)\n"
    "  --max-bytes SIZE    keep at most SIZE bytes of copies (K, M, G; default 2G);\n"
    "                      least recently used copies go first\n"
    "  --socket-mode MODE  permissions of a socket the holder creates (octal,\n"
    "                      default 0666: see SECURITY.md)\n"
    "  --status            print the running holder's entries, bytes, hits, misses\n"
    "  --json              with --status: print JSON\n"
    "  -h, --help          show this help\n"
    "\n"
    "Runs until SIGTERM or SIGINT. Exit status: 0, or 125 on failure.\n";

enum { OPT_SOCKET = 256, OPT_MAX_BYTES, OPT_SOCKET_MODE, OPT_STATUS, OPT_JSON };

static const struct option hold_long_options[] = {
    {"socket", required_argument, NULL, OPT_SOCKET},
    {"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
    {"socket-mode", required_argument, NULL, OPT_SOCKET_MODE},
    {"status", no_argument, NULL, OPT_STATUS},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct hold_options {
        const char *socket;
        uint64_t max_bytes;
        unsigned mode;
        bool status, json, help;
};

static int parse(int argc, char **argv, struct hold_options *o)
{
        int opt;
        char *end;

        *o = (struct hold_options){.mode = 0666};
        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "+:h", hold_long_options, NULL)) != -1) {
                switch (opt) {
                case OPT_SOCKET:
                        o->socket = optarg;
                        break;
                case OPT_MAX_BYTES:
                        if (cli_parse_size(optarg, &o->max_bytes) < 0 || o->max_bytes == 0) {
                                cli_errorf("hold: --max-bytes '%s': expected a positive size",
                                           optarg);
                                return -EINVAL;
                        }
                        break;
                case OPT_SOCKET_MODE:
                        errno = 0;
                        o->mode = (unsigned)strtoul(optarg, &end, 8);
                        if (errno || *end || end == optarg || o->mode > 0777) {
                                cli_errorf("hold: --socket-mode '%s': expected octal 0..0777",
                                           optarg);
                                return -EINVAL;
                        }
                        break;
                case OPT_STATUS:
                        o->status = true;
                        break;
                case OPT_JSON:
                        o->json = true;
                        break;
                case 'h':
                        o->help = true;
                        break;
                case ':':
                        cli_errorf("hold: option '%s' needs a value", argv[optind - 1]);
                        return -EINVAL;
                default:
                        cli_errorf("hold: unknown option '%s' (see 'sealexec hold --help')",
                                   argv[optind - 1]);
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                cli_errorf("hold: unexpected argument '%s'", argv[optind]);
                return -EINVAL;
        }
        if (o->json && !o->status) {
                cli_errorf("hold: --json needs --status");
                return -EINVAL;
        }
        if (!o->socket) {
                const char *env = getenv("SEALEXEC_HOLD_SOCKET");
                o->socket = env && *env ? env : SEALEXEC_HOLD_DEFAULT_SOCKET;
        }
        return 0;
}

/* systemd socket activation: exactly one socket, passed as fd 3, meant for us. */
static int activated_fd(void)
{
        const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
        if (!pid || !fds || strtol(pid, NULL, 10) != (long)getpid() || strcmp(fds, "1") != 0)
                return -1;
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        return 3;
}

static int show_status(const struct hold_options *o)
{
        sealexec_error err = {0};
        char *text = NULL;
        if (sealexec_hold_status(o->socket, o->json, &text, &err) < 0)
                return cli_report(&err);
        fputs(text, stdout);
        if (o->json)
                fputc('\n', stdout);
        free(text);
        return fflush(stdout) == 0 ? 0 : CLI_EXIT_REFUSED;
}

int cli_cmd_hold(int argc, char **argv);

int cli_cmd_hold(int argc, char **argv)
{
        struct hold_options o;
        sealexec_error err = {0};

        if (parse(argc, argv, &o) < 0)
                return CLI_EXIT_REFUSED;
        if (o.help) {
                fputs(hold_usage, stdout);
                return 0;
        }
        if (o.status)
                return show_status(&o);

        /*
         * SIGTERM and SIGINT stay blocked for the life of the command: the
         * holder takes them through a signalfd, and restores this mask when it
         * returns, so a second SIGTERM (timeout(1) sends one to the process
         * and one to its group) that is still pending then cannot kill the
         * process on its way to a clean exit.
         */
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGINT);
        sigprocmask(SIG_BLOCK, &stop_signals, NULL);

        int fd = activated_fd();
        bool own_socket = fd < 0;
        if (own_socket && sealexec_hold_listen(o.socket, o.mode, &fd, &err) < 0)
                return cli_report(&err);
        int r = sealexec_hold_serve(fd, o.max_bytes, &err);
        /* Stopping: a stop signal still pending is discarded (SIG_IGN does
         * that) and the mask is the one the command started with, so the
         * process exits as it would have (LeakSanitizer's exit check hangs
         * while a signal is left pending and blocked). */
        signal(SIGTERM, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
        if (own_socket) {
                unlink(o.socket);
                close(fd);
        }
        return r < 0 ? cli_report(&err) : 0;
}
