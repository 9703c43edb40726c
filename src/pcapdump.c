/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcapdump.c - dumpfile= / dumpmask= (see pcapdump.h).
 *
 * Format facts: the classic pcap file header (magic, major 2, minor 4,
 * thiszone 0, sigfigs 0, snaplen, network) and record header (ts_sec,
 * ts_usec, incl_len, orig_len), all in the writer's byte order
 * (https://wiki.wireshark.org/Development/LibpcapFileFormat); RFC 791
 * IPv4 header, RFC 8200 IPv6 header, RFC 768 UDP header and checksum
 * (RFC 1071 one's complement sum over the pseudo-header, the UDP header
 * and the data; a computed 0 is sent as 0xffff).
 */
#include "pcapdump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"

#define PCAPDUMP_PAYLOAD_MAX	65000u
#define PCAPDUMP_TTL		64	/* IPDEFTTL, dnsmasq's */

struct pcapdump {
	int fd;
	uint32_t mask;
	uint32_t count;		/* records in the file */
};

/* --- encoding (pure) ---------------------------------------------------- */

static void
pcapdump_put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* host order, as pcap writers do */
}

static void
pcapdump_put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void
pcapdump_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071: adds the big-endian 16-bit words of b (an odd last byte is
 * padded with a zero) to sum. */
static uint32_t
pcapdump_sum(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t
pcapdump_fold(uint32_t sum)
{
	uint16_t c;

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	c = (uint16_t)~sum;
	return c;
}

void
pcapdump_file_header(uint8_t out[PCAPDUMP_FILE_HDR])
{
	memset(out, 0, PCAPDUMP_FILE_HDR);
	pcapdump_put32(out, PCAPDUMP_MAGIC);
	pcapdump_put16(out + 4, 2);
	pcapdump_put16(out + 6, 4);
	pcapdump_put32(out + 16, PCAPDUMP_SNAPLEN);
	pcapdump_put32(out + 20, PCAPDUMP_LINKTYPE_RAW);
}

/* IPv4 header at ip; returns the pseudo-header sum. */
static uint32_t
pcapdump_ip4(uint8_t *ip, const struct sockaddr_in *s,
    const struct sockaddr_in *d, size_t ulen)
{
	uint32_t sum;

	memset(ip, 0, PCAPDUMP_IP4_HDR);
	ip[0] = 0x45;
	pcapdump_be16(ip + 2, (uint16_t)(PCAPDUMP_IP4_HDR + ulen));
	ip[8] = PCAPDUMP_TTL;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &s->sin_addr, 4);
	memcpy(ip + 16, &d->sin_addr, 4);
	pcapdump_be16(ip + 10, pcapdump_fold(pcapdump_sum(0, ip,
	    PCAPDUMP_IP4_HDR)));
	sum = pcapdump_sum(0, ip + 12, 8);
	return sum + IPPROTO_UDP + (uint32_t)ulen;
}

static uint32_t
pcapdump_ip6(uint8_t *ip, const struct sockaddr_in6 *s,
    const struct sockaddr_in6 *d, size_t ulen)
{
	uint32_t sum;

	memset(ip, 0, PCAPDUMP_IP6_HDR);
	ip[0] = 0x60;
	pcapdump_be16(ip + 4, (uint16_t)ulen);
	ip[6] = IPPROTO_UDP;
	ip[7] = PCAPDUMP_TTL;
	memcpy(ip + 8, &s->sin6_addr, 16);
	memcpy(ip + 24, &d->sin6_addr, 16);
	sum = pcapdump_sum(0, ip + 8, 32);
	return sum + IPPROTO_UDP + (uint32_t)ulen;
}

size_t
pcapdump_prefix(uint8_t out[PCAPDUMP_PREFIX_MAX],
    const struct sockaddr *src, const struct sockaddr *dst,
    const void *payload, size_t len, uint32_t sec, uint32_t usec)
{
	size_t iplen, ulen = PCAPDUMP_UDP_HDR + len;
	uint8_t *ip = out + PCAPDUMP_REC_HDR, *udp;
	uint16_t sport, dport, c;
	uint32_t sum;

	if (len > PCAPDUMP_PAYLOAD_MAX || src->sa_family != dst->sa_family)
		return 0;
	if (src->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)src;
		const struct sockaddr_in *d = (const void *)dst;

		iplen = PCAPDUMP_IP4_HDR;
		sum = pcapdump_ip4(ip, s, d, ulen);
		sport = s->sin_port;
		dport = d->sin_port;
	} else if (src->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)src;
		const struct sockaddr_in6 *d = (const void *)dst;

		iplen = PCAPDUMP_IP6_HDR;
		sum = pcapdump_ip6(ip, s, d, ulen);
		sport = s->sin6_port;
		dport = d->sin6_port;
	} else {
		return 0;
	}
	udp = ip + iplen;
	memcpy(udp, &sport, 2);		/* network order already */
	memcpy(udp + 2, &dport, 2);
	pcapdump_be16(udp + 4, (uint16_t)ulen);
	pcapdump_be16(udp + 6, 0);
	sum = pcapdump_sum(sum, udp, PCAPDUMP_UDP_HDR);
	sum = pcapdump_sum(sum, payload, len);
	c = pcapdump_fold(sum);
	pcapdump_be16(udp + 6, c == 0 ? 0xffff : c);
	pcapdump_put32(out, sec);
	pcapdump_put32(out + 4, usec);
	pcapdump_put32(out + 8, (uint32_t)(iplen + ulen));
	pcapdump_put32(out + 12, (uint32_t)(iplen + ulen));
	return PCAPDUMP_REC_HDR + iplen + PCAPDUMP_UDP_HDR;
}

