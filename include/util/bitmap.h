/* Fixed-size bitmaps of unsigned long words: CPU sets, node masks. */
#ifndef NUMBAT_UTIL_BITMAP_H
#define NUMBAT_UTIL_BITMAP_H

#include <glib.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define BITS_PER_LONG (sizeof(unsigned long) * CHAR_BIT)
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

unsigned long *bitmap_new(size_t nbits);   /* zeroed, g_free() it */
void bitmap_zero(unsigned long *map, size_t nbits);
void bitmap_fill(unsigned long *map, size_t nbits);
void bitmap_set(unsigned long *map, size_t start, size_t count);
void bitmap_clear(unsigned long *map, size_t start, size_t count);
bool test_bit(size_t nr, const unsigned long *map);
void set_bit(size_t nr, unsigned long *map);
void clear_bit(size_t nr, unsigned long *map);
bool bitmap_empty(const unsigned long *map, size_t nbits);
bool bitmap_full(const unsigned long *map, size_t nbits);
size_t bitmap_weight(const unsigned long *map, size_t nbits);
bool bitmap_intersects(const unsigned long *a, const unsigned long *b, size_t nbits);
void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits);
void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits);
void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits);
bool bitmap_equal(const unsigned long *a, const unsigned long *b, size_t nbits);
/* First set/clear bit at or after offset, or nbits if none. */
size_t find_next_bit(const unsigned long *map, size_t nbits, size_t offset);
size_t find_next_zero_bit(const unsigned long *map, size_t nbits, size_t offset);
#define find_first_bit(map, nbits) find_next_bit(map, nbits, 0)
#define for_each_set_bit(bit, map, nbits) \
    for ((bit) = find_first_bit(map, nbits); (bit) < (nbits); \
         (bit) = find_next_bit(map, nbits, (bit) + 1))
/* "0-3,6" rendering of the set bits. */
char *bitmap_to_range_str(const unsigned long *map, size_t nbits);

#endif
