/* A tiny machine for interpreter tests: flat RAM, identity page tables, 64-bit setup helpers. */
#include <string.h>
#include <glib.h>
#include "testmachine.h"

static uint64_t tm_read(void *opaque, uint64_t pa, unsigned size)
{
    TestMachine *tm = opaque;
    uint64_t v = 0;
    if (pa + size <= TM_RAM_SIZE) {
        memcpy(&v, tm->ram + pa, size);
    } else {
        v = ~0ull;
    }
    return v;
}

static void tm_wr(void *opaque, uint64_t pa, uint64_t v, unsigned size)
{
    TestMachine *tm = opaque;
    if (pa + size <= TM_RAM_SIZE) {
        memcpy(tm->ram + pa, &v, size);
    }
}

static uint8_t *tm_ram_ptr(void *opaque, uint64_t pa)
{
    TestMachine *tm = opaque;
    return pa < TM_RAM_SIZE ? tm->ram + (pa & ~0xfffull) : NULL;
}

static uint32_t tm_in(void *opaque, uint16_t port, unsigned size)
{
    return 0x12345678u + port;
}

static void tm_out(void *opaque, uint16_t port, uint32_t v, unsigned size)
{
    TestMachine *tm = opaque;
    tm->port_last = v;
    tm->port_writes++;
}

static const X86MemOps tm_ops = { tm_read, tm_wr, tm_ram_ptr, tm_in, tm_out };

TestMachine *tm_new(void)
{
    TestMachine *tm = g_new0(TestMachine, 1);
    tm->ram = g_malloc0(TM_RAM_SIZE);
    tm->cpu = x86_cpu_new(&tm_ops, tm);
    tm->pt_next = TM_PT_BASE + 0x1000;     /* TM_PT_BASE is the PML4 */
    return tm;
}

void tm_free(TestMachine *tm)
{
    x86_cpu_free(tm->cpu);
    g_free(tm->ram);
    g_free(tm);
}

void tm_write(TestMachine *tm, uint64_t pa, const void *p, size_t n)
{
    memcpy(tm->ram + pa, p, n);
    x86_cpu_invalidate_phys(tm->cpu, pa, n);
}

static uint64_t *entry(TestMachine *tm, uint64_t table, int idx)
{
    return (uint64_t *)(tm->ram + table + idx * 8);
}

/* Walk/create tables down to the PTE for lin; returns the PTE's physical address. */
static uint64_t pte_for(TestMachine *tm, uint64_t lin, bool create)
{
    uint64_t table = TM_PT_BASE;
    for (int level = 4; level > 1; level--) {
        int idx = (lin >> (12 + 9 * (level - 1))) & 0x1ff;
        uint64_t *e = entry(tm, table, idx);
        if (!(*e & 1)) {
            g_assert(create);
            g_assert(tm->pt_next < TM_PT_BASE + 0x10000);
            *e = tm->pt_next | 7;          /* present, writable, user at upper levels */
            tm->pt_next += 0x1000;
        }
        table = *e & 0xffffffffff000ull;
    }
    return table + ((lin >> 12) & 0x1ff) * 8;
}

void tm_map(TestMachine *tm, uint64_t lin, uint64_t len, uint64_t flags)
{
    for (uint64_t a = lin & ~0xfffull; a < lin + len; a += 0x1000) {
        uint64_t pa = pte_for(tm, a, true);
        uint64_t v = a | 1 | flags;
        memcpy(tm->ram + pa, &v, 8);
    }
    x86_cpu_tlb_flush(tm->cpu);
}

uint64_t tm_pte_addr(TestMachine *tm, uint64_t lin)
{
    return pte_for(tm, lin, false);
}

void tm_enter_long_mode(TestMachine *tm, int cpl)
{
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint32_t dpl = (uint32_t)cpl << DESC_DPL_SHIFT;
    x86_cpu_set_efer(tm->cpu, EFER_LME | EFER_NXE | EFER_SCE);
    x86_cpu_set_cr(tm->cpu, 4, CR4_PAE);
    x86_cpu_set_cr(tm->cpu, 3, TM_PT_BASE);
    x86_cpu_set_cr(tm->cpu, 0, CR0_PE | CR0_PG | CR0_WP | CR0_ET | CR0_NE);
    uint32_t code = DESC_P | DESC_S | DESC_L | DESC_G | (0xbu << DESC_TYPE_SHIFT) | dpl;
    uint32_t data = DESC_P | DESC_S | DESC_B | DESC_G | (0x3u << DESC_TYPE_SHIFT) | dpl;
    x86_set_seg_flat(env, R_CS, cpl ? 0x33 : 0x08, code);
    x86_set_seg_flat(env, R_SS, cpl ? 0x2b : 0x10, data);
    for (int s = R_ES; s <= R_GS; s++) {
        if (s != R_CS && s != R_SS) {
            x86_set_seg_flat(env, s, 0, data);
        }
    }
    x86_update_mode(env);
}
