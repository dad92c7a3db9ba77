/*
 * show_svg.h - 'netlab show --record FILE.svg': the whole timeline as one
 * standalone SVG image, for slides.
 */
#ifndef NETLAB_SHOW_SVG_H
#define NETLAB_SHOW_SVG_H

#include <stdio.h>

#include "show_timeline.h"

/*
 * Every lane from 0 to 'end' seconds, titled with the server's command
 * line, written to out. 0, or -1 with errno when out refused a write.
 */
int show_svg_write(FILE *out, const struct show_timeline *tl, double end, const char *command);

#endif
