/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_log.c - dnsmasq 2.90's DHCP log line formats (see dhcp_log.h).
 */
#include "dhcp_log.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "conf_dhcpopt.h"

char *
dhcp_log_time(char *out, uint32_t t)
{
	int p = 0;

	out[0] = '\0';
	if (t == 0xffffffffu) {
		strcpy(out, "infinite");
		return out;
	}
	if (t / 86400)
		p += sprintf(out + p, "%ud", t / 86400);
	if ((t / 3600) % 24)
		p += sprintf(out + p, "%uh", (t / 3600) % 24);
	if ((t / 60) % 60)
		p += sprintf(out + p, "%um", (t / 60) % 60);
	if (t % 60)
		sprintf(out + p, "%us", t % 60);
	return out;
}

char *
dhcp_log_mac(char *out, size_t outsz, const uint8_t *mac, size_t len)
{
	size_t i, o = 0;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (len == 0) {
		snprintf(out, outsz, "<null>");
		return out;
	}
	for (i = 0; i < len && o + 3 < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%.2x%s", mac[i],
		    i == len - 1 ? "" : ":");
	return out;
}

void
dhcp_log_packet(char *out, size_t outsz, bool with_xid, uint32_t xid,
    const char *type, const char *iface, const struct in_addr *addr,
    const uint8_t *mac, size_t maclen, const char *string, const char *err)
{
	char a[INET_ADDRSTRLEN] = "", m[3 * 256 + 8];
	char x[16] = "";

	if (addr != NULL)
		inet_ntop(AF_INET, addr, a, sizeof(a));
	dhcp_log_mac(m, sizeof(m), mac, maclen);
	if (with_xid)
		snprintf(x, sizeof(x), "%u ", xid);
	snprintf(out, outsz, "%s%s(%s) %s%s%s %s%s", x, type, iface, a,
	    addr != NULL ? " " : "", m, string != NULL ? string : "",
	    err != NULL ? err : "");
}

/* Printable bytes of a text option (OT_NAME). */
static void
optval_name(char *out, size_t outsz, const uint8_t *val, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len && j + 1 < outsz; i++)
		if (val[i] >= 0x20 && val[i] < 0x7f)
			out[j++] = (char)val[i];
	out[j] = '\0';
}

static void
optval_addrs(char *out, size_t outsz, const uint8_t *val, size_t len)
{
	size_t i, used = 0;

	for (i = 0; i + 4 <= len; i += 4) {
		char a[INET_ADDRSTRLEN];
		int k;

		inet_ntop(AF_INET, val + i, a, sizeof(a));
		k = snprintf(out + used, outsz - used, "%s%s",
		    i != 0 ? ", " : "", a);
		if (k < 0 || (size_t)k >= outsz - used)
			return;
		used += (size_t)k;
	}
}

static void
optval_hex(char *out, size_t outsz, const uint8_t *val, size_t len)
{
	bool trunc = len > 14;

	dhcp_log_mac(out, outsz, val, trunc ? 14 : len);
	if (trunc && strlen(out) + 4 <= outsz)
		strcat(out, "...");
}

const char *
dhcp_log_optval(unsigned code, const uint8_t *val, size_t len, char *out,
    size_t outsz)
{
	const struct dhcp_optname *o = dhcp_optname_by_code(code);
	bool nodecode = false;

	if (out == NULL || outsz == 0)
		return o != NULL ? o->name : "";
	out[0] = '\0';
	if (o != NULL) {
		if (o->type & DHCP_OT_ADDR_LIST)
			optval_addrs(out, outsz, val, len);
		else if (o->type & DHCP_OT_NAME)
			optval_name(out, outsz, val, len);
		else if ((o->type & (DHCP_OT_DEC | DHCP_OT_TIME)) && len != 0) {
			uint32_t dec = 0;
			size_t i;
			char t[32];

			for (i = 0; i < len; i++)
				dec = (dec << 8) | val[i];
			if (o->type & DHCP_OT_TIME)
				snprintf(out, outsz, "%s",
				    dhcp_log_time(t, dec));
			else
				snprintf(out, outsz, "%u", dec);
		} else
			nodecode = true;
	}
	if (len != 0 && (o == NULL || nodecode))
		optval_hex(out, outsz, val, len);
	return o != NULL ? o->name : "";
}

void
dhcp_log_sent(char *out, size_t outsz, uint32_t xid, unsigned code,
    const uint8_t *val, size_t len)
{
	char v[DHCP_LOG_LINE_MAX];
	const char *name = dhcp_log_optval(code, val, len, v, sizeof(v));

	snprintf(out, outsz, "%u sent size:%3d option:%3d %s  %s", xid,
	    (int)len, (int)code, name, v);
}

void
dhcp_log_prl(dhcp_log_fn *fn, void *ctx, uint32_t xid, const uint8_t *prl,
    size_t n)
{
	char line[DHCP_LOG_LINE_MAX + 32], buf[DHCP_LOG_LINE_MAX];
	size_t i, q = 0;

	/* The list ends at its first 255, as dnsmasq's copy does. */
	for (i = 0; i < n && prl[i] != 255; i++) {
		const char *s = dhcp_log_optval(prl[i], NULL, 0, NULL, 0);
		bool last = i + 1 == n || prl[i + 1] == 255;
		int k = snprintf(buf + q, sizeof(buf) - q, "%d%s%s%s", prl[i],
		    s[0] != '\0' ? ":" : "", s, last ? "" : ", ");

		if (k > 0)
			q += (size_t)k;
		if (q >= sizeof(buf))
			q = sizeof(buf) - 1;
		if (last || q > 40) {
			snprintf(line, sizeof(line), "%u requested options: %s",
			    xid, buf);
			fn(ctx, LOG_INFO, line);
			q = 0;
		}
	}
}
