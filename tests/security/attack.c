/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec-attack: a static program that plays the attacker in sealexec's
 * security tests. Run under `sealexec run`, it attacks from inside the
 * payload; run directly (or as a copy in a temporary directory), it plays
 * the parent that launches sealexec, or sets up a terminal. Each mode prints
 * "key=value" lines; a value is "0" when the attack succeeded, else the errno
 * name.
 *
 *   seal                attack the sealed /proc/self/exe, print its seals
 *   cat-exe             write the bytes of /proc/self/exe to stdout
 *   cve DIR             CVE-2019-5736 shape: write /proc/self/exe and
 *                       /proc/PPID/exe now and, from a forked child, after the
 *                       payload and its parent are gone; results go to DIR
 *   neighbours          ptrace, process_vm_writev, /proc/PPID/mem, kill on the parent
 *   tty                 TIOCSTI (plain and with high bits set), TIOCLINUX on fd 0
 *   fds                 every open descriptor with its access mode
 *   touch PATH          create PATH (a marker that the program ran)
 *   raw NR [ARG...]     syscall(NR, ARG...): print "ret=R" or "errno=E"
 *   spawn [--fds] -- CMD...  parent mode: run CMD as a child and wait; with
 *                       --fds, first open fds 3..20 (odd ones O_CLOEXEC) and
 *                       exec CMD in place instead. SIGTERM is caught and
 *                       reported as "parent_sigterm=1" on stderr.
 *   pty -- CMD...       run CMD on a new pty (session leader, controlling
 *                       terminal, stdin and stdout on the slave, stderr kept);
 *                       print what arrived on the master side.
 *   write FILE TEXT     open FILE for writing (truncated) and write TEXT
 *   create PATH         create PATH, which must not exist yet
 *   trace -- CMD...     run CMD as a traced child (PTRACE_TRACEME), resuming
 *                       every stop; "traced=1" on stderr once it is traced
 *   sigblock SIG -- CMD...  block signal number SIG, then exec CMD
 *   signals             print SigIgn and SigBlk of /proc/self/status
 *   seccomp-agent SOCK ERRNO  listen on the UNIX socket SOCK, take one
 *                       seccomp listener (SCM_RIGHTS, as sealexec and runc
 *                       send it), print its JSON state, answer every
 *                       notification with errno ERRNO until the payload
 *                       exits; print "agent_answered=N"
 *   exchange A B        swap the names A and B (RENAME_EXCHANGE) until killed
 *   watch-open PATH     count real opens of PATH (inotify IN_OPEN) until
 *                       SIGTERM, then print "opens=N"
 *   rewrite FILE OFF    rewrite FILE from OFF on with 'B's, then 'A's, ...
 *                       (one write each), restoring the mtime, until killed
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/seccomp.h>
#include <sys/un.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef F_GET_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL   0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW   0x0004
#define F_SEAL_WRITE  0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

static const char *errname(int e)
{
        static char buf[32];
        switch (e) {
        case 0:
                return "0";
        case EPERM:
                return "EPERM";
        case EACCES:
                return "EACCES";
        case EBADF:
                return "EBADF";
        case EINVAL:
                return "EINVAL";
        case ENOSYS:
                return "ENOSYS";
        case ETXTBSY:
                return "ETXTBSY";
        case EROFS:
                return "EROFS";
        case ESRCH:
                return "ESRCH";
        case EBUSY:
                return "EBUSY";
        case EFAULT:
                return "EFAULT";
        case ENOENT:
                return "ENOENT";
        case ENOTTY:
                return "ENOTTY";
        case EIO:
                return "EIO";
        case EXDEV:
                return "EXDEV";
        default:
                snprintf(buf, sizeof(buf), "E%d", e);
                return buf;
        }
}

/* errno is read here, after the call in the argument has been made (C leaves
 * the order in which arguments are evaluated open). */
static void report_result(const char *key, long r)
{
        int e = errno;
        printf("%s=%s\n", key, r >= 0 ? "0" : errname(e));
}
#define report(key, r, e) report_result(key, (long)(r))

