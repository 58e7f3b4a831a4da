/*
 * A no-op custom runtime (provided.al2023) for the invoke benchmark: the smallest client of the Lambda Runtime API,
 * standing in for a compiled Go or Rust function. One keep-alive connection; GET /next, then POST "null" as the
 * response, forever. Built by bench/invoke/run.sh with gcc.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[1 << 16];

static int connect_api(const char *api) {
    char host[64];
    const char *colon = strchr(api, ':');
    if (!colon || colon - api >= (long) sizeof host) exit(1);
    memcpy(host, api, colon - api);
    host[colon - api] = 0;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(colon + 1))};
    inet_pton(AF_INET, host, &addr.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) exit(1);
    return fd;
}

/* Reads one response (headers and a Content-Length body) into buf; returns the header length. */
static size_t read_response(int fd) {
    size_t have = 0, header_len = 0, body_len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n <= 0) exit(1);
        have += n;
        buf[have] = 0;
        if (!header_len) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end) continue;
            header_len = end - buf + 4;
            char *cl = strcasestr(buf, "\ncontent-length:");
            body_len = cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0;
        }
        if (have >= header_len + body_len) return header_len;
    }
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) return 1;
    int fd = connect_api(api);
    char request[512], id[128];
    for (;;) {
        int len = snprintf(request, sizeof request,
                "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
        if (write(fd, request, len) != len) return 1;
        size_t header_len = read_response(fd);
        char *rid = strcasestr(buf, "\nlambda-runtime-aws-request-id:");
        if (!rid || rid > buf + header_len) return 1;
        rid += 31;
        while (*rid == ' ') rid++;
        size_t n = strcspn(rid, "\r\n");
        if (n >= sizeof id) return 1;
        memcpy(id, rid, n);
        id[n] = 0;
        len = snprintf(request, sizeof request,
                "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
                "Content-Length: 4\r\n\r\nnull", id, api);
        if (write(fd, request, len) != len) return 1;
        read_response(fd);
    }
}
