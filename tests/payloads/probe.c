/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec-probe: a static test payload that reports, from inside, what a
 * sealexec launch left it with. Each argument is one check; each check prints
 * "key=value" lines that the integration tests compare.
 *
 *   status        exe memfd and seals, NoNewPrivs, Seccomp, capability sets, ids
 *   fds           the open descriptors, e.g. "fds=0,1,2"
 *   exe-attack    try to write, truncate, remap and reseal /proc/self/exe
 *   file:PATH     the same attacks on a configuration file, plus its content
 *   syscall:NAME  run a syscall and print its errno (ptrace, getppid, ...)
 *   env           every environment variable, "env:K=V"
 *   argv          every argument, "argv[i]=..."
 *   cwd           the working directory
 *   rlimit:NAME   soft and hard limit of nofile, nproc, core
 *   exec-kept     execute the executable memfd at fd $PROBE_KEPT_FD (handed in from
 *                 outside) by descriptor, by /proc/self/fd path and by execve
 *   exec-attack   try every route to execute a program (for --exec-once), each
 *                 in a child: "exec_ROUTE=0" means a program ran
 *   session       session id, pid, and whether /dev/tty (a controlling terminal) opens
 *   exit:N        exit with status N
 *   parent-attack open the parent's /proc/PID/mem read-write, PTRACE_ATTACH it, kill(ppid, 0)
 *   write:PATH    create PATH and write one byte to it
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_GET_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL 0x0001
#endif

extern char **environ;

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
        case ELOOP:
                return "ELOOP";
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
        case EAFNOSUPPORT:
                return "EAFNOSUPPORT";
        case ENXIO:
                return "ENXIO";
        case EIO:
                return "EIO";
        case ENOTTY:
                return "ENOTTY";
        default:
                snprintf(buf, sizeof(buf), "E%d", e);
                return buf;
        }
}

static void print_status_fields(void)
{
        static const char *keys[] = {"NoNewPrivs:", "Seccomp:", "CapInh:", "CapPrm:", "CapEff:",
                                     "CapBnd:",     "CapAmb:",  "Uid:",    "Gid:",    "Groups:"};
        char line[512];
        FILE *f = fopen("/proc/self/status", "re");
        if (!f) {
                printf("status_error=%s\n", errname(errno));
                return;
        }
        while (fgets(line, sizeof(line), f)) {
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                        size_t n = strlen(keys[i]);
                        if (strncmp(line, keys[i], n) != 0)
                                continue;
                        char *v = line + n;
                        v += strspn(v, " \t");
                        v[strcspn(v, "\n")] = '\0';
                        for (size_t len = strlen(v);
                             len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t');)
                                v[--len] = '\0';
                        for (char *t = v; *t; t++)
                                if (*t == '\t')
                                        *t = ' ';
                        printf("%.*s=%s\n", (int)(n - 1), keys[i], v);
                }
        }
        fclose(f);
}

static void check_status(void)
{
        char target[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        printf("exe=%s\n", target);
        printf("exe_is_memfd=%d\n", strncmp(target, "/memfd:", 7) == 0);
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;
        printf("exe_seals=0x%x\n", seals < 0 ? 0 : seals);
        if (fd >= 0)
                close(fd);
        print_status_fields();
}

static void check_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d) {
                printf("fds_error=%s\n", errname(errno));
                return;
        }
        int own = dirfd(d), fds[1024], count = 0;
        struct dirent *e;
        while ((e = readdir(d)) && count < 1024) {
                if (e->d_name[0] == '.')
                        continue;
                int fd = atoi(e->d_name);
                if (fd != own)
                        fds[count++] = fd;
        }
        closedir(d);
        for (int i = 1; i < count; i++)
                for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
                        int t = fds[j];
                        fds[j] = fds[j - 1];
                        fds[j - 1] = t;
                }
        printf("fds=");
        for (int i = 0; i < count; i++)
                printf("%s%d", i ? "," : "", fds[i]);
        printf("\n");
}

/* Every way to change a sealed file; each must fail. */
static void attack_file(const char *label, const char *path)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        int e = errno;
        if (fd >= 0) {
                /* Opening may succeed for root; writing must not. */
                ssize_t w = write(fd, "X", 1);
                printf("%s_write=%s\n", label, w == 1 ? "0" : errname(errno));
                close(fd);
        } else {
                printf("%s_write=%s\n", label, errname(e));
        }
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
                fd = open(path, O_RDONLY | O_CLOEXEC);
        printf("%s_truncate=%s\n", label, ftruncate(fd, 0) == 0 ? "0" : errname(errno));
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        printf("%s_mmap_shared_write=%s\n", label, m != MAP_FAILED ? "0" : errname(errno));
        int r = fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL);
        printf("%s_add_seals=%s\n", label, r == 0 ? "0" : errname(errno));
        printf("%s_seals=0x%x\n", label, fcntl(fd, F_GET_SEALS) < 0 ? 0 : fcntl(fd, F_GET_SEALS));
        close(fd);
}

