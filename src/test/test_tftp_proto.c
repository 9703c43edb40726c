/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_tftp_proto.c - TFTP request parsing, option negotiation, OACK
 * and ERROR packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tftp_proto.h"

/* Packets are written as C strings with embedded NULs; len counts the
 * final NUL explicitly. */
struct parse_row {
	const char *name;
	const char *pkt;
	size_t len;
	enum tftp_req_verdict v;
	const char *file;
	bool netascii;
	bool blksize, tsize, timeout, window;
	uint64_t blksize_v;
	unsigned n_unknown, n_repeated;
};

#define P(s) s, sizeof(s) - 1

static const struct parse_row parse_rows[] = {
	{ "plain octet", P("\0\1pxelinux.0\0octet\0"), TFTP_REQ_OK,
	  "pxelinux.0", false, false, false, false, false, 0, 0, 0 },
	{ "mode case-insensitive", P("\0\1f\0OcTeT\0"), TFTP_REQ_OK, "f",
	  false, false, false, false, false, 0, 0, 0 },
	{ "netascii", P("\0\1f\0NETASCII\0"), TFTP_REQ_OK, "f", true,
	  false, false, false, false, 0, 0, 0 },
	{ "mail mode", P("\0\1f\0mail\0"), TFTP_REQ_MODE, NULL, false,
	  false, false, false, false, 0, 0, 0 },
	{ "WRQ", P("\0\2f\0octet\0"), TFTP_REQ_WRQ, NULL, false, false,
	  false, false, false, 0, 0, 0 },
	{ "DATA to port 69", P("\0\3\0\1xx\0"), TFTP_REQ_OPCODE, NULL,
	  false, false, false, false, false, 0, 0, 0 },
	{ "one byte", P("\0"), TFTP_REQ_SHORT, NULL, false, false, false,
	  false, false, 0, 0, 0 },
	{ "opcode only", P("\0\1"), TFTP_REQ_UNTERMINATED, NULL, false,
	  false, false, false, false, 0, 0, 0 },
	{ "unterminated mode", P("\0\1f\0octet"), TFTP_REQ_UNTERMINATED,
	  NULL, false, false, false, false, false, 0, 0, 0 },
	{ "empty name", P("\0\1\0octet\0"), TFTP_REQ_NO_NAME, NULL, false,
	  false, false, false, false, 0, 0, 0 },
	{ "no mode", P("\0\1f\0"), TFTP_REQ_NO_MODE, NULL, false, false,
	  false, false, false, 0, 0, 0 },
	{ "empty mode", P("\0\1f\0\0"), TFTP_REQ_NO_MODE, NULL, false,
	  false, false, false, false, 0, 0, 0 },
	{ "all options", P("\0\1f\0octet\0blksize\0001468\0tsize\0000\0"
	  "timeout\0003\0windowsize\00016\0"), TFTP_REQ_OK, "f", false,
	  true, true, true, true, 1468, 0, 0 },
	{ "option names any case", P("\0\1f\0octet\0BlkSize\0001024\0"),
	  TFTP_REQ_OK, "f", false, true, false, false, false, 1024, 0, 0 },
	{ "unknown option", P("\0\1f\0octet\0multicast\0\0"), TFTP_REQ_OK,
	  "f", false, false, false, false, false, 0, 1, 0 },
	{ "unknown then blksize", P("\0\1f\0octet\0rollover\0000\0"
	  "blksize\0001000\0"), TFTP_REQ_OK, "f", false, true, false, false,
	  false, 1000, 1, 0 },
	{ "option without value ends list", P("\0\1f\0octet\0blksize\0\0"
	  "tsize\0000\0"), TFTP_REQ_OK, "f", false, false, false, false,
	  false, 0, 0, 0 },
	{ "option name last", P("\0\1f\0octet\0blksize\0"), TFTP_REQ_OK,
	  "f", false, false, false, false, false, 0, 0, 0 },
	{ "repeated blksize: last wins", P("\0\1f\0octet\0blksize\000100\0"
	  "blksize\000200\0"), TFTP_REQ_OK, "f", false, true, false, false,
	  false, 200, 0, 1 },
	{ "non-numeric blksize", P("\0\1f\0octet\0blksize\0abc\0"),
	  TFTP_REQ_OK, "f", false, true, false, false, false, 0, 0, 0 },
	{ "huge blksize saturates", P("\0\1f\0octet\0blksize\0"
	  "99999999999999999999\0"), TFTP_REQ_OK, "f", false, true, false,
	  false, false, UINT64_MAX, 0, 0 },
	{ "backslash name kept raw", P("\0\1\\boot\\x\0octet\0"),
	  TFTP_REQ_OK, "\\boot\\x", false, false, false, false, false, 0, 0,
	  0 },
};

