/*
 * A tiny keep-alive HTTP server standing in for the server's Runtime API endpoint: reads requests (headers ending
 * in a blank line, no body) and answers each with a 4-byte body, one write per response. Listens on a Unix socket
 * (a path) or on 127.0.0.1:PORT (a number). One process per connection.
 * Usage: httpd (SOCKET_PATH | PORT)        Build: gcc -O2 -o httpd httpd.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull";

static void serve(int c) {
    char buf[8192];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(c, buf + have, sizeof buf - have - 1);
        if (n <= 0) return;
        have += n;
        buf[have] = 0;
        char *end;
        while ((end = strstr(buf, "\r\n\r\n")) != NULL) {  /* one answer per complete request */
            if (write(c, RESPONSE, sizeof RESPONSE - 1) != sizeof RESPONSE - 1) return;
            size_t used = end + 4 - buf;
            memmove(buf, buf + used, have - used + 1);
            have -= used;
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: httpd (SOCKET_PATH | PORT)\n"); return 2; }
    int lfd, one = 1;
    if (isdigit((unsigned char) argv[1][0])) {
        lfd = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(lfd, (struct sockaddr *) &a, sizeof a) != 0) { perror("httpd: bind"); return 1; }
    } else {
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
        unlink(argv[1]);
        if (bind(lfd, (struct sockaddr *) &a, sizeof a) != 0) { perror("httpd: bind"); return 1; }
    }
    if (listen(lfd, 64) != 0) { perror("httpd: listen"); return 1; }
    signal(SIGCHLD, SIG_IGN);
    for (;;) {
        int c = accept(lfd, NULL, NULL);
        if (c < 0) continue;
        if (fork() == 0) {
            close(lfd);
            setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  /* fails harmlessly on a Unix socket */
            serve(c);
            _exit(0);
        }
        close(c);
    }
}
