/*
 * rounds.h - what several rounds of a measurement allow a class to say.
 *
 * One run decides nothing on a shared machine: a burst of load elsewhere
 * can make any design look slow. So compare runs every design once per
 * round, for several rounds, and says only what the rounds support:
 *   - each design's median over the rounds, and its spread (lowest to
 *     highest);
 *   - two designs are *level* when the median of either lies within the
 *     other's spread: nothing ranks them against each other;
 *   - designs are ranked in tiers: a tier is ranked above the next only
 *     when, in every round, its slowest design beat the next tier's fastest
 *     in that same round. Otherwise the two tiers are one.
 * No figure here is invented: each sentence holds for every round.
 */
#ifndef NETLAB_ROUNDS_H
#define NETLAB_ROUNDS_H

#define ROUNDS_MAX 20		/* --rounds is 1..20 */
#define ROUNDS_DEFAULT 3

/* One design's figure, once per round. */
struct rounds {
	double runs[ROUNDS_MAX];	/* in round order */
	int n;
	double median, min, max;	/* filled in by rounds_spread() */
};

/* The median (of an even count: the mean of the middle two), min and max. */
void rounds_spread(struct rounds *r);

/* The median of either lies within the other's spread. */
int rounds_level(const struct rounds *a, const struct rounds *b);

/*
 * Sort 'n' designs into tiers, highest median first. order[] gets the
 * indices of a[] from the highest median down (ties in index order), and
 * tier[i] the tier of a[order[i]] (0, 1, ...). Within a tier nothing is
 * ranked; tier t is above tier t + 1 in every round. Returns the number
 * of tiers.
 */
int rounds_tiers(const struct rounds *const *a, int n, int *order, int *tier);

#endif