/* --- the file ----------------------------------------------------------- */

static bool
pcapdump_read_all(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (uint8_t *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

static int
pcapdump_create(struct pcapdump *p, const char *path, char *msg,
    size_t msgsz)
{
	uint8_t hdr[PCAPDUMP_FILE_HDR];

	p->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	pcapdump_file_header(hdr);
	if (p->fd < 0 || write(p->fd, hdr, sizeof(hdr)) != sizeof(hdr)) {
		snprintf(msg, msgsz, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* An existing file: its header checked, its records counted. */
static int
pcapdump_append(struct pcapdump *p, const char *path, char *msg,
    size_t msgsz)
{
	uint8_t hdr[PCAPDUMP_FILE_HDR], rec[PCAPDUMP_REC_HDR];
	uint32_t magic, incl;

	p->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (p->fd < 0 || !pcapdump_read_all(p->fd, hdr, sizeof(hdr))) {
		snprintf(msg, msgsz, "cannot access %s: %s", path,
		    strerror(errno));
		return -1;
	}
	memcpy(&magic, hdr, 4);
	if (magic != PCAPDUMP_MAGIC) {
		snprintf(msg, msgsz, "bad header in %s", path);
		return -1;
	}
	while (pcapdump_read_all(p->fd, rec, sizeof(rec))) {
		memcpy(&incl, rec + 8, 4);
		if (lseek(p->fd, (off_t)incl, SEEK_CUR) < 0)
			break;
		p->count++;
	}
	return 0;
}

struct pcapdump *
pcapdump_open(const char *path, uint32_t mask, char *msg, size_t msgsz,
    int *exit_code)
{
	struct pcapdump *p = calloc(1, sizeof(*p));
	struct stat st;
	int rc;

	if (p == NULL) {
		snprintf(msg, msgsz, "cannot create %s: %s", path,
		    strerror(ENOMEM));
		*exit_code = 3;
		return NULL;
	}
	*exit_code = 3;		/* dnsmasq's EC_FILE */
	p->fd = -1;
	p->mask = mask;
	/* dnsmasq: a path stat() fails on is created (and any error other
	 * than ENOENT is reported as "cannot create") */
	if (stat(path, &st) == 0) {
		rc = pcapdump_append(p, path, msg, msgsz);
	} else if (errno == ENOENT) {
		rc = pcapdump_create(p, path, msg, msgsz);
	} else {
		snprintf(msg, msgsz, "cannot create %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		pcapdump_close(p);
		return NULL;
	}
	return p;
}

bool
pcapdump_wants(const struct pcapdump *p, unsigned kind)
{
	return p != NULL && p->fd >= 0 && (p->mask & kind) != 0;
}

static void
pcapdump_write(struct pcapdump *p, unsigned kind, const struct sockaddr *src,
    const struct sockaddr *dst, const void *payload, size_t len)
{
	uint8_t pre[PCAPDUMP_PREFIX_MAX];
	struct timeval tv;
	struct iovec iov[2];
	size_t n;

	gettimeofday(&tv, NULL);
	n = pcapdump_prefix(pre, src, dst, payload, len, (uint32_t)tv.tv_sec,
	    (uint32_t)tv.tv_usec);
	if (n == 0)
		return;
	iov[0].iov_base = pre;
	iov[0].iov_len = n;
	iov[1].iov_base = (void *)(uintptr_t)payload;
	iov[1].iov_len = len;
	if (writev(p->fd, iov, 2) != (ssize_t)(n + len)) {
		log_err(LOG_SVC_MAIN, "failed to write packet dump");
		return;
	}
	log_info(LOG_SVC_MAIN, "dumping packet %u mask 0x%04x", ++p->count,
	    kind);
}

void
pcapdump_udp(struct pcapdump *p, unsigned kind, const struct sockaddr *src,
    const struct sockaddr *dst, int fd, const void *payload, size_t len)
{
	struct sockaddr_storage local;
	socklen_t sl = sizeof(local);

	if (!pcapdump_wants(p, kind))
		return;
	if (src == NULL || dst == NULL) {
		memset(&local, 0, sizeof(local));
		if (fd < 0 || getsockname(fd, (struct sockaddr *)&local,
		    &sl) < 0)
			return;
		if (src == NULL)
			src = (const struct sockaddr *)&local;
		else
			dst = (const struct sockaddr *)&local;
	}
	pcapdump_write(p, kind, src, dst, payload, len);
}

void
pcapdump_udp4(struct pcapdump *p, unsigned kind, struct in_addr src,
    uint16_t sport, struct in_addr dst, uint16_t dport,
    const void *payload, size_t len)
{
	struct sockaddr_in s = { .sin_family = AF_INET }, d = s;

	if (!pcapdump_wants(p, kind))
		return;
	s.sin_addr = src;
	s.sin_port = htons(sport);
	d.sin_addr = dst;
	d.sin_port = htons(dport);
	pcapdump_write(p, kind, (const struct sockaddr *)&s,
	    (const struct sockaddr *)&d, payload, len);
}

void
pcapdump_close(struct pcapdump *p)
{
	if (p == NULL)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}