static void
parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
		const struct parse_row *r = &parse_rows[i];
		struct tftp_req req;
		enum tftp_req_verdict v;

		v = tftp_req_parse((const uint8_t *)r->pkt, r->len, &req);
		if (v != r->v)
			fail_msg("row \"%s\": verdict %s, want %s", r->name,
			    tftp_req_verdict_name(v),
			    tftp_req_verdict_name(r->v));
		if (v != TFTP_REQ_OK)
			continue;
		if (strcmp(req.name, r->file) != 0 ||
		    req.name_len != strlen(r->file))
			fail_msg("row \"%s\": name %s", r->name, req.name);
		if (req.netascii != r->netascii ||
		    req.blksize.present != r->blksize ||
		    req.tsize.present != r->tsize ||
		    req.timeout.present != r->timeout ||
		    req.windowsize.present != r->window)
			fail_msg("row \"%s\": flags", r->name);
		if (r->blksize && req.blksize.v != r->blksize_v)
			fail_msg("row \"%s\": blksize %llu", r->name,
			    (unsigned long long)req.blksize.v);
		if (req.n_unknown != r->n_unknown ||
		    req.n_repeated != r->n_repeated)
			fail_msg("row \"%s\": counts %u %u", r->name,
			    req.n_unknown, req.n_repeated);
	}
}

static void
name_normalise(void **state)
{
	char out[16];

	(void)state;
	assert_true(tftp_name_normalise("\\A\\B.0", 6, false, out,
	    sizeof(out)));
	assert_string_equal(out, "/A/B.0");
	assert_true(tftp_name_normalise("\\A\\B.0", 6, true, out,
	    sizeof(out)));
	assert_string_equal(out, "/a/b.0");
	assert_false(tftp_name_normalise("0123456789abcdef", 16, false, out,
	    sizeof(out)));
}

struct neg_row {
	const char *name;
	const char *pkt;
	size_t len;
	unsigned mtu;
	bool no_blocksize;
	unsigned cap;
	uint64_t size;
	uint32_t blksize, window, timeout;
	bool o_blksize, o_tsize, o_timeout, o_window;
};

static const struct neg_row neg_rows[] = {
	{ "no options", P("\0\1f\0octet\0"), 1500, false, 64, 100, 512, 1, 0,
	  false, false, false, false },
	{ "blksize 1468", P("\0\1f\0octet\0blksize\0001468\0"), 1500, false,
	  64, 100, 1468, 1, 0, true, false, false, false },
	{ "blksize 9000 at MTU 1500", P("\0\1f\0octet\0blksize\0009000\0"),
	  1500, false, 64, 100, 1468, 1, 0, true, false, false, false },
	{ "blksize 9000 at MTU 9000", P("\0\1f\0octet\0blksize\0009000\0"),
	  9000, false, 64, 100, 8968, 1, 0, true, false, false, false },
	{ "blksize 65464 no MTU", P("\0\1f\0octet\0blksize\00065464\0"), 0,
	  false, 64, 100, 65464, 1, 0, true, false, false, false },
	{ "blksize 99999 no MTU", P("\0\1f\0octet\0blksize\00099999\0"), 0,
	  false, 64, 100, 65464, 1, 0, true, false, false, false },
	{ "blksize 0 declined", P("\0\1f\0octet\0blksize\0000\0"), 1500,
	  false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "blksize 7 declined", P("\0\1f\0octet\0blksize\0007\0"), 1500,
	  false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "blksize 8", P("\0\1f\0octet\0blksize\0008\0"), 1500, false, 64,
	  100, 8, 1, 0, true, false, false, false },
	{ "blksize garbage declined", P("\0\1f\0octet\0blksize\0x1\0"), 1500,
	  false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "tftp-no-blocksize", P("\0\1f\0octet\0blksize\0001468\0"), 1500,
	  true, 64, 100, 512, 1, 0, false, false, false, false },
	{ "tsize", P("\0\1f\0octet\0tsize\0000\0"), 1500, false, 64, 5120,
	  512, 1, 0, false, true, false, false },
	{ "tsize netascii", P("\0\1f\0netascii\0tsize\0000\0"), 1500, false,
	  64, 5120, 512, 1, 0, false, true, false, false },
	{ "tsize of an empty file declined", P("\0\1f\0octet\0tsize\0000\0"),
	  1500, false, 64, 0, 512, 1, 0, false, false, false, false },
	{ "timeout 3", P("\0\1f\0octet\0timeout\0003\0"), 1500, false, 64,
	  100, 512, 1, 3, false, false, true, false },
	{ "timeout 0 declined", P("\0\1f\0octet\0timeout\0000\0"), 1500,
	  false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "timeout 256 declined", P("\0\1f\0octet\0timeout\000256\0"), 1500,
	  false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "windowsize 16", P("\0\1f\0octet\0windowsize\00016\0"), 1500,
	  false, 64, 100, 512, 16, 0, false, false, false, true },
	{ "windowsize 1000 capped", P("\0\1f\0octet\0windowsize\0001000\0"),
	  1500, false, 64, 100, 512, 64, 0, false, false, false, true },
	{ "windowsize 16 at blksize 8192: 8", P("\0\1f\0octet\0blksize\0"
	  "8192\0windowsize\00016\0"), 9000, false, 64, 100, 8192, 8, 0, true,
	  false, false, true },
	{ "windowsize 4 at blksize 65464: 1", P("\0\1f\0octet\0blksize\0"
	  "65464\0windowsize\0004\0"), 0, false, 64, 100, 65464, 1, 0, true,
	  false, false, true },
	{ "windowsize 0 declined", P("\0\1f\0octet\0windowsize\0000\0"),
	  1500, false, 64, 100, 512, 1, 0, false, false, false, false },
	{ "windowsize 65536 declined", P("\0\1f\0octet\0windowsize\0"
	  "65536\0"), 1500, false, 64, 100, 512, 1, 0, false, false, false,
	  false },
};

