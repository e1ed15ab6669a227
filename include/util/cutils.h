/* Number and size parsing with full error checking. */
#ifndef NUMBAT_UTIL_CUTILS_H
#define NUMBAT_UTIL_CUTILS_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"

/*
 * Sizes: a number with an optional suffix B, K, M, G, T, P, E (powers of 1024; lower case
 * too); a fraction is allowed with a suffix ("1.5G"); the result must fit uint64 and be
 * whole bytes.  Negative numbers, trailing garbage, empty text and overflow are errors
 * (-EINVAL / -ERANGE).  default_suffix applies to suffix-less input ('B' normally, 'M' for
 * legacy MiB options such as -numa mem= and -m).  Returns 0 or -errno; *end (if non-NULL)
 * receives where parsing stopped and then trailing text is not an error.
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_suffix(const char *nptr, const char **end, char default_suffix, uint64_t *result);

/* Whole-string integer parsing, base 0 (0x.., 0.. octal as strtoull) unless given.
 * Return 0 or -EINVAL/-ERANGE; "-1" is -ERANGE for unsigned. */
int qemu_strtou64(const char *nptr, const char **end, int base, uint64_t *result);
int qemu_strtoi64(const char *nptr, const char **end, int base, int64_t *result);

/* Human size for messages: "512 MiB", "1.5 GiB". */
char *size_to_str(uint64_t val);

#endif
