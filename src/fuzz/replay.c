/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput() over saved
 * inputs without libFuzzer, so the seed corpus is a regression test in
 * every build (plain and sanitizer).
 *
 *   replay_T [PATH...]
 * Each PATH is a file or a directory of files (read in name order).  With
 * no PATH, the target's seed directory src/fuzz/corpus/T/ is used, T
 * being the program name after "replay_".  Prints the number of inputs
 * run; a violated invariant aborts, naming the input on stderr first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct replay_count {
	unsigned long inputs;
	unsigned long errors;
};

static int
replay_file(const char *path, struct replay_count *n)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		n->errors++;
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 4096;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				fprintf(stderr, "replay: out of memory\n");
				n->errors++;
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got != 0);
	fclose(f);
	if (getenv("REPLAY_VERBOSE") != NULL)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* A copy of exactly len bytes, so ASan sees reads past the input. */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (exact == NULL) {
			free(buf);
			n->errors++;
			return -1;
		}
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	n->inputs++;
	return 0;
}

static int
replay_select(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void
replay_path(const char *path, struct replay_count *n)
{
	struct dirent **ents;
	struct stat sb;
	int i, cnt;

	if (stat(path, &sb) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		n->errors++;
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		replay_file(path, n);
		return;
	}
	cnt = scandir(path, &ents, replay_select, alphasort);
	if (cnt < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		n->errors++;
		return;
	}
	for (i = 0; i < cnt; i++) {
		size_t l = strlen(path) + strlen(ents[i]->d_name) + 2;
		char *p = malloc(l);

		if (p != NULL) {
			snprintf(p, l, "%s/%s", path, ents[i]->d_name);
			if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
				replay_file(p, n);
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
}

int
main(int argc, char **argv)
{
	struct replay_count n = { 0, 0 };
	const char *base, *target;
	char dflt[512];
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i], &n);
	} else {
		base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		target = strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
		snprintf(dflt, sizeof(dflt), "src/fuzz/corpus/%s", target);
		replay_path(dflt, &n);
	}
	printf("replay: %lu input(s) run, %lu unreadable\n", n.inputs,
	    n.errors);
	if (n.inputs == 0) {
		fprintf(stderr, "replay: no input\n");
		return 1;
	}
	return n.errors ? 1 : 0;
}
