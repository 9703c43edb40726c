/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_pcapdump.c - the pcap file header and the made-up IP/UDP headers
 * of dumpfile= records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcapdump.h"

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* RFC 1071 sum of big-endian words, folded. */
static uint32_t
sum16(uint32_t s, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static void
file_header(void **state)
{
	uint8_t h[PCAPDUMP_FILE_HDR];

	(void)state;
	pcapdump_file_header(h);
	assert_int_equal(get32(h), 0xa1b2c3d4);
	/* major 2, minor 4: 16-bit numbers in the byte order of the magic
	 * (the host's); a big-endian host (s390x) writes 00 02 00 04 */
	if (h[0] == 0xd4) {
		static const uint8_t le[4] = { 2, 0, 4, 0 };

		assert_memory_equal(h + 4, le, 4);
	} else {
		static const uint8_t be[4] = { 0, 2, 0, 4 };

		assert_int_equal(h[0], 0xa1);
		assert_memory_equal(h + 4, be, 4);
	}
	assert_int_equal(get32(h + 16), 1432);
	assert_int_equal(get32(h + 20), 101);
}

/* Rows: payload lengths, odd and even; the IPv4 and UDP checksums
 * verify (the one's complement sum over header or pseudo-header,
 * UDP header and data is 0xffff). */
static void
ipv4_record(void **state)
{
	static const size_t lens[] = { 0, 1, 17, 300, 1500 };
	uint8_t pre[PCAPDUMP_PREFIX_MAX], pay[1500], pseudo[12];
	struct sockaddr_in s = { .sin_family = AF_INET }, d = s;
	size_t i, n, k;

	(void)state;
	for (k = 0; k < sizeof(pay); k++)
		pay[k] = (uint8_t)(k * 7 + 3);
	inet_pton(AF_INET, "198.51.100.2", &s.sin_addr);
	inet_pton(AF_INET, "198.51.100.1", &d.sin_addr);
	s.sin_port = htons(68);
	d.sin_port = htons(67);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		const uint8_t *ip = pre + PCAPDUMP_REC_HDR, *udp = ip + 20;
		size_t ulen = 8 + lens[i];

		n = pcapdump_prefix(pre, (const void *)&s, (const void *)&d,
		    pay, lens[i], 7, 9);
		assert_int_equal(n, 16 + 20 + 8);
		assert_int_equal(get32(pre), 7);
		assert_int_equal(get32(pre + 4), 9);
		assert_int_equal(get32(pre + 8), 20 + ulen);
		assert_int_equal(get32(pre + 12), 20 + ulen);
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(ip[2] << 8 | ip[3], 20 + ulen);
		assert_int_equal(ip[8], 64);
		assert_int_equal(ip[9], 17);
		assert_int_equal(sum16(0, ip, 20), 0xffff);
		assert_int_equal(udp[0] << 8 | udp[1], 68);
		assert_int_equal(udp[2] << 8 | udp[3], 67);
		assert_int_equal(udp[4] << 8 | udp[5], ulen);
		memcpy(pseudo, ip + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 17;
		pseudo[10] = (uint8_t)(ulen >> 8);
		pseudo[11] = (uint8_t)ulen;
		assert_int_equal(sum16(sum16(sum16(0, pseudo, 12), udp, 8),
		    pay, lens[i]), 0xffff);
	}
}

static void
ipv6_record(void **state)
{
	uint8_t pre[PCAPDUMP_PREFIX_MAX], pay[33];
	struct sockaddr_in6 s = { .sin6_family = AF_INET6 }, d = s;
	const uint8_t *ip = pre + PCAPDUMP_REC_HDR, *udp = ip + 40;
	uint32_t sum;
	size_t n;

	(void)state;
	memset(pay, 0xa5, sizeof(pay));
	inet_pton(AF_INET6, "2001:db8::2", &s.sin6_addr);
	inet_pton(AF_INET6, "2001:db8::1", &d.sin6_addr);
	s.sin6_port = htons(40000);
	d.sin6_port = htons(53);
	n = pcapdump_prefix(pre, (const void *)&s, (const void *)&d, pay,
	    sizeof(pay), 1, 2);
	assert_int_equal(n, 16 + 40 + 8);
	assert_int_equal(get32(pre + 8), 40 + 8 + sizeof(pay));
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(ip[4] << 8 | ip[5], 8 + sizeof(pay));
	assert_int_equal(ip[6], 17);
	assert_int_equal(ip[7], 64);
	sum = sum16(0, ip + 8, 32) + 17 + 8 + sizeof(pay);
	assert_int_equal(sum16(sum16(sum, udp, 8), pay, sizeof(pay)),
	    0xffff);
}

static void
refused(void **state)
{
	uint8_t pre[PCAPDUMP_PREFIX_MAX], pay[1] = { 0 };
	struct sockaddr_in s = { .sin_family = AF_INET };
	struct sockaddr_in6 d = { .sin6_family = AF_INET6 };
	struct sockaddr_un_like { sa_family_t f; char p[30]; } u = { AF_UNIX,
	    "x" };

	(void)state;
	assert_int_equal(pcapdump_prefix(pre, (const void *)&s,
	    (const void *)&d, pay, 1, 0, 0), 0);
	assert_int_equal(pcapdump_prefix(pre, (const void *)&u,
	    (const void *)&u, pay, 1, 0, 0), 0);
	assert_int_equal(pcapdump_prefix(pre, (const void *)&s,
	    (const void *)&s, pay, 70000, 0, 0), 0);
	assert_false(pcapdump_wants(NULL, PCAPDUMP_DHCP));
}

static off_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Created with its header (mode 0600), records appended with the mask's
 * kinds only, appended to on reopening; a bad header refused. */
static void
file_life(void **state)
{
	char dir[] = "/tmp/test_pcapdump.XXXXXX", path[64], msg[256];
	struct in_addr a = { htonl(0xc6336401) }, b = { htonl(0xffffffff) };
	uint8_t pay[300] = { 1 };
	struct pcapdump *p;
	struct stat st;
	FILE *f;
	int code = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/d.pcap", dir);
	p = pcapdump_open(path, PCAPDUMP_DHCP, msg, sizeof(msg), &code);
	assert_non_null(p);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(file_size(path), 24);
	pcapdump_udp4(p, PCAPDUMP_DHCP, a, 67, b, 68, pay, sizeof(pay));
	pcapdump_udp4(p, PCAPDUMP_TFTP, a, 69, b, 1000, pay, 10);
	pcapdump_close(p);
	assert_int_equal(file_size(path), 24 + 16 + 28 + 300);
	p = pcapdump_open(path, PCAPDUMP_TFTP, msg, sizeof(msg), &code);
	assert_non_null(p);
	pcapdump_udp4(p, PCAPDUMP_TFTP, a, 69, b, 1000, pay, 10);
	pcapdump_close(p);
	assert_int_equal(file_size(path), 24 + 16 + 28 + 300 + 16 + 28 + 10);
	f = fopen(path, "r+");
	assert_non_null(f);
	fputs("XXXX", f);
	fclose(f);
	assert_null(pcapdump_open(path, PCAPDUMP_DHCP, msg, sizeof(msg),
	    &code));
	assert_non_null(strstr(msg, "bad header in "));
	assert_int_equal(code, 3);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_header),
		cmocka_unit_test(ipv4_record),
		cmocka_unit_test(ipv6_record),
		cmocka_unit_test(refused),
		cmocka_unit_test(file_life),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
