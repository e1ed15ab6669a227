/* Guest test: 4 KiB pages, #PF error codes and CR2, and recovery by mapping the page in the handler. */
#include "guest.h"

#define VBASE 0x40000000ull          /* the second GiB: our own 4 KiB page tables */

static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t frames[4][4096] __attribute__((aligned(4096)));
static volatile uint64_t pf_addr, pf_err;
static volatile int pf_count;

static void pf_handler(struct trap_frame *f)
{
    uint64_t a = read_cr(2);
    pf_addr = a;
    pf_err = f->error;
    pf_count++;
    unsigned i = (a - VBASE) >> 12;
    /* Repair what the test broke: present, writable, executable. */
    pt[i] = (uint64_t)frames[i] | 0x3;
    invlpg((void *)a);
}

int guest_main(uint32_t si)
{
    idt_init();
    set_trap(14, pf_handler);
    boot_pdpt[1] = (uint64_t)pd | 0x3;
    pd[0] = (uint64_t)pt | 0x3;
    pt[0] = (uint64_t)frames[0] | 0x3;                  /* present, writable */
    pt[1] = 0;                                          /* not present */
    pt[2] = (uint64_t)frames[2] | 0x1;                  /* read-only */
    pt[3] = (uint64_t)frames[3] | 0x3 | (1ull << 63);   /* NX */
    frames[0][8] = 0x11;
    frames[1][16] = 0x22;
    frames[3][0] = 0xc3;                                /* ret */
    write_cr3(read_cr(3));

    volatile uint8_t *v = (volatile uint8_t *)VBASE;
    check(v[8] == 0x11, "a mapped 4 KiB page reads through the new tables");
    check(v[0x1000 + 16] == 0x22 && pf_count == 1, "read of a not-present page faults once, "
          "then succeeds");
    check(pf_addr == VBASE + 0x1010 && pf_err == 0, "CR2 0x%lx, error code 0x%lx (read, not present)",
          pf_addr, pf_err);
    v[0x2000 + 4] = 0x33;
    check(pf_count == 2 && pf_err == 0x3 && pf_addr == VBASE + 0x2004,
          "write to a read-only page: error 0x%lx (P|W) with CR0.WP", pf_err);
    check(frames[2][4] == 0x33, "the write completed after the handler made it writable");
    ((void (*)(void))(VBASE + 0x3000))();
    check(pf_count == 3 && pf_err == 0x11 && pf_addr == VBASE + 0x3000,
          "fetch from an NX page: error 0x%lx (P|I)", pf_err);
    pt[0] = (uint64_t)frames[1] | 0x3;                  /* remap without invlpg: stale allowed */
    invlpg((void *)VBASE);
    check(v[16] == 0x22, "invlpg makes a remapped page visible");
    return failures();
}