/* Opens `path` for writing and writes one byte; "0" only if the byte went in. */
static void try_write(const char *key, const char *path, int flags)
{
        int fd = open(path, flags | O_CLOEXEC);
        if (fd < 0) {
                report(key, -1, errno);
                return;
        }
        ssize_t w = write(fd, "X", 1);
        report(key, w == 1 ? 0 : -1, errno);
        close(fd);
}

/*
 * Every way to change the sealed binary. There is no fcntl to remove a seal:
 * seals only ever accumulate (F_ADD_SEALS), so "remove" is attempted as the
 * only thing the API offers, adding seals once F_SEAL_SEAL is set.
 */
static int mode_seal(void)
{
        const char *exe = "/proc/self/exe";
        try_write("exe_open_wronly_write", exe, O_WRONLY);
        try_write("exe_open_rdwr_write", exe, O_RDWR);
        /* The best descriptor the payload can get: read-write if the kernel
         * allows it, read-only otherwise. */
        int fd = open(exe, O_RDWR | O_CLOEXEC);
        printf("exe_fd_mode=%s\n", fd >= 0 ? "rw" : "ro");
        if (fd < 0)
                fd = open(exe, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                report("exe_open", -1, errno);
                return 1;
        }
        report("exe_pwrite", pwrite(fd, "X", 1, 0) == 1 ? 0 : -1, errno);
        report("exe_ftruncate_shrink", ftruncate(fd, 0), errno);
        report("exe_ftruncate_grow", ftruncate(fd, 1 << 30), errno);
        report("exe_fallocate", fallocate(fd, 0, 0, 1 << 20), errno);
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        report("exe_mmap_shared_write", m == MAP_FAILED ? -1 : 0, errno);
        m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
        if (m != MAP_FAILED)
                report("exe_mprotect_write", mprotect(m, 4096, PROT_READ | PROT_WRITE), errno);
        else
                report("exe_mprotect_write", -1, errno);
        report("exe_add_seal_seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), errno);
        report("exe_add_seal_future_write", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), errno);
        report("exe_add_seal_none", fcntl(fd, F_ADD_SEALS, 0), errno);
        int seals = fcntl(fd, F_GET_SEALS);
        printf("exe_seals=%d\n", seals < 0 ? -1 : seals);
        close(fd);
        return 0;
}

static int mode_cat_exe(void)
{
        char buf[65536];
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 1;
        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n <= 0)
                        return n < 0;
                for (ssize_t off = 0; off < n;) {
                        ssize_t w = write(STDOUT_FILENO, buf + off, n - off);
                        if (w <= 0)
                                return 1;
                        off += w;
                }
        }
}

static int alive(pid_t pid)
{
        return kill(pid, 0) == 0 || errno == EPERM;
}

/* Writes through /proc/self/fd/N, i.e. reopens an O_PATH descriptor. */
static void try_write_fd(FILE *out, const char *key, int opath_fd)
{
        char path[64];
        if (opath_fd < 0) {
                fprintf(out, "%s=no-handle\n", key);
                return;
        }
        snprintf(path, sizeof(path), "/proc/self/fd/%d", opath_fd);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(out, "%s=%s\n", key, errname(errno));
                return;
        }
        ssize_t w = pwrite(fd, "X", 1, 0);
        fprintf(out, "%s=%s\n", key, w == 1 ? "0" : errname(errno));
        close(fd);
}

/*
 * The runc attack: keep handles on the payload's and the parent's binaries,
 * then write them once nothing executes them any more (ETXTBSY is gone).
 */
