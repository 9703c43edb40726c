/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tag.c - tag sets: lookup of interned names, conditions with
 * tag:!X, tag-if chaining in file order with prefix wildcards, and the
 * log-dhcp "tags:" line (dnsmasq 2.90 dhcp-common.c semantics).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf_dhcp.h"
#include "tag.h"

/* ids:                          0    1    2      3       4 */
static const char *names[] = { "a", "b", "c", "eth*", "known" };
static const struct conf_tags tags = { 5, 5, names };

static struct tag_names tn;

static int
setup(void **state)
{
	(void)state;
	return tag_names_init(&tn, &tags);
}

static int
teardown(void **state)
{
	(void)state;
	tag_names_free(&tn);
	return 0;
}

static void
lookup(void **state)
{
	(void)state;
	assert_int_equal(tag_names_lookup(&tn, "a"), 0);
	assert_int_equal(tag_names_lookup(&tn, "known"), 4);
	assert_int_equal(tag_names_lookup(&tn, "eth*"), 3);
	assert_int_equal(tag_names_lookup(&tn, "eth0"), -1);
	assert_int_equal(tag_names_lookup(&tn, "A"), -1);	/* exact */
}

/* A condition row: tags present, the condition, untagged_ok, result. */
struct match_row {
	const char *name;
	const char *present;		/* letters a, b, c */
	struct conf_tagref refs[3];
	unsigned nrefs;
	bool untagged_ok;
	bool want;
};

static const struct match_row match_rows[] = {
	{ "empty list, tags needed", "ab", { { 0, false } }, 0, false, false },
	{ "empty list, untagged fine", "", { { 0, false } }, 0, true, true },
	{ "one present", "a", { { 0, false } }, 1, false, true },
	{ "one absent", "b", { { 0, false } }, 1, false, false },
	{ "all must hold", "a", { { 0, false }, { 1, false } }, 2, false,
	    false },
	{ "negation holds", "a", { { 0, false }, { 1, true } }, 2, false,
	    true },
	{ "negation fails", "ab", { { 0, false }, { 1, true } }, 2, false,
	    false },
	{ "only a negation", "", { { 2, true } }, 1, false, true },
};

static void
set_of(struct tag_set *s, const char *letters)
{
	tag_set_clear(s);
	for (; *letters != '\0'; letters++)
		tag_set_add_id(s, (uint16_t)(*letters - 'a'));
}

static void
match(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]);
	    i++) {
		const struct match_row *r = &match_rows[i];
		struct conf_tagexpr e = { r->nrefs,
			(struct conf_tagref *)(uintptr_t)r->refs };
		struct tag_set s;

		set_of(&s, r->present);
		if (tag_expr_match(&s, &e, r->untagged_ok) != r->want)
			fail_msg("%s", r->name);
	}
}

/* Names outside the configuration are kept for the log line and the
 * wildcards, but are never an id. */
static void
extern_names(void **state)
{
	struct tag_set s;
	char buf[128];

	(void)state;
	tag_set_clear(&s);
	tag_set_add_name(&s, &tn, "eth0");
	tag_set_add_name(&s, &tn, "known");
	tag_set_add_name(&s, &tn, "eth0");	/* once */
	tag_set_add_name(&s, &tn, "bootp");
	assert_true(tag_set_has(&s, 4));
	assert_string_equal(tag_set_format(&s, &tn, buf, sizeof(buf)),
	    "bootp, known, eth0");
	/* truncated line stays terminated */
	assert_string_equal(tag_set_format(&s, &tn, buf, 8), "bootp, ");
}

static void
wildcards(void **state)
{
	struct conf_tagref w = { 3, false }, nw = { 3, true };
	struct conf_tagexpr e = { 1, &w }, ne = { 1, &nw };
	struct tag_set s;

	(void)state;
	tag_set_clear(&s);
	assert_false(tag_expr_match_wild(&s, &tn, &e));
	assert_true(tag_expr_match_wild(&s, &tn, &ne));
	tag_set_add_name(&s, &tn, "eth1");
	assert_true(tag_expr_match_wild(&s, &tn, &e));
	assert_false(tag_expr_match_wild(&s, &tn, &ne));
	/* outside tag-if a '*' is an ordinary character */
	assert_false(tag_expr_match(&s, &e, false));
}

/* tag-if runs once, in file order; each rule sees the earlier ones. */
static void
tag_if_order(void **state)
{
	struct conf_tagref ra = { 0, false }, rb = { 1, false };
	uint16_t setb = 1, setc = 2;
	struct conf_dhcp_tagif r2 = { { NULL, 0 }, { 1, &setc },
		{ 1, &rb }, NULL };
	struct conf_dhcp_tagif r1 = { { NULL, 0 }, { 1, &setb },
		{ 1, &ra }, &r2 };
	struct tag_set s;
	char buf[64];

	(void)state;
	set_of(&s, "a");
	tag_if_run(&s, &tn, &r1);		/* a -> b -> c */
	assert_string_equal(tag_set_format(&s, &tn, buf, sizeof(buf)),
	    "c, b, a");
	r2.next = NULL;
	r1.next = NULL;
	r2.next = &r1;				/* b -> c first: no c */
	set_of(&s, "a");
	tag_if_run(&s, &tn, &r2);
	assert_string_equal(tag_set_format(&s, &tn, buf, sizeof(buf)),
	    "b, a");
}

/* set:x,set:y is added so that the line reads "x, y" (dnsmasq keeps the
 * list newest first). */
static void
set_list_order(void **state)
{
	uint16_t ids[2] = { 1, 2 };
	struct conf_tagset l = { 2, ids };
	struct tag_set s;
	char buf[64];

	(void)state;
	set_of(&s, "a");
	tag_set_add_list(&s, &l);
	assert_string_equal(tag_set_format(&s, &tn, buf, sizeof(buf)),
	    "b, c, a");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup),
		cmocka_unit_test(match),
		cmocka_unit_test(extern_names),
		cmocka_unit_test(wildcards),
		cmocka_unit_test(tag_if_order),
		cmocka_unit_test(set_list_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