static void check_file(const char *path)
{
        char buf[4096];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                printf("file_open=%s\n", errname(errno));
                return;
        }
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        printf("file_content=%s\n", buf);
        attack_file("file", path);
}

static void check_syscall(const char *name)
{
        long r;
        errno = 0;
        if (strcmp(name, "ptrace") == 0)
                r = ptrace(PTRACE_TRACEME, 0, 0, 0);
        else if (strcmp(name, "getppid") == 0)
                r = syscall(SYS_getppid);
        else if (strcmp(name, "io_uring_setup") == 0)
                r = syscall(425, 1, NULL);
        else if (strcmp(name, "unknown") == 0)
                r = syscall(1000);
        else if (strcmp(name, "process_vm_readv") == 0)
                r = syscall(SYS_process_vm_readv, getppid(), NULL, 0, NULL, 0, 0);
        else if (strcmp(name, "unshare") == 0)
                r = syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */);
        else if (strcmp(name, "socket_vsock") == 0)
                r = syscall(SYS_socket, 40 /* AF_VSOCK */, 1 /* SOCK_STREAM */, 0);
        else if (strcmp(name, "socket_unix") == 0)
                r = syscall(SYS_socket, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0);
        else if (strcmp(name, "socket_unix_high") == 0)
                r = syscall(SYS_socket, 0x100000001L /* AF_UNIX with high bits */, 1, 0);
        else if (strcmp(name, "socketpair_unix_dgram") == 0) {
                int sv[2];
                r = syscall(SYS_socketpair, 1 /* AF_UNIX */, 2 /* SOCK_DGRAM */, 0, sv);
        } else if (strcmp(name, "socketpair_unix_stream") == 0) {
                int sv[2];
                r = syscall(SYS_socketpair, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, sv);
        } else if (strcmp(name, "connect_unix") == 0) {
                /* A named socket given by PROBE_UNIX_PATH (docker.sock's stand-in). */
                int fd = (int)syscall(SYS_socket, 1, 1, 0);
                struct {
                        unsigned short family;
                        char path[108];
                } addr = {1, {0}};
                const char *path = getenv("PROBE_UNIX_PATH");
                snprintf(addr.path, sizeof(addr.path), "%s", path ? path : "");
                r = fd < 0 ? -1 : syscall(SYS_connect, fd, &addr, sizeof(addr));
        } else if (strcmp(name, "socket_inet") == 0)
                r = syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
        else if (strcmp(name, "personality_query") == 0)
                r = syscall(SYS_personality, 0xffffffffUL);
        else if (strcmp(name, "clone3") == 0)
                r = syscall(435 /* clone3 */, NULL, 0); /* EFAULT/EINVAL if allowed */
        else if (strcmp(name, "mount") == 0)
                r = syscall(SYS_mount, "none", "/nonexistent-sealexec", "tmpfs", 0, NULL);
        else {
                printf("syscall_%s=unknown-check\n", name);
                return;
        }
        printf("syscall_%s=%s\n", name, r >= 0 ? "0" : errname(errno));
}

/* What a payload could do to the process that launched it, past seccomp. */
static void check_parent_attack(void)
{
        char path[64];
        pid_t ppid = getppid();
        snprintf(path, sizeof(path), "/proc/%d/mem", (int)ppid);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        printf("parent_mem_open=%s\n", fd >= 0 ? "0" : errname(errno));
        if (fd >= 0)
                close(fd);
        long r = ptrace(PTRACE_ATTACH, ppid, 0, 0);
        printf("parent_ptrace_attach=%s\n", r == 0 ? "0" : errname(errno));
        if (r == 0) {
                waitpid(ppid, NULL, __WALL);
                ptrace(PTRACE_DETACH, ppid, 0, 0);
        }
        printf("parent_kill=%s\n", kill(ppid, 0) == 0 ? "0" : errname(errno));
}

static void check_write(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                printf("write=%s\n", errname(errno));
                return;
        }
        printf("write=%s\n", write(fd, "x", 1) == 1 ? "0" : errname(errno));
        close(fd);
}