static int mode_cve(const char *dir)
{
        char path[PATH_MAX];
        pid_t self = getpid(), parent = getppid();
        int self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
        report("cve_self_handle", self_fd, errno);
        snprintf(path, sizeof(path), "/proc/%d/exe", (int)parent);
        int parent_fd = open(path, O_PATH | O_CLOEXEC);
        report("cve_parent_handle", parent_fd, errno);
        try_write_fd(stdout, "cve_self_write_now", self_fd);
        try_write_fd(stdout, "cve_parent_write_now", parent_fd);
        try_write("cve_parent_path_write_now", path, O_WRONLY);
        fflush(stdout);

        pid_t child = fork();
        if (child < 0) {
                report("cve_fork", -1, errno);
                return 1;
        }
        if (child > 0)
                return 0; /* the payload exits; its child goes on */
        setsid();
        struct timespec tick = {0, 20 * 1000 * 1000};
        for (int i = 0; i < 500 && (alive(self) || alive(parent)); i++)
                nanosleep(&tick, NULL);
        snprintf(path, sizeof(path), "%s/cve-result.tmp", dir);
        FILE *out = fopen(path, "we");
        if (!out)
                _exit(1);
        fprintf(out, "cve_launcher_gone=%d\n", !alive(self) && !alive(parent));
        try_write_fd(out, "cve_self_write_later", self_fd);
        try_write_fd(out, "cve_parent_write_later", parent_fd);
        fclose(out);
        char done[PATH_MAX];
        snprintf(done, sizeof(done), "%s/cve-result", dir);
        rename(path, done);
        _exit(0);
}

static int mode_neighbours(void)
{
        pid_t parent = getppid();
        char path[64], byte = 0;
        errno = 0;
        report("ptrace_attach", ptrace(PTRACE_ATTACH, parent, 0, 0), errno);
        struct iovec local = {&byte, 1}, remote = {(void *)0x10000, 1};
        report("process_vm_writev",
               syscall(SYS_process_vm_writev, parent, &local, 1, &remote, 1, 0), errno);
        snprintf(path, sizeof(path), "/proc/%d/mem", (int)parent);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        report("proc_mem_rdwr", fd, errno);
        if (fd >= 0)
                close(fd);
        report("kill_0", kill(parent, 0), errno);
        report("kill_sigterm", kill(parent, SIGTERM), errno);
        return 0;
}

static int mode_tty(void)
{
        char c = 'x';
        /* Results go to stderr so that only injected input reaches the master. */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        report("tiocsti", ioctl(STDIN_FILENO, TIOCSTI, &c), errno);
        /* ioctl's request is an unsigned int in the kernel: the high bits are
         * dropped there, so a filter comparing all 64 bits would miss this. */
        report("tiocsti_high_bits", syscall(SYS_ioctl, STDIN_FILENO, 0xffffffff00005412UL, &c),
               errno);
        char sub[2] = {2 /* TIOCL_SETSEL */, 0};
        report("tioclinux", ioctl(STDIN_FILENO, TIOCLINUX, sub), errno);
        /* Whatever was pushed would now sit in our own input queue. */
        struct termios t;
        if (tcgetattr(STDIN_FILENO, &t) == 0) {
                t.c_lflag &= ~ICANON; /* a pushed byte is readable without a newline */
                tcsetattr(STDIN_FILENO, TCSANOW, &t);
        }
        int flags = fcntl(STDIN_FILENO, F_GETFL);
        fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK);
        char buf[64];
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        printf("tty_input_bytes=%zd\n", n < 0 ? 0 : n);
        return 0;
}

static const char *access_mode(int fd)
{
        char path[64], line[128];
        snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
        FILE *f = fopen(path, "re");
        if (!f)
                return "?";
        const char *mode = "?";
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "flags:", 6) == 0) {
                        long flags = strtol(line + 6, NULL, 8);
                        int acc = flags & O_ACCMODE;
                        mode = acc == O_RDONLY ? "ro" : acc == O_WRONLY ? "wo" : "rw";
                }
        fclose(f);
        return mode;
}

static int mode_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return 1;
        int own = dirfd(d), fds[1024], count = 0;
        struct dirent *e;
        while ((e = readdir(d)) && count < 1024)
                if (e->d_name[0] != '.' && atoi(e->d_name) != own)
                        fds[count++] = atoi(e->d_name);
        closedir(d);
        for (int i = 0; i < count; i++) {
                char path[64], target[PATH_MAX];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
                ssize_t n = readlink(path, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                printf("fd %d %s %s\n", fds[i], access_mode(fds[i]), target);
        }
        return 0;
}

