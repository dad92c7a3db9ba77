/*
 * doctor.h - netlab doctor: is this machine ready for the class?
 */
#ifndef NETLAB_DOCTOR_H
#define NETLAB_DOCTOR_H

#include "cli.h"

/* One line per check, with the fix for what fails; 0 if all pass, 1 if not. */
int run_doctor(const struct options *opt);

#endif
