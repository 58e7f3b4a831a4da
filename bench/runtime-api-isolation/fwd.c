/*
 * The forwarder of candidate (b): listens on 127.0.0.1:PORT inside the sandbox's own network namespace and relays
 * every accepted connection, byte for byte, to a Unix socket bound in from the host (where the server listens).
 * With "-- cmd args..." it first listens, then forks and execs cmd (the runtime), so the port is ready before the
 * runtime starts; it exits when cmd exits. One process per connection (runtimes keep one keep-alive connection).
 * On exit of a relay it prints its CPU time to stderr when FWD_CPU is set.
 * Usage: fwd PORT SOCKET_PATH [-- cmd args...]        Build: gcc -O2 -o fwd fwd.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void relay(int a, int b) {
    char buf[65536];
    struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, -1) < 0) return;
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0) return;
            int to = p[1 - i].fd;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, n - off);
                if (w <= 0) return;
                off += w;
            }
        }
    }
}

static int connect_unix(const char *path) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) { perror("fwd: connect unix"); exit(1); }
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: fwd PORT SOCKET_PATH [-- cmd args...]\n"); return 2; }
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(lfd, 16) != 0) { perror("fwd: listen"); return 1; }
    if (argc > 4 && strcmp(argv[3], "--") == 0) {
        pid_t cmd = fork();
        if (cmd == 0) { close(lfd); execvp(argv[4], argv + 4); perror("fwd: exec"); _exit(127); }
        pid_t acceptor = fork();
        if (acceptor != 0) {  /* the parent waits for cmd, then stops the acceptor; relays end with their connection */
            close(lfd);
            int status;
            waitpid(cmd, &status, 0);
            kill(acceptor, SIGTERM);
            waitpid(acceptor, NULL, 0);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        }
    }
    signal(SIGCHLD, SIG_IGN);  /* relays are reaped by the kernel */
    for (;;) {
        int c = accept(lfd, NULL, NULL);
        if (c < 0) continue;
        if (fork() == 0) {
            close(lfd);
            setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            int u = connect_unix(argv[2]);
            relay(c, u);
            if (getenv("FWD_CPU")) {
                struct rusage ru;
                getrusage(RUSAGE_SELF, &ru);
                fprintf(stderr, "fwd relay cpu: user %.1f ms, sys %.1f ms\n",
                        ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3,
                        ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3);
            }
            _exit(0);
        }
        close(c);
    }
}