static void check_rlimit(const char *name)
{
        int resource = strcmp(name, "nofile") == 0  ? RLIMIT_NOFILE
                       : strcmp(name, "nproc") == 0 ? RLIMIT_NPROC
                                                    : RLIMIT_CORE;
        struct rlimit rl;
        getrlimit(resource, &rl);
        printf("rlimit_%s=%llu:%llu\n", name, (unsigned long long)rl.rlim_cur,
               (unsigned long long)rl.rlim_max);
}

/*
 * Exec attempts run in a child, so a route that works does not replace the
 * probe: the child exits with the errno, or /bin/true's 0 when a program ran.
 */
static long exec_fd_x(void)
{
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        return (long)rl.rlim_max; /* exec-once lowered the hard limit to X */
}

/* The flags of sealexec's own launch (POLICY_LAUNCH_FLAGS in policy/ir.h): a replay
 * of the launch rule uses exactly these. */
#define LAUNCH_FLAGS (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)

static void exec_route(const char *route)
{
        static char *const args[] = {"true", NULL};
        long x = exec_fd_x();
        if (strcmp(route, "execve") == 0)
                syscall(SYS_execve, "/bin/true", args, environ);
        else if (strcmp(route, "execveat_new") == 0)
                syscall(SYS_execveat, open("/bin/true", O_RDONLY | O_CLOEXEC), "", args, environ,
                        AT_EMPTY_PATH);
        else if (strcmp(route, "execveat_x") == 0)
                syscall(SYS_execveat, x, "", args, environ, LAUNCH_FLAGS);
        else if (strncmp(route, "kept_", 5) == 0) {
                /* An executable memfd handed in from outside (PROBE_KEPT_FD). */
                const char *v = getenv("PROBE_KEPT_FD");
                int kept = v ? atoi(v) : -1;
                char path[64];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", kept);
                if (strcmp(route, "kept_fd") == 0)
                        syscall(SYS_execveat, kept, "", args, environ, AT_EMPTY_PATH);
                else if (strcmp(route, "kept_magic") == 0)
                        syscall(SYS_execveat, x, path, args, environ, LAUNCH_FLAGS);
                else
                        syscall(SYS_execve, path, args, environ);
        } else if (strcmp(route, "execveat_magic") == 0)
                /* The running image again, by a magic link (ELOOP with NOFOLLOW). */
                syscall(SYS_execveat, x, "/proc/self/exe", args, environ, LAUNCH_FLAGS);
        else if (strcmp(route, "execveat_abs") == 0)
                /* The kernel ignores the (closed) fd for an absolute path. */
                syscall(SYS_execveat, x, "/bin/true", args, environ, LAUNCH_FLAGS);
        else if (strcmp(route, "execveat_3") == 0) {
                /* A file opened after the launch lands on the lowest free number. */
                close(3);
                int fd = open("/bin/true", O_RDONLY);
                syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
        } else if (strcmp(route, "ldso") == 0) {
                static char *const ld_args[] = {"ld.so", "/bin/true", NULL};
                syscall(SYS_execve, "/lib64/ld-linux-x86-64.so.2", ld_args, environ);
        } else if (strcmp(route, "memfd_exec") == 0) {
                /* A static program (this probe) copied into an executable memfd. */
                static char *const probe_args[] = {"probe", "exit:0", NULL};
                int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
                int m = (int)syscall(SYS_memfd_create, "x", 1 | 0x10 /* MFD_CLOEXEC|MFD_EXEC */);
                if (in < 0 || m < 0)
                        _exit(errno);
                char buf[65536];
                ssize_t n;
                while ((n = read(in, buf, sizeof(buf))) > 0)
                        if (write(m, buf, (size_t)n) != n)
                                _exit(errno);
                syscall(SYS_execveat, m, "", probe_args, environ, AT_EMPTY_PATH);
        } else if (strcmp(route, "forged") == 0)
                syscall(SYS_execveat, 0x100000000L | x, "", args, environ, LAUNCH_FLAGS);
        else if (strcmp(route, "memfd") == 0) {
                int in = open("/bin/true", O_RDONLY | O_CLOEXEC);
                int m = (int)syscall(SYS_memfd_create, "x", 1 /* MFD_CLOEXEC */);
                if (in < 0 || m < 0)
                        _exit(errno);
                char buf[65536];
                ssize_t n;
                while ((n = read(in, buf, sizeof(buf))) > 0)
                        if (write(m, buf, (size_t)n) != n)
                                _exit(errno);
                syscall(SYS_execveat, m, "", args, environ, AT_EMPTY_PATH);
        } else if (strcmp(route, "vfork") == 0) {
                pid_t pid = vfork();
                if (pid == 0) {
                        syscall(SYS_execve, "/bin/true", args, environ);
                        _exit(errno);
                }
                int st = 0;
                waitpid(pid, &st, 0);
                _exit(pid < 0 ? errno : WEXITSTATUS(st));
        }
        _exit(errno);
}

