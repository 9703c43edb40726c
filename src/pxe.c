// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pxe.c - option 43 menu and boot-item pieces (see pxe.h).  Facts from
 * reference section 4.5 and Appendix A.2-A.5 (observed dnsmasq 2.90
 * bytes).
 */
#include "pxe.h"

#include <stdio.h>
#include <string.h>

#include "dhcp_msg.h"

void
pxe_menu_init(struct pxe_menu *m)
{
	memset(m, 0, sizeof(*m));
	/* no multicast discovery; no broadcast unless needed */
	m->discovery = 3;
}

int
pxe_menu_add(struct pxe_menu *m, uint16_t type, const char *text,
    struct in_addr server)
{
	size_t len = text != NULL ? strlen(text) : 0;

	if (m->too_big)
		return -1;
	/* dnsmasq's test: the entry (3 + len) must leave the value < 253 */
	if (len > 255 || m->menu_len + len + 3 >= PXE_SUB_MAX)
		goto toobig;
	m->menu[m->menu_len++] = (uint8_t)(type >> 8);
	m->menu[m->menu_len++] = (uint8_t)type;
	m->menu[m->menu_len++] = (uint8_t)len;
	if (len != 0)
		memcpy(m->menu + m->menu_len, text, len);
	m->menu_len += len;
	m->items++;
	if (server.s_addr != 0) {
		if (m->servers_len + 3 + 4 >= PXE_SUB_MAX)
			goto toobig;
		m->servers[m->servers_len++] = (uint8_t)(type >> 8);
		m->servers[m->servers_len++] = (uint8_t)type;
		m->servers[m->servers_len++] = 1;
		memcpy(m->servers + m->servers_len, &server.s_addr, 4);
		m->servers_len += 4;
	} else if (type != 0)
		m->discovery = 2;	/* client may broadcast for it */
	return 0;
toobig:
	m->too_big = true;
	return -1;
}

size_t
pxe_menu_subs(struct pxe_menu *m, bool have_prompt, struct pxe_sub out[4])
{
	size_t n = 0;

	if (m->too_big)
		return 0;
	if (m->items == 0)
		m->discovery = 8;	/* no menu: use the file field */
	/* without a prompt: wait for a key only when there is a choice */
	m->prompt[0] = m->items > 1 ? 255 : 0;
	memcpy(m->prompt + 1, "PXE", 3);
	out[n++] = (struct pxe_sub){ PXE_SUB_DISCOVERY, 1, &m->discovery };
	if (!have_prompt)
		out[n++] = (struct pxe_sub){ PXE_SUB_PROMPT, 4, m->prompt };
	if (m->items != 0 && m->servers_len != 0)
		out[n++] = (struct pxe_sub){ PXE_SUB_SERVERS,
		    (uint8_t)m->servers_len, m->servers };
	if (m->items != 0)
		out[n++] = (struct pxe_sub){ PXE_SUB_MENU,
		    (uint8_t)m->menu_len, m->menu };
	return n;
}

size_t
pxe_encode(const struct pxe_sub *subs, size_t n, uint8_t *out, size_t cap)
{
	size_t k = 0, i;

	for (i = 0; i < n; i++) {
		if (k + 2 + subs[i].len + 1 > cap || k + 2 + subs[i].len >= 255)
			return 0;
		out[k++] = subs[i].code;
		out[k++] = subs[i].len;
		if (subs[i].len != 0)
			memcpy(out + k, subs[i].val, subs[i].len);
		k += subs[i].len;
	}
	if (k + 1 > cap)
		return 0;
	out[k++] = 0xff;
	return k;
}

bool
pxe_boot_item(const uint8_t *v, size_t len, uint16_t *type, uint16_t *layer)
{
	const uint8_t *p;

	if (v == NULL || len == 0)
		return false;
	p = dhcp_subopt(v, len, PXE_SUB_BOOT_ITEM, 4, NULL);
	if (p == NULL)
		return false;
	*type = (uint16_t)(p[0] << 8 | p[1]);
	*layer = (uint16_t)(p[2] << 8 | p[3]);
	return true;
}

void
pxe_boot_file(char out[PXE_FILE_MAX], const char *basename, unsigned layer)
{
	if (strchr(basename, '.') != NULL)
		snprintf(out, PXE_FILE_MAX, "%s", basename);
	else
		snprintf(out, PXE_FILE_MAX, "%s.%u", basename, layer);
}

int
pxe_arch(const uint8_t *v, size_t len)
{
	if (v == NULL || len < 2)
		return -1;
	return v[0] << 8 | v[1];
}