static int mode_raw(int argc, char **argv)
{
        unsigned long a[6] = {0};
        long nr = strtol(argv[0], NULL, 0);
        for (int i = 1; i < argc && i <= 6; i++)
                a[i - 1] = strtoul(argv[i], NULL, 0);
        errno = 0;
        long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (r < 0)
                printf("errno=%d\n", errno);
        else
                printf("ret=ok\n");
        return 0;
}

static volatile sig_atomic_t got_sigterm;
static void on_sigterm(int sig)
{
        (void)sig;
        got_sigterm = 1;
}

static int mode_spawn(int argc, char **argv)
{
        int with_fds = argc > 0 && strcmp(argv[0], "--fds") == 0;
        argv += with_fds, argc -= with_fds;
        if (argc < 2 || strcmp(argv[0], "--") != 0)
                return 2;
        if (with_fds) {
                for (int fd = 3; fd <= 20; fd++) {
                        int f = open("/dev/null", O_RDONLY | ((fd & 1) ? O_CLOEXEC : 0));
                        if (f < 0 || (f != fd && dup3(f, fd, (fd & 1) ? O_CLOEXEC : 0) < 0))
                                return 2;
                        if (f != fd)
                                close(f);
                }
                execv(argv[1], argv + 1);
                return 127;
        }
        struct sigaction sa = {.sa_handler = on_sigterm};
        sigaction(SIGTERM, &sa, NULL);
        pid_t child = fork();
        if (child < 0)
                return 2;
        if (child == 0) {
                execv(argv[1], argv + 1);
                _exit(127);
        }
        int status;
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return 2;
        fprintf(stderr, "parent_sigterm=%d\n", (int)got_sigterm);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void pty_child(int master, char **argv)
{
        setsid();
        const char *name = ptsname(master);
        int slave = name ? open(name, O_RDWR) : -1; /* not O_NOCTTY */
        if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
                _exit(126);
        close(master);
        dup2(slave, STDIN_FILENO);
        dup2(slave, STDOUT_FILENO);
        if (slave > STDERR_FILENO)
                close(slave);
        execv(argv[0], argv);
        _exit(127);
}

/*
 * exchange A B: swaps the names A and B with renameat2(RENAME_EXCHANGE) in a
 * loop until killed (test-open-race.sh: a symlink flipped between a regular
 * file and a FIFO while sealexec opens it).
 */
static int mode_exchange(const char *a, const char *b)
{
        for (;;)
                if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0) {
                        report("exchange", -1, errno);
                        return 1;
                }
}

/*
 * rewrite FILE OFFSET: rewrites FILE from OFFSET to its end, alternately with
 * 'A' and 'B', in one write(2) each time, and after each rewrite puts the
 * original mtime back with futimens(); prints "rewritten" after each one.
 * Runs until killed (test-torn-copy.sh).
 */
static int mode_rewrite(const char *path, const char *offset_text)
{
        off_t offset = (off_t)strtoll(offset_text, NULL, 10);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || offset < 0 || offset > st.st_size) {
                report("rewrite_open", -1, errno);
                return 1;
        }
        size_t len = (size_t)(st.st_size - offset);
        char *data = malloc(len ? len : 1);
        if (!data)
                return 1;
        const struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, st.st_mtim};
        for (char c = 'B';; c = c == 'A' ? 'B' : 'A') {
                memset(data, c, len);
                if (pwrite(fd, data, len, offset) != (ssize_t)len) {
                        report("rewrite_write", -1, errno);
                        return 1;
                }
                if (futimens(fd, times) < 0) {
                        report("rewrite_futimens", -1, errno);
                        return 1;
                }
                printf("rewritten\n");
        }
}

/*
 * watch-open PATH: counts the opens of PATH's inode that are more than an
 * O_PATH lookup (inotify IN_OPEN: reported in the opener's own system call,
 * so none is missed). Prints "watching" once the watch is in place, and
 * "opens=N" when SIGTERM arrives.
 */
