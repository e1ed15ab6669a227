/* Integer lists written with ranges: "0-3:6", "0-3,6", as -numa cpus= and host-nodes= use. */
#ifndef NUMBAT_UTIL_RANGE_LIST_H
#define NUMBAT_UTIL_RANGE_LIST_H

#include <glib.h>
#include <stdint.h>
#include "qapi/error.h"

/* Upper bound on the number of elements one range may expand to (QEMU's 65536). */
#define RANGE_LIST_MAX_ELEMENTS 65536

/*
 * Parse "a", "a-b", and several of them separated by ':' or ',' into a sorted, de-duplicated
 * GArray of uint64_t.  Errors: empty items, non-numbers, a > b ("3-1"), a range of more than
 * RANGE_LIST_MAX_ELEMENTS, a value above max (max inclusive).  Messages name `what`, e.g.
 * "Parameter 'cpus' expects a uint64 value or range".
 */
GArray *range_list_parse(const char *text, const char *what, uint64_t max, GError **errp);
/* Format a sorted set as "0-3 6" style (sep between runs, '-' inside runs). */
char *range_list_format(const uint64_t *vals, size_t n, const char *sep);

#endif
