/* bench/mips guest: the loop mix (ALU, loads/stores, branches, calls) as a PVH ELF, timed under numbat and QEMU. */
#include "../../tests/guest/guest.h"

#define ITERS 20000000u

static uint64_t table[256];

__attribute__((noinline)) static uint64_t mix(uint64_t x, uint64_t i)
{
    return (x ^ (i << 3)) + (x >> 7) * 3;
}

int guest_main(uint32_t si)
{
    uint64_t x = 0x12345678;
    for (uint32_t i = 0; i < ITERS; i++) {
        uint64_t *slot = &table[i & 255];
        *slot += x;
        x = mix(x, i) + *slot;
        if (x & 1) {
            x ^= 0x9e3779b97f4a7c15ull;
        }
    }
    gprintf("bench checksum 0x%lx\n", x);
    return 0;
}
