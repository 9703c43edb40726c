/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dnsname.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "idna.h"

enum dnsname_kind
dnsname_check(char *in)
{
	size_t gap = 0, len = strlen(in);
	bool visible = false, idn = false;

	if (len == 0 || len > DNSNAME_MAX)
		return DNSNAME_BAD;
	if (in[len - 1] == '.') {
		in[len - 1] = '\0';
		visible = true;
	}
	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch == '.')
			gap = 0;
		else if (++gap > DNSNAME_LABEL_MAX)
			return DNSNAME_BAD;
		else if (ch < 0x20 || ch == 0x7f)
			return DNSNAME_BAD;
		else if (ch >= 0x80)
			idn = true;
		else if (ch != ' ') {
			visible = true;
			if (ch >= 'A' && ch <= 'Z')
				idn = true;
		}
	}
	if (!visible)
		return DNSNAME_BAD;
	return idn ? DNSNAME_IDN : DNSNAME_ASCII;
}

int
dnsname_canonicalise(char *in, char *out, size_t outsz)
{
	enum dnsname_kind k = dnsname_check(in);
	size_t len;

	if (k == DNSNAME_BAD)
		return -EINVAL;
	/* dnsmasq (IDN2): idn2_to_ascii_lz(IDN2_NONTRANSITIONAL); any
	 * failure makes the name bad */
	if (k == DNSNAME_IDN) {
		int rc = idna_to_ascii(in, out, outsz);

		if (rc < 0)
			return rc == -ENOSPC ? -ENOSPC : -EINVAL;
		return 0;
	}
	len = strlen(in);
	if (len >= outsz)
		return -ENOSPC;
	memcpy(out, in, len + 1);
	return 0;
}

bool
dnsname_legal_hostname(char *name)
{
	const char *p;

	if (dnsname_check(name) == DNSNAME_BAD)
		return false;
	for (p = name; *p != '\0' && *p != '.'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9'))
			continue;
		if (p != name && (*p == '-' || *p == '_'))
			continue;
		return false;
	}
	return true;
}

static unsigned char
dnsname_lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + ('a' - 'A')) : ch;
}

bool
dnsname_equal(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; dnsname_lower(*x) == dnsname_lower(*y); x++, y++)
		if (*x == '\0')
			return true;
	return false;
}

/* --- record type names --------------------------------------------- */

/* RR type names dnsmasq knows (IANA DNS parameters, as of 2024). */
static const struct {
	uint16_t type;
	const char *name;
} dnsname_rrtypes[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" },
	{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" },
	{ 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" },
	{ 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" },
	{ 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAP_PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" },
	{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" },
	{ 31, "EID" }, { 32, "NIMLOC" }, { 33, "SRV" }, { 34, "ATMA" },
	{ 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" }, { 38, "A6" },
	{ 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, { 42, "APL" },
	{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" },
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" }, { 55, "HIP" },
	{ 56, "NINFO" }, { 57, "RKEY" }, { 58, "TALINK" }, { 59, "CDS" },
	{ 60, "CDNSKEY" }, { 61, "OPENPGPKEY" }, { 62, "CSYNC" },
	{ 63, "ZONEMD" }, { 64, "SVCB" }, { 65, "HTTPS" }, { 99, "SPF" },
	{ 100, "UINFO" }, { 101, "UID" }, { 102, "GID" }, { 103, "UNSPEC" },
	{ 104, "NID" }, { 105, "L32" }, { 106, "L64" }, { 107, "LP" },
	{ 108, "EUI48" }, { 109, "EUI64" }, { 249, "TKEY" }, { 250, "TSIG" },
	{ 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" },
	{ 255, "ANY" }, { 256, "URI" }, { 257, "CAA" }, { 258, "AVC" },
	{ 259, "DOA" }, { 260, "AMTRELAY" }, { 261, "RESINFO" },
	{ 32768, "TA" }, { 32769, "DLV" },
};

const char *
dnsname_rrtype_name(unsigned type)
{
	size_t i;

	for (i = 0; i < sizeof(dnsname_rrtypes) / sizeof(dnsname_rrtypes[0]);
	    i++)
		if (dnsname_rrtypes[i].type == type)
			return dnsname_rrtypes[i].name;
	return NULL;
}

unsigned
dnsname_rrtype_number(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(dnsname_rrtypes) / sizeof(dnsname_rrtypes[0]);
	    i++)
		if (strcasecmp(name, dnsname_rrtypes[i].name) == 0)
			return dnsname_rrtypes[i].type;
	return 0;
}