static int mode_watch_open(const char *path)
{
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0 || inotify_add_watch(fd, path, IN_OPEN) < 0) {
                report("watch_open", -1, errno);
                return 1;
        }
        printf("watching\n");
        int sig;
        sigwait(&set, &sig);
        long opens = 0;
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n <= 0)
                        break;
                for (char *p = buf; p < buf + n;) {
                        struct inotify_event *e = (struct inotify_event *)p;
                        opens += (e->mask & IN_OPEN) != 0;
                        p += sizeof(*e) + e->len;
                }
        }
        printf("opens=%ld\n", opens);
        return 0;
}

static int mode_pty(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[0], "--") != 0)
                return 2;
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
                fprintf(stderr, "pty: %s\n", strerror(errno));
                return 2;
        }
        pid_t child = fork();
        if (child < 0)
                return 2;
        if (child == 0)
                pty_child(master, argv + 1);
        /* Echo is on, so a character injected into the slave's input also
         * comes out here; collect everything until the child is gone. */
        char buf[4096];
        size_t total = 0, xs = 0;
        int status = 0;
        for (;;) {
                struct pollfd p = {master, POLLIN, 0};
                int r = poll(&p, 1, 200);
                if (r > 0 && (p.revents & POLLIN)) {
                        ssize_t n = read(master, buf, sizeof(buf));
                        if (n > 0) {
                                total += n;
                                for (ssize_t i = 0; i < n; i++)
                                        xs += buf[i] == 'x';
                                fwrite(buf, 1, n, stderr);
                                continue;
                        }
                }
                if (waitpid(child, &status, WNOHANG) != child)
                        continue;
                /* Drain what the child wrote just before it exited. */
                ssize_t n;
                while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN) &&
                       (n = read(master, buf, sizeof(buf))) > 0) {
                        total += n;
                        for (ssize_t i = 0; i < n; i++)
                                xs += buf[i] == 'x';
                }
                break;
        }
        printf("master_bytes=%zu\nmaster_x=%zu\n", total, xs);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* write FILE TEXT: "write=0" only if all of TEXT went in. */
static int mode_write(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0) {
                report("write", -1, errno);
                return 0;
        }
        size_t len = strlen(text);
        errno = EIO; /* a short write sets none */
        ssize_t w = write(fd, text, len);
        report("write", w == (ssize_t)len ? 0 : -1, errno);
        close(fd);
        return 0;
}

/* create PATH: O_EXCL, so that "create=0" means this call made the file. */
static int mode_create(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        report("create", fd, errno);
        if (fd >= 0)
                close(fd);
        return 0;
}

/*
 * trace -- CMD...: a debugger's launch. The child asks to be traced and
 * executes CMD; the parent resumes every stop (the exec's SIGTRAP is
 * swallowed, other signals passed on) and exits as the child did. When the
 * kernel refuses tracing (Yama), "traceme=ERRNO" is printed and the exit
 * status is 3.
 */
static int mode_trace(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[0], "--") != 0)
                return 2;
        pid_t child = fork();
        if (child < 0)
                return 2;
        if (child == 0) {
                if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
                        fprintf(stderr, "traceme=%s\n", errname(errno));
                        _exit(3);
                }
                execv(argv[1], argv + 1);
                _exit(127);
        }
        int status, traced = 0;
        for (;;) {
                if (waitpid(child, &status, 0) < 0) {
                        if (errno == EINTR)
                                continue;
                        return 2;
                }
                if (!WIFSTOPPED(status))
                        break;
                if (!traced) {
                        traced = 1;
                        fprintf(stderr, "traced=1\n");
                        ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_EXITKILL);
                }
                int sig = WSTOPSIG(status);
                ptrace(PTRACE_CONT, child, 0, sig == SIGTRAP ? 0 : sig);
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* sigblock SIG -- CMD...: CMD starts with SIG blocked (execve keeps the mask). */
static int mode_sigblock(int argc, char **argv)
{
        if (argc < 3 || strcmp(argv[1], "--") != 0)
                return 2;
        sigset_t set;
        sigemptyset(&set);
        if (sigaddset(&set, atoi(argv[0])) < 0 || sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return 2;
        execv(argv[2], argv + 2);
        return 127;
}

/* signals: "SigIgn=HEX" and "SigBlk=HEX", as the kernel reports them. */
static int mode_signals(void)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");
        if (!f) {
                report("status", -1, errno);
                return 1;
        }
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "SigIgn:", 7) == 0 || strncmp(line, "SigBlk:", 7) == 0) {
                        char *v = line + 7;
                        v += strspn(v, " \t");
                        v[strcspn(v, "\n")] = '\0';
                        printf("%.6s=%s\n", line, v);
                }
        fclose(f);
        return 0;
}

