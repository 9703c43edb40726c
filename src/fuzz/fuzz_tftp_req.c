/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_tftp_req.c - the TFTP request parser and option negotiation on
 * arbitrary bytes, then the OACK and ERROR encoders on what they chose.
 * Invariants: the name lies inside the input and ends at its NUL; the
 * negotiated blksize is 512 or within 8-65464 and under the MTU cap; the
 * window is within 1 and the cap; the OACK fits its buffer and starts
 * with opcode 6; an ERROR never exceeds 4 + 500 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_tftp_check(const struct tftp_req *req, const uint8_t *data, size_t size,
    unsigned mtu)
{
	struct tftp_neg_in in = { .mtu = mtu, .window_cap = 64,
		.file_size = size };
	struct tftp_params p;
	uint8_t oack[256], err[600];
	char name[64];
	size_t n;

	if ((const uint8_t *)req->name < data ||
	    (const uint8_t *)req->name + req->name_len >= data + size ||
	    req->name[req->name_len] != '\0' || req->name_len == 0)
		abort();
	tftp_negotiate(req, &in, &p);
	if (p.blksize != 512 && (p.blksize < TFTP_BLKSIZE_MIN ||
	    p.blksize > TFTP_BLKSIZE_MAX ||
	    (mtu > TFTP_OVERHEAD_V4 + TFTP_BLKSIZE_MIN &&
	    p.blksize > mtu - TFTP_OVERHEAD_V4)))
		abort();
	if (p.window < 1 || p.window > 64)
		abort();
	if (p.o_timeout && (p.timeout_s < 1 || p.timeout_s > 255))
		abort();
	n = tftp_oack_encode(oack, sizeof(oack), &p);
	if (tftp_params_oack(&p) && (n < 4 || n > sizeof(oack) ||
	    oack[0] != 0 || oack[1] != TFTP_OP_OACK))
		abort();
	tftp_name_normalise(req->name, req->name_len, true, name,
	    sizeof(name));
	n = tftp_err_encode(err, sizeof(err), TFTP_ERR_FNF, req->name);
	if (n > TFTP_HDR_LEN + TFTP_ERRMSG_MAX || n == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_req req;
	uint16_t op, num;
	char msg[TFTP_ERRMSG_MAX];
	uint8_t *copy;

	/* an exact-size heap copy: reads past the end trip ASan */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (tftp_req_parse(copy, size, &req) == TFTP_REQ_OK) {
		fuzz_tftp_check(&req, copy, size, 1500);
		fuzz_tftp_check(&req, copy, size, 0);
		fuzz_tftp_check(&req, copy, size, 9000);
	}
	if (tftp_pkt_peek(copy, size, &op, &num, msg, sizeof(msg)) &&
	    strlen(msg) >= sizeof(msg))
		abort();
	free(copy);
	return 0;
}