static void exec_report(const char *route)
{
        pid_t pid = fork();
        if (pid == 0)
                exec_route(route);
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
                printf("exec_%s=?\n", route);
                return;
        }
        printf("exec_%s=%s\n", route, errname(WEXITSTATUS(st)));
}

static void check_exec_attack(void)
{
        static const char *const routes[] = {
            "execve", "execveat_new", "execveat_x", "execveat_abs", "execveat_magic",
            "execveat_3", "ldso", "memfd_exec", "forged", "memfd", "vfork"};
        long x = exec_fd_x();
        fflush(stdout);
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
                exec_report(routes[i]);
                fflush(stdout);
        }
        /* Getting a descriptor numbered X back, or raising the limit above it. */
        errno = 0;
        printf("exec_dup2=%s\n", dup2(0, (int)x) >= 0 ? "0" : errname(errno));
        errno = 0;
        printf("exec_dup3=%s\n", dup3(0, (int)x, O_CLOEXEC) >= 0 ? "0" : errname(errno));
        errno = 0;
        printf("exec_dupfd=%s\n", fcntl(0, F_DUPFD, (int)x) >= 0 ? "0" : errname(errno));
        struct rlimit up = {.rlim_cur = (rlim_t)x + 1, .rlim_max = (rlim_t)x + 1};
        errno = 0;
        printf("exec_setrlimit=%s\n", setrlimit(RLIMIT_NOFILE, &up) == 0 ? "0" : errname(errno));
        errno = 0;
        printf("exec_prlimit=%s\n",
               syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &up, NULL) == 0 ? "0" : errname(errno));
}

/* Routes through an executable memfd the payload received (PROBE_KEPT_FD). */
static void check_exec_kept(void)
{
        static const char *const routes[] = {"kept_fd", "kept_magic", "kept_execve"};
        fflush(stdout);
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
                exec_report(routes[i]);
                fflush(stdout);
        }
}

static void check_session(void)
{
        int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int e = errno;
        printf("session_pid=%ld\nsession_sid=%ld\n", (long)getpid(), (long)getsid(0));
        printf("session_tty=%s\n", tty >= 0 ? "0" : errname(e));
        if (tty >= 0)
                close(tty);
        /* TIOCSTI on the terminal inherited as stdin: only a controlling one accepts it. */
        char c = ' ';
        errno = 0;
        printf("session_tiocsti=%s\n",
               ioctl(0, 0x5412 /* TIOCSTI */, &c) == 0 ? "0" : errname(errno));
}

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                if (strcmp(a, "status") == 0)
                        check_status();
                else if (strcmp(a, "fds") == 0)
                        check_fds();
                else if (strcmp(a, "exec-attack") == 0)
                        check_exec_attack();
                else if (strcmp(a, "exec-kept") == 0)
                        check_exec_kept();
                else if (strcmp(a, "session") == 0)
                        check_session();
                else if (strcmp(a, "exe-attack") == 0)
                        attack_file("exe", "/proc/self/exe");
                else if (strncmp(a, "file:", 5) == 0)
                        check_file(a + 5);
                else if (strncmp(a, "syscall:", 8) == 0)
                        check_syscall(a + 8);
                else if (strcmp(a, "env") == 0)
                        for (char **e = environ; *e; e++)
                                printf("env:%s\n", *e);
                else if (strcmp(a, "argv") == 0)
                        for (int j = 0; j < argc; j++)
                                printf("argv[%d]=%s\n", j, argv[j]);
                else if (strcmp(a, "cwd") == 0) {
                        char cwd[PATH_MAX];
                        printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
                } else if (strcmp(a, "parent-attack") == 0)
                        check_parent_attack();
                else if (strncmp(a, "write:", 6) == 0)
                        check_write(a + 6);
                else if (strncmp(a, "rlimit:", 7) == 0)
                        check_rlimit(a + 7);
                else if (strncmp(a, "exit:", 5) == 0) {
                        fflush(stdout);
                        return atoi(a + 5);
                }
        }
        return 0;
}
