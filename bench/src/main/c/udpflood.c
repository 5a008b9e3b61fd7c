// SPDX-License-Identifier: GPL-2.0
/*
 * UDP load for `bench/run datapath` (xdp_vs_c_mpps): the kernel here has no pktgen, so this sends 60-byte frames
 * (18-byte payload) with sendmmsg to DST:PORT from FLOWS sockets (one source port each) for SECONDS, as fast as
 * one core allows. Prints "sent N". Benchmark tool only.
 *
 * usage: udpflood SRC_IP DST_IP PORT FLOWS SECONDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: udpflood SRC_IP DST_IP PORT FLOWS SECONDS\n");
        return 2;
    }
    int flows = atoi(argv[4]);
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    inet_pton(AF_INET, argv[1], &src.sin_addr);
    inet_pton(AF_INET, argv[2], &dst.sin_addr);
    int fds[256];
    for (int i = 0; i < flows && i < 256; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&src, sizeof src) < 0
            || connect(fds[i], (struct sockaddr *)&dst, sizeof dst) < 0) {
            perror("udpflood socket");
            return 1;
        }
    }
    char payload[18];
    memset(payload, 'x', sizeof payload);
    struct iovec iov = {.iov_base = payload, .iov_len = sizeof payload};
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    time_t end = t.tv_sec + atoi(argv[5]);
    unsigned long long sent = 0;
    for (unsigned long k = 0;; k++) {
        if ((k & 63) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if (t.tv_sec >= end)
                break;
        }
        int n = sendmmsg(fds[k % flows], msgs, BATCH, 0);
        if (n > 0)
            sent += n;
    }
    printf("sent %llu\n", sent);
    return 0;
}
