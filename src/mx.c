/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mx.c - the Prometheus exposition text builder (struct mx, metrics.h).
 * Apart from the HTTP responder (metrics.c) so that the services' render
 * functions link in a build without metrics (make NO_METRICS=1), where
 * nothing ever calls them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

/* --- the exposition text ------------------------------------------------ */

void
mx_init(struct mx *m)
{
	memset(m, 0, sizeof(*m));
}

void
mx_free(struct mx *m)
{
	free(m->buf);
	mx_init(m);
}

void
mx_printf(struct mx *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = m->cap - m->len;

		if (m->oom)
			return;
		va_start(ap, fmt);
		n = vsnprintf(m->buf ? m->buf + m->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			m->oom = true;
			return;
		}
		if ((size_t)n < room) {
			m->len += (size_t)n;
			return;
		}
		size_t cap = m->cap ? m->cap * 2 : 8192;
		char *nb;

		while (cap < m->len + (size_t)n + 1)
			cap *= 2;
		if (cap > METRICS_TEXT_MAX ||
		    (nb = realloc(m->buf, cap)) == NULL) {
			m->oom = true;
			return;
		}
		m->buf = nb;
		m->cap = cap;
	}
}

void
mx_family(struct mx *m, const char *name, const char *type, const char *help)
{
	mx_printf(m, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
mx_sample(struct mx *m, const char *name, const char *labels, uint64_t value)
{
	if (labels != NULL && *labels != '\0')
		mx_printf(m, "%s{%s} %llu\n", name, labels,
		    (unsigned long long)value);
	else
		mx_printf(m, "%s %llu\n", name, (unsigned long long)value);
}

const char *
mx_label(char *buf, size_t size, const char *key, const char *value)
{
	size_t o = 0;
	int n = snprintf(buf, size, "%s=\"", key);

	if (n < 0 || (size_t)n + 2 > size) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	o = (size_t)n;
	for (; *value != '\0'; value++) {
		bool esc = *value == '\\' || *value == '"' || *value == '\n';

		/* room for this character, the closing quote and the NUL */
		if (o + (esc ? 2 : 1) + 2 > size)
			break;
		if (esc)
			buf[o++] = '\\';
		buf[o++] = *value == '\n' ? 'n' : *value;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