static void
negotiate_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(neg_rows) / sizeof(neg_rows[0]); i++) {
		const struct neg_row *r = &neg_rows[i];
		struct tftp_neg_in in = {
			.mtu = r->mtu, .no_blocksize = r->no_blocksize,
			.window_cap = r->cap, .file_size = r->size,
		};
		struct tftp_params p;
		struct tftp_req req;

		assert_int_equal(tftp_req_parse((const uint8_t *)r->pkt,
		    r->len, &req), TFTP_REQ_OK);
		tftp_negotiate(&req, &in, &p);
		if (p.blksize != r->blksize || p.window != r->window ||
		    p.timeout_s != r->timeout)
			fail_msg("row \"%s\": blksize %u window %u timeout %u",
			    r->name, p.blksize, p.window, p.timeout_s);
		if (p.o_blksize != r->o_blksize || p.o_tsize != r->o_tsize ||
		    p.o_timeout != r->o_timeout || p.o_window != r->o_window)
			fail_msg("row \"%s\": echoed options", r->name);
		if (p.o_tsize && p.tsize != r->size)
			fail_msg("row \"%s\": tsize", r->name);
		if (tftp_params_oack(&p) != (r->o_blksize || r->o_tsize ||
		    r->o_timeout || r->o_window))
			fail_msg("row \"%s\": oack", r->name);
	}
}

static void
oack_bytes(void **state)
{
	static const uint8_t want[] = "\0\6blksize\0" "1468\0tsize\0" "5120\0"
	    "timeout\0" "3\0windowsize\0" "16";
	struct tftp_params p = {
		.blksize = 1468, .tsize = 5120, .timeout_s = 3, .window = 16,
		.o_blksize = true, .o_tsize = true, .o_timeout = true,
		.o_window = true,
	};
	uint8_t buf[128];
	size_t n;

	(void)state;
	n = tftp_oack_encode(buf, sizeof(buf), &p);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(tftp_oack_encode(buf, 10, &p), 0);
}

static void
error_bytes(void **state)
{
	char longmsg[700];
	uint8_t buf[600];
	size_t n;

	(void)state;
	n = tftp_err_encode(buf, sizeof(buf), 1, "file x not found for y");
	assert_int_equal(n, 4 + 22 + 1);
	assert_memory_equal(buf, "\0\5\0\1file x not found for y\0", n);
	/* dnsmasq's MAXMESSAGE: at most 499 bytes of text and a NUL */
	memset(longmsg, 'a', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	n = tftp_err_encode(buf, sizeof(buf), 0, longmsg);
	assert_int_equal(n, 4 + TFTP_ERRMSG_MAX);
	assert_int_equal(buf[n - 1], 0);
	assert_int_equal(tftp_err_encode(buf, 3, 0, "x"), 0);
}

static void
peek_packets(void **state)
{
	uint16_t op, num;
	char msg[64];

	(void)state;
	assert_true(tftp_pkt_peek((const uint8_t *)"\0\4\1\2", 4, &op, &num,
	    msg, sizeof(msg)));
	assert_int_equal(op, TFTP_OP_ACK);
	assert_int_equal(num, 0x102);
	assert_false(tftp_pkt_peek((const uint8_t *)"\0\4\1", 3, &op, &num,
	    msg, sizeof(msg)));
	assert_true(tftp_pkt_peek((const uint8_t *)"\0\5\0\10no\1way\0", 11,
	    &op, &num, msg, sizeof(msg)));
	assert_int_equal(op, TFTP_OP_ERROR);
	assert_int_equal(num, 8);
	assert_string_equal(msg, "noway");	/* sanitised */
	/* unterminated text is not read (dnsmasq's next()) */
	assert_true(tftp_pkt_peek((const uint8_t *)"\0\5\0\10abc", 7, &op,
	    &num, msg, sizeof(msg)));
	assert_string_equal(msg, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(name_normalise),
		cmocka_unit_test(negotiate_table),
		cmocka_unit_test(oack_bytes),
		cmocka_unit_test(error_bytes),
		cmocka_unit_test(peek_packets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
