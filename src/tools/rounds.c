/*
 * rounds.c - medians, spreads, level designs and tiers over several rounds
 * (see rounds.h for what each means and why).
 */
#include <stdlib.h>
#include <string.h>

#include "rounds.h"

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void rounds_spread(struct rounds *r)
{
	double sorted[ROUNDS_MAX];
	int n = r->n;

	if (n <= 0) {
		r->median = r->min = r->max = 0;
		return;
	}
	memcpy(sorted, r->runs, (size_t)n * sizeof(sorted[0]));
	qsort(sorted, (size_t)n, sizeof(sorted[0]), by_value);
	r->min = sorted[0];
	r->max = sorted[n - 1];
	r->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static int within(double x, const struct rounds *r)
{
	return x >= r->min && x <= r->max;
}

int rounds_level(const struct rounds *a, const struct rounds *b)
{
	return within(a->median, b) || within(b->median, a);
}

/*
 * Is order[from..to), a tier, above design d: in every round, did its
 * slowest design beat d in that round, and is none of it level with d?
 */
static int tier_above(const struct rounds *const *a, const int *order, int from, int to,
    const struct rounds *d)
{
	for (int i = from; i < to; i++) {
		if (rounds_level(a[order[i]], d))
			return 0;
		for (int k = 0; k < d->n; k++)
			if (a[order[i]]->runs[k] <= d->runs[k])
				return 0;
	}
	return 1;
}

int rounds_tiers(const struct rounds *const *a, int n, int *order, int *tier)
{
	int start[64], ntiers = 0;

	/* Highest median first; an insertion sort keeps ties in index order. */
	for (int i = 0; i < n; i++) {
		int j = i;

		while (j > 0 && a[order[j - 1]]->median < a[i]->median) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	/*
	 * Walk down the order. Every tier so far is above every tier below it
	 * in every round. A design that the first tier (from the top) is not
	 * above joins that tier, with every tier between: nothing ranks them.
	 * A design that every tier is above starts a tier of its own.
	 */
	for (int i = 0; i < n; i++) {
		int t = 0;

		while (t < ntiers && tier_above(a, order, start[t], t + 1 < ntiers ? start[t + 1] : i,
		    a[order[i]]))
			t++;
		if (t < ntiers)
			ntiers = t + 1;		/* i, and the tiers below t, join tier t */
		else if (ntiers < (int)(sizeof(start) / sizeof(start[0])))
			start[ntiers++] = i;
	}
	for (int t = 0, i = 0; i < n; i++) {
		while (t + 1 < ntiers && start[t + 1] <= i)
			t++;
		tier[i] = t;
	}
	return ntiers;
}
