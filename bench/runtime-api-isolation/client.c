/*
 * Keep-alive HTTP client for the forwarder-hop measurement: N requests (GET, one write each) on one connection to
 * 127.0.0.1:PORT or a Unix socket path, timing each round trip. Prints median, p90, p99 and mean in microseconds.
 * Retries connecting for up to 2 s (the forwarder may still be starting).
 * Usage: client (PORT | SOCKET_PATH) [N=10000]        Build: gcc -O2 -o client client.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static int open_conn(const char *target) {
    for (int attempt = 0; attempt < 200; attempt++) {
        int fd, ok;
        if (isdigit((unsigned char) target[0])) {
            fd = socket(AF_INET, SOCK_STREAM, 0);
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(target))};
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ok = connect(fd, (struct sockaddr *) &a, sizeof a) == 0;
        } else {
            fd = socket(AF_UNIX, SOCK_STREAM, 0);
            struct sockaddr_un a = {.sun_family = AF_UNIX};
            strncpy(a.sun_path, target, sizeof a.sun_path - 1);
            ok = connect(fd, (struct sockaddr *) &a, sizeof a) == 0;
        }
        if (ok) return fd;
        close(fd);
        usleep(10000);
    }
    fprintf(stderr, "client: cannot connect to %s\n", target);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: client (PORT | SOCKET_PATH) [N]\n"); return 2; }
    int n = argc > 2 ? atoi(argv[2]) : 10000;
    int fd = open_conn(argv[1]);
    static const char REQ[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\r\n";
    double *t = malloc(n * sizeof *t), sum = 0;
    char buf[4096];
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        if (write(fd, REQ, sizeof REQ - 1) != sizeof REQ - 1) return 1;
        size_t have = 0;
        for (;;) {  /* the response is headers plus the 4-byte body "null" */
            ssize_t r = read(fd, buf + have, sizeof buf - have - 1);
            if (r <= 0) { fprintf(stderr, "client: connection closed\n"); return 1; }
            have += r;
            buf[have] = 0;
            char *end = strstr(buf, "\r\n\r\n");
            if (end && have >= (size_t) (end + 4 - buf) + 4) break;
        }
        t[i] = now_us() - t0;
        sum += t[i];
    }
    qsort(t, n, sizeof *t, cmp);
    printf("n=%d median_us=%.1f p90_us=%.1f p99_us=%.1f mean_us=%.1f\n", n, t[n / 2], t[n * 9 / 10], t[n * 99 / 100],
           sum / n);
    return 0;
}
