/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dnsname.h"

#include <errno.h>
#include <string.h>

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
