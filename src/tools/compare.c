#include "compare.h"
int run_compare(const struct options *opt) { (void)opt; return 1; }
