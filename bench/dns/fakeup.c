/* bench/dns/fakeup.c - the fast fake upstream of the DNS benchmark.
 *
 * Usage: fakeup ADDR PORT THREADS
 * Answers every UDP query for class IN, type A, with one A record
 * (203.0.113.10, TTL 3600) and every other type with NODATA, NOERROR;
 * anything it cannot read is dropped.  THREADS threads, each with its own
 * SO_REUSEPORT socket, read and answer in batches of 64 (recvmmsg and
 * sendmmsg).  Not a test: no logging, no TCP, no EDNS0 (an OPT record in
 * the query is dropped from the answer).  On SIGTERM it prints the count
 * of answers to stdout and exits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define MSGMAX 1500

struct worker {
	int fd;
	pthread_t tid;
	atomic_ulong answered;
};

/* answer: turns the query in BUF (LEN bytes) into its answer in place;
 * returns the answer's length or 0 to drop it. */
static size_t
answer(unsigned char *buf, size_t len)
{
	static const unsigned char rr[] = {
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4,
		203, 0, 113, 10
	};
	size_t off = 12;
	unsigned int qtype;

	if (len < 12 || (buf[2] & 0x80) || buf[4] != 0 || buf[5] != 1)
		return 0;
	while (off < len && buf[off] != 0) {
		if (buf[off] & 0xc0)
			return 0;
		off += 1 + buf[off];
	}
	if (off + 5 > len)
		return 0;
	qtype = (unsigned int)buf[off + 1] << 8 | buf[off + 2];
	off += 5;
	buf[2] = 0x80 | (buf[2] & 0x01);	/* QR, RD kept, opcode 0 */
	buf[3] = 0x80;				/* RA, NOERROR */
	memset(buf + 6, 0, 6);
	if (qtype == 1 && off + sizeof(rr) <= MSGMAX) {
		memcpy(buf + off, rr, sizeof(rr));
		off += sizeof(rr);
		buf[7] = 1;
	}
	return off;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	static __thread unsigned char bufs[BATCH][MSGMAX];
	struct mmsghdr msgs[BATCH], out[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	int i, n, k;

	for (;;) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = MSGMAX;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(w->fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvmmsg");
			return NULL;
		}
		for (i = 0, k = 0; i < n; i++) {
			size_t len = answer(bufs[i], msgs[i].msg_len);

			if (len == 0)
				continue;
			iov[i].iov_len = len;
			out[k] = msgs[i];
			out[k].msg_hdr.msg_namelen = sizeof(from[i]);
			k++;
		}
		if (k > 0 && sendmmsg(w->fd, out, (unsigned int)k, 0) > 0)
			atomic_fetch_add(&w->answered, (unsigned long)k);
	}
	return NULL;
}

static int
open_socket(const char *addr, int port)
{
	struct sockaddr_in sa;
	int fd, one = 1, size = 4 << 20;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	struct worker *w;
	sigset_t set;
	unsigned long total = 0;
	int i, n, sig;

	if (argc != 4) {
		fprintf(stderr, "usage: fakeup ADDR PORT THREADS\n");
		return 2;
	}
	n = atoi(argv[3]);
	if (n < 1 || n > 64)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	w = calloc((size_t)n, sizeof(*w));
	if (w == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		w[i].fd = open_socket(argv[1], atoi(argv[2]));
		if (w[i].fd < 0) {
			perror("fakeup: socket");
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		pthread_create(&w[i].tid, NULL, worker_run, &w[i]);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	for (i = 0; i < n; i++)
		total += atomic_load(&w[i].answered);
	printf("answered %lu\n", total);
	fflush(stdout);
	return 0;
}
