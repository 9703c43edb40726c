/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_table.c - the keyword table built from conf_kw.h, and its lookups.
 */
#include "conf_int.h"

#include <string.h>

#define KW_ROW(id_, name_, sh_, arg_, rep_, feat_, sup_, fn_) \
	{ .name = name_, .short_flag = sh_, .id = CONF_KW_##id_, \
	  .arg = CONF_ARG_##arg_, .rep = CONF_REP_##rep_, \
	  .feature = CONF_FEAT_##feat_, .support = CONF_SUP_##sup_, \
	  .fn = fn_, .alias = false },
#define KW_ALIAS(id_, name_, sh_, arg_) \
	{ .name = name_, .short_flag = sh_, .id = CONF_KW_##id_, \
	  .arg = CONF_ARG_##arg_, .rep = CONF_REP_DUP, \
	  .feature = CONF_FEAT_CORE, .support = CONF_SUP_IMPL, \
	  .fn = NULL, .alias = true },

const struct conf_kw conf_kw_table[] = {
	CONF_KEYWORDS(KW_ROW, KW_ALIAS)
};

const unsigned conf_kw_table_len =
    sizeof(conf_kw_table) / sizeof(conf_kw_table[0]);

const struct conf_kw *
conf_kw_by_name(const char *name)
{
	unsigned i;

	for (i = 0; i < conf_kw_table_len; i++)
		if (strcmp(conf_kw_table[i].name, name) == 0)
			return &conf_kw_table[i];
	return NULL;
}

const struct conf_kw *
conf_kw_by_id(enum conf_kw_id id)
{
	unsigned i;

	for (i = 0; i < conf_kw_table_len; i++)
		if (conf_kw_table[i].id == id && !conf_kw_table[i].alias)
			return &conf_kw_table[i];
	return NULL;
}

const char *
conf_feature_name(enum conf_feature f)
{
	static const char *const names[CONF_FEAT_COUNT] = {
		"core", "DHCP", "PXE", "TFTP", "DNS", "scripts", "metrics"
	};

	return f < CONF_FEAT_COUNT ? names[f] : "?";
}

/* Flags have no value to parse; the dispatcher sets their bit. */
int
conf_no_handler(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	(void)arg;
	return conf_gen_err(c);
}
