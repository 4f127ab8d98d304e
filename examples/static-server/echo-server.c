/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * echo-server: the "static server" of examples/policies/. Built with
 * -static so that its system calls are few and known (no dynamic loader).
 *
 *   echo-server PORT      (0: any free port)
 *
 * Listens on 127.0.0.1:PORT, prints "listening on N" to stdout, answers one
 * connection: reads one line and writes "hello LINE" back, then exits 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_loopback(int port, int *ret_port)
{
        struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        socklen_t len = sizeof(addr);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0 ||
            getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
                perror("echo-server: listen");
                return -1;
        }
        *ret_port = ntohs(addr.sin_port);
        return fd;
}

static int serve_one(int listener)
{
        char line[256];
        char reply[300];
        size_t used = 0;
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

        if (fd < 0) {
                perror("echo-server: accept");
                return 1;
        }
        while (used < sizeof(line) - 1) {
                ssize_t n = read(fd, line + used, 1);
                if (n <= 0 || line[used] == '\n')
                        break;
                used++;
        }
        line[used] = '\0';
        int n = snprintf(reply, sizeof(reply), "hello %s\n", line);
        int ok = write(fd, reply, (size_t)n) == n;
        close(fd);
        return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
        int port = argc > 1 ? atoi(argv[1]) : 0;
        int listener = listen_loopback(port, &port);

        if (listener < 0)
                return 1;
        printf("listening on %d\n", port);
        fflush(stdout);
        int status = serve_one(listener);
        close(listener);
        return status;
}