/* The seccomp agent side of --seccomp-listener (tests/security/test-notify.sh). */
static int agent_receive(int conn, int *ret_listener)
{
        char data[512] = {0};
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov = {.iov_base = data, .iov_len = sizeof(data) - 1};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        if (recvmsg(conn, &mh, 0) <= 0)
                return -1;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        if (!cm || cm->cmsg_type != SCM_RIGHTS)
                return -1;
        memcpy(ret_listener, CMSG_DATA(cm), sizeof(int));
        printf("agent_state=%s\n", data);
        return 0;
}

static int mode_seccomp_agent(const char *path, int errnum)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
        int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
            listen(srv, 1) < 0)
                return 3;
        chmod(path, 0666);
        int conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC), listener = -1;
        if (conn < 0 || agent_receive(conn, &listener) < 0)
                return 4;
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        int answered = 0;
        for (;;) {
                memset(&req, 0, sizeof(req));
                /* Fails (ENOENT) once the filter has no users: the payload is gone. */
                if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                        break;
                resp = (struct seccomp_notif_resp){.id = req.id, .error = -errnum, .val = 0};
                if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
                        answered++;
        }
        printf("agent_answered=%d\n", answered);
        return 0;
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc < 2)
                return 2;
        const char *m = argv[1];
        if (strcmp(m, "seal") == 0)
                return mode_seal();
        if (strcmp(m, "cat-exe") == 0)
                return mode_cat_exe();
        if (strcmp(m, "cve") == 0 && argc == 3)
                return mode_cve(argv[2]);
        if (strcmp(m, "neighbours") == 0)
                return mode_neighbours();
        if (strcmp(m, "tty") == 0)
                return mode_tty();
        if (strcmp(m, "fds") == 0)
                return mode_fds();
        if (strcmp(m, "touch") == 0 && argc == 3) {
                int fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                return fd < 0;
        }
        if (strcmp(m, "raw") == 0 && argc >= 3)
                return mode_raw(argc - 2, argv + 2);
        if (strcmp(m, "spawn") == 0)
                return mode_spawn(argc - 2, argv + 2);
        if (strcmp(m, "pty") == 0)
                return mode_pty(argc - 2, argv + 2);
        if (strcmp(m, "exchange") == 0 && argc == 4)
                return mode_exchange(argv[2], argv[3]);
        if (strcmp(m, "rewrite") == 0 && argc == 4)
                return mode_rewrite(argv[2], argv[3]);
        if (strcmp(m, "watch-open") == 0 && argc == 3)
                return mode_watch_open(argv[2]);
        if (strcmp(m, "write") == 0 && argc == 4)
                return mode_write(argv[2], argv[3]);
        if (strcmp(m, "create") == 0 && argc == 3)
                return mode_create(argv[2]);
        if (strcmp(m, "trace") == 0)
                return mode_trace(argc - 2, argv + 2);
        if (strcmp(m, "sigblock") == 0)
                return mode_sigblock(argc - 2, argv + 2);
        if (strcmp(m, "signals") == 0)
                return mode_signals();
        if (strcmp(m, "seccomp-agent") == 0 && argc == 4)
                return mode_seccomp_agent(argv[2], atoi(argv[3]));
        return 2;
}
