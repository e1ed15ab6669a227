/* Fixed-size bitmaps of unsigned long words: CPU sets and node masks. */
#include "util/bitmap.h"

#include <string.h>
#include "util/range-list.h"

#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
/* Mask of the valid bits in the last word of an nbits map (all ones when nbits fills it). */
#define LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

unsigned long *bitmap_new(size_t nbits)
{
    return g_new0(unsigned long, BITS_TO_LONGS(nbits) ? BITS_TO_LONGS(nbits) : 1);
}

void bitmap_zero(unsigned long *map, size_t nbits)
{
    memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* Bits past nbits in the last word stay clear, so whole-word comparisons remain valid. */
void bitmap_fill(unsigned long *map, size_t nbits)
{
    size_t words = BITS_TO_LONGS(nbits);
    if (!words) {
        return;
    }
    memset(map, 0xff, words * sizeof(unsigned long));
    map[words - 1] = LAST_WORD_MASK(nbits);
}

bool test_bit(size_t nr, const unsigned long *map)
{
    return (map[BIT_WORD(nr)] & BIT_MASK(nr)) != 0;
}

void set_bit(size_t nr, unsigned long *map)
{
    map[BIT_WORD(nr)] |= BIT_MASK(nr);
}

void clear_bit(size_t nr, unsigned long *map)
{
    map[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* Set or clear [start, start+count), a word at a time in the middle. */
static void bitmap_update(unsigned long *map, size_t start, size_t count, bool value)
{
    size_t end = start + count;
    while (start < end) {
        size_t off = start % BITS_PER_LONG;
        size_t n = BITS_PER_LONG - off;
        if (n > end - start) {
            n = end - start;
        }
        unsigned long mask = (n == BITS_PER_LONG ? ~0UL : ((1UL << n) - 1)) << off;
        if (value) {
            map[BIT_WORD(start)] |= mask;
        } else {
            map[BIT_WORD(start)] &= ~mask;
        }
        start += n;
    }
}

void bitmap_set(unsigned long *map, size_t start, size_t count)
{
    bitmap_update(map, start, count, true);
}

void bitmap_clear(unsigned long *map, size_t start, size_t count)
{
    bitmap_update(map, start, count, false);
}

/* Word i of map restricted to the first nbits bits (callers may leave junk past nbits). */
static unsigned long word_at(const unsigned long *map, size_t i, size_t nbits)
{
    unsigned long w = map[i];
    if (i == BITS_TO_LONGS(nbits) - 1) {
        w &= LAST_WORD_MASK(nbits);
    }
    return w;
}

bool bitmap_empty(const unsigned long *map, size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        if (word_at(map, i, nbits)) {
            return false;
        }
    }
    return true;
}

bool bitmap_full(const unsigned long *map, size_t nbits)
{
    size_t words = BITS_TO_LONGS(nbits);
    for (size_t i = 0; i < words; i++) {
        unsigned long want = i == words - 1 ? LAST_WORD_MASK(nbits) : ~0UL;
        if (word_at(map, i, nbits) != want) {
            return false;
        }
    }
    return true;
}

size_t bitmap_weight(const unsigned long *map, size_t nbits)
{
    size_t n = 0;
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        n += __builtin_popcountl(word_at(map, i, nbits));
    }
    return n;
}

bool bitmap_intersects(const unsigned long *a, const unsigned long *b, size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        if (word_at(a, i, nbits) & word_at(b, i, nbits)) {
            return true;
        }
    }
    return false;
}

void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        dst[i] = a[i] & b[i];
    }
}

void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        dst[i] = a[i] | b[i];
    }
}

void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
                   size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        dst[i] = a[i] & ~b[i];
    }
}

bool bitmap_equal(const unsigned long *a, const unsigned long *b, size_t nbits)
{
    for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++) {
        if (word_at(a, i, nbits) != word_at(b, i, nbits)) {
            return false;
        }
    }
    return true;
}

/* Shared scan: invert each word for the zero-bit search. */
static size_t find_next(const unsigned long *map, size_t nbits, size_t offset, unsigned long flip)
{
    if (offset >= nbits) {
        return nbits;
    }
    size_t i = BIT_WORD(offset);
    unsigned long w = (map[i] ^ flip) & (~0UL << (offset % BITS_PER_LONG));
    for (;;) {
        if (w) {
            size_t bit = i * BITS_PER_LONG + __builtin_ctzl(w);
            return bit < nbits ? bit : nbits;
        }
        if (++i >= BITS_TO_LONGS(nbits)) {
            return nbits;
        }
        w = map[i] ^ flip;
    }
}

size_t find_next_bit(const unsigned long *map, size_t nbits, size_t offset)
{
    return find_next(map, nbits, offset, 0);
}

size_t find_next_zero_bit(const unsigned long *map, size_t nbits, size_t offset)
{
    return find_next(map, nbits, offset, ~0UL);
}

char *bitmap_to_range_str(const unsigned long *map, size_t nbits)
{
    g_autoptr(GArray) bits = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    size_t bit;

    for_each_set_bit(bit, map, nbits) {
        uint64_t v = bit;
        g_array_append_val(bits, v);
    }
    return range_list_format((const uint64_t *)(void *)bits->data, bits->len, ",");
}
