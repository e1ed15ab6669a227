/* Linear-to-physical translation: 4-level, PAE and 32-bit paging with NX/WP/U-S/A-D bits, the software TLB and slow memory paths. */
#include <string.h>
#include "target/i386/internal.h"

#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_NX  (1ull << 63)
#define PHYS_BITS 40
#define ADDR_MASK (((1ull << PHYS_BITS) - 1) & ~0xfffull)
/* Bits 51..PHYS_BITS are reserved in every entry. */
#define RSVD_HIGH (((1ull << 52) - 1) & ~((1ull << PHYS_BITS) - 1))

typedef struct Walk {
    uint64_t ppage;
    uint64_t entry_addr[4];     /* entries whose A bit is set (not PAE PDPTEs) */
    int levels;
    int esize;                  /* entry size: 8, or 4 for 32-bit paging */
    bool writable, user, nx, dirty, global;
} Walk;

/* The host page of a guest-physical address, through the CPU's small cache. */
static uint8_t *ram_ptr(X86CPU *cpu, uint64_t pa)
{
    uint64_t page = pa & ~0xfffull;
    unsigned i = (unsigned)(page >> 12) & 63;
    if (cpu->ram_cache[i].ppage != page) {
        cpu->ram_cache[i].host = cpu->ops.ram_ptr ? cpu->ops.ram_ptr(cpu->opaque, page) : NULL;
        cpu->ram_cache[i].ppage = page;
    }
    return cpu->ram_cache[i].host;
}

static uint64_t phys_ld(X86CPU *cpu, uint64_t pa, int size)
{
    uint8_t *h = ram_ptr(cpu, pa);
    if (h) {
        uint64_t v = 0;
        memcpy(&v, h + (pa & 0xfff), size);
        return v;
    }
    return cpu->ops.read(cpu->opaque, pa, size);
}

static uint64_t phys_ld64(X86CPU *cpu, uint64_t pa)
{
    return phys_ld(cpu, pa, 8);
}

static void phys_set_bits(X86CPU *cpu, uint64_t pa, uint64_t bits, int size)
{
    uint64_t v = phys_ld(cpu, pa, size);
    if ((v & bits) != bits) {
        uint8_t *h = ram_ptr(cpu, pa);
        v |= bits;
        if (h) {
            memcpy(h + (pa & 0xfff), &v, size);
        } else {
            cpu->ops.write(cpu->opaque, pa, v, size);
        }
        x86_code_invalidate(cpu, pa & ~0xfffull);
    }
}

/* Reserved bits of an entry at a given level (4 = PML4E ... 1 = PTE). */
static uint64_t rsvd_mask(const CPUX86State *env, int level, uint64_t e)
{
    uint64_t m = RSVD_HIGH;
    if (!(env->efer & EFER_NXE)) {
        m |= PTE_NX;
    }
    if (level == 4) {
        m |= PTE_PS;
    } else if (level == 3 && (e & PTE_PS)) {
        m |= 0x3fffe000ull;         /* 1 GiB page: bits 29:13 */
    } else if (level == 2 && (e & PTE_PS)) {
        m |= 0x1fe000ull;           /* 2 MiB page: bits 20:13 */
    }
    return m;
}

/* Walk the 4-level tables; returns 0 or a #PF error code (without U/W/I bits). */
static uint32_t walk4(X86CPU *cpu, uint64_t lin, Walk *w)
{
    CPUX86State *env = &cpu->env;
    uint64_t table = env->cr[3] & ADDR_MASK;
    w->writable = w->user = true;
    w->nx = false;
    w->esize = 8;
    for (int level = 4; level >= 1; level--) {
        int shift = 12 + 9 * (level - 1);
        uint64_t ea = table + (((lin >> shift) & 0x1ff) << 3);
        uint64_t e = phys_ld64(cpu, ea);
        if (!(e & PTE_P)) {
            return 1;   /* not present: error code P=0 (caller strips marker) */
        }
        if (e & rsvd_mask(env, level, e)) {
            return PF_P | PF_RSVD;
        }
        w->entry_addr[4 - level] = ea;
        w->levels = 5 - level;
        w->writable &= !!(e & PTE_W);
        w->user &= !!(e & PTE_U);
        w->nx |= (env->efer & EFER_NXE) && (e & PTE_NX);
        if (level == 1 || (level <= 3 && (e & PTE_PS))) {
            uint64_t off_mask = (1ull << shift) - 1;
            w->ppage = ((e & ADDR_MASK & ~off_mask) | (lin & off_mask)) & ~0xfffull;
            w->dirty = !!(e & PTE_D);
            w->global = !!(e & PTE_G);
            return 0;
        }
        table = e & ADDR_MASK;
    }
    return 0;
}

/* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with CR4.PSE (PSE-36 high bits). */
static uint32_t walk32(X86CPU *cpu, uint64_t lin, Walk *w)
{
    CPUX86State *env = &cpu->env;
    uint64_t table = env->cr[3] & 0xfffff000ull;
    w->writable = w->user = true;
    w->nx = false;
    w->esize = 4;
    w->levels = 0;
    for (int level = 2; level >= 1; level--) {
        int shift = level == 2 ? 22 : 12;
        uint64_t ea = table + (((lin >> shift) & 0x3ff) << 2);
        uint64_t e = phys_ld(cpu, ea, 4);
        if (!(e & PTE_P)) {
            return 1;
        }
        bool big = level == 2 && (e & PTE_PS) && (env->cr[4] & CR4_PSE);
        if (big && (e & (1ull << 21))) {
            return PF_P | PF_RSVD;
        }
        w->entry_addr[w->levels++] = ea;
        w->writable &= !!(e & PTE_W);
        w->user &= !!(e & PTE_U);
        if (level == 1 || big) {
            w->ppage = level == 1 ? (e & 0xfffff000ull)
                                  : (e & 0xffc00000ull) | (((e >> 13) & 0xff) << 32) |
                                    (lin & 0x3ff000ull);
            w->dirty = !!(e & PTE_D);
            w->global = !!(e & PTE_G);
            return 0;
        }
        table = e & 0xfffff000ull;
    }
    return 0;
}

/* PAE paging outside long mode: 4 PDPTEs at CR3 (read at walk time), then PDE and PTE. */
static uint32_t walk_pae(X86CPU *cpu, uint64_t lin, Walk *w)
{
    CPUX86State *env = &cpu->env;
    uint64_t pdpte = phys_ld64(cpu, (env->cr[3] & 0xffffffe0ull) + ((lin >> 30) & 3) * 8);
    w->writable = w->user = true;
    w->nx = false;
    w->esize = 8;
    w->levels = 0;
    if (!(pdpte & PTE_P)) {
        return 1;
    }
    if (pdpte & (RSVD_HIGH | PTE_NX | 0x1e6ull)) {
        return PF_P | PF_RSVD;
    }
    uint64_t table = pdpte & ADDR_MASK;
    for (int level = 2; level >= 1; level--) {
        int shift = level == 2 ? 21 : 12;
        uint64_t ea = table + (((lin >> shift) & 0x1ff) << 3);
        uint64_t e = phys_ld64(cpu, ea);
        if (!(e & PTE_P)) {
            return 1;
        }
        if (e & rsvd_mask(env, level, e)) {
            return PF_P | PF_RSVD;
        }
        w->entry_addr[w->levels++] = ea;
        w->writable &= !!(e & PTE_W);
        w->user &= !!(e & PTE_U);
        w->nx |= (env->efer & EFER_NXE) && (e & PTE_NX);
        if (level == 1 || (e & PTE_PS)) {
            uint64_t off_mask = (1ull << shift) - 1;
            w->ppage = ((e & ADDR_MASK & ~off_mask) | (lin & off_mask)) & ~0xfffull;
            w->dirty = !!(e & PTE_D);
            w->global = !!(e & PTE_G);
            return 0;
        }
        table = e & ADDR_MASK;
    }
    return 0;
}

/* The walk for the current paging mode (CR0.PG set). */
static uint32_t walk(X86CPU *cpu, uint64_t lin, Walk *w)
{
    const CPUX86State *env = &cpu->env;
    if (env->efer & EFER_LMA) {
        return walk4(cpu, lin, w);
    }
    return (env->cr[4] & CR4_PAE) ? walk_pae(cpu, lin, w) : walk32(cpu, lin, w);
}

static bool canonical(uint64_t lin)
{
    return (uint64_t)((int64_t)(lin << 16) >> 16) == lin;
}

static _Noreturn void page_fault(X86CPU *cpu, uint64_t lin, uint32_t err)
{
    cpu->env.cr[2] = lin;
    x86_raise(cpu, EXCP_PF, err, true);
}

/* Check permissions of a completed walk; returns a #PF error code or 0. */
static uint32_t check_perm(const CPUX86State *env, const Walk *w, int acc, int user)
{
    if (user && !w->user) {
        return PF_P;
    }
    if (acc == ACC_W && !w->writable && (user || (env->cr[0] & CR0_WP))) {
        return PF_P;
    }
    if (acc == ACC_X && w->nx) {
        return PF_P;
    }
    return 0;
}

static void translate(X86CPU *cpu, uint64_t lin, int acc, int user, Walk *w)
{
    CPUX86State *env = &cpu->env;
    if (!(env->cr[0] & CR0_PG)) {
        memset(w, 0, sizeof(*w));
        w->ppage = lin & ~0xfffull & ((1ull << PHYS_BITS) - 1);
        w->writable = w->user = w->dirty = true;
        return;
    }
    uint32_t err = walk(cpu, lin, w);
    if (err == 0) {
        err = check_perm(env, w, acc, user);
    } else if (err == 1) {
        err = 0;
        goto fault;
    }
    if (err == 0) {
        for (int i = 0; i < w->levels; i++) {
            phys_set_bits(cpu, w->entry_addr[i], PTE_A, w->esize);
        }
        if (acc == ACC_W) {
            phys_set_bits(cpu, w->entry_addr[w->levels - 1], PTE_D, w->esize);
            w->dirty = true;
        }
        return;
    }
fault:
    err |= (acc == ACC_W ? PF_W : 0) | (user ? PF_U : 0);
    if (acc == ACC_X && (env->efer & EFER_NXE)) {
        err |= PF_I;
    }
    page_fault(cpu, lin, err);
}

X86TLBEntry *x86_tlb_fill(X86CPU *cpu, uint64_t lin, int acc, int mmu_idx)
{
    CPUX86State *env = &cpu->env;
    if (env->long_mode && !canonical(lin)) {
        x86_raise_gp(cpu, 0);
    }
    Walk w;
    translate(cpu, lin, acc, mmu_idx, &w);
    uint64_t vpage = lin & ~0xfffull;
    X86TLBEntry *e = acc == ACC_X ? &cpu->itlb[mmu_idx][X86_TLB_INDEX(lin)]
                                  : &cpu->tlb[mmu_idx][X86_TLB_INDEX(lin)];
    if (e->tag_r != vpage || e->ppage != w.ppage) {
        e->tag_r = e->tag_w = e->tag_x = X86_TLB_INVALID;
    }
    e->ppage = w.ppage;
    e->host = ram_ptr(cpu, w.ppage);
    e->global = w.global && (env->cr[4] & CR4_PGE);
    e->tag_r = vpage;
    bool can_write = w.writable || (!mmu_idx && !(env->cr[0] & CR0_WP));
    if (can_write && w.dirty) {
        e->tag_w = vpage;
    }
    if (!w.nx) {
        e->tag_x = vpage;
    }
    e->host_w = e->host && !x86_code_page_cached(cpu, w.ppage);
    return e;
}

static X86TLBEntry *tlb_get(X86CPU *cpu, uint64_t lin, int acc, int idx)
{
    X86TLBEntry *e = acc == ACC_X ? &cpu->itlb[idx][X86_TLB_INDEX(lin)] : &cpu->tlb[idx][X86_TLB_INDEX(lin)];
    uint64_t vpage = lin & ~0xfffull;
    uint64_t tag = acc == ACC_R ? e->tag_r : acc == ACC_W ? e->tag_w : e->tag_x;
    return tag == vpage ? e : x86_tlb_fill(cpu, lin, acc, idx);
}

uint64_t x86_ld_slow(X86CPU *cpu, uint64_t lin, int size, int idx)
{
    if (cpu->env.code_size != 8) {
        lin = (uint32_t)lin;
    }
    if ((lin & 0xfff) + size > 4096) {
        uint64_t v = 0;
        for (int i = 0; i < size; i++) {
            v |= x86_ld_slow(cpu, lin + i, 1, idx) << (8 * i);
        }
        return v;
    }
    X86TLBEntry *e = tlb_get(cpu, lin, ACC_R, idx);
    if (e->host) {
        uint64_t v = 0;
        memcpy(&v, e->host + (lin & 0xfff), size);
        return v;
    }
    return cpu->ops.read(cpu->opaque, e->ppage | (lin & 0xfff), size);
}

void x86_probe_write(X86CPU *cpu, uint64_t lin, int size)
{
    tlb_get(cpu, lin, ACC_W, x86_mmu_idx(&cpu->env));
    if ((lin & 0xfff) + size > 4096) {
        tlb_get(cpu, lin + size - 1, ACC_W, x86_mmu_idx(&cpu->env));
    }
}

void x86_st_slow(X86CPU *cpu, uint64_t lin, int size, uint64_t val, int idx)
{
    if (cpu->env.code_size != 8) {
        lin = (uint32_t)lin;
    }
    if ((lin & 0xfff) + size > 4096) {
        /* Both pages must be writable before either half is stored. */
        tlb_get(cpu, lin, ACC_W, idx);
        tlb_get(cpu, lin + size - 1, ACC_W, idx);
        for (int i = 0; i < size; i++) {
            x86_st_slow(cpu, lin + i, 1, val >> (8 * i), idx);
        }
        return;
    }
    X86TLBEntry *e = tlb_get(cpu, lin, ACC_W, idx);
    if (e->host) {
        x86_code_invalidate(cpu, e->ppage);
        e->host_w = true;
        memcpy(e->host + (lin & 0xfff), &val, size);
        return;
    }
    cpu->ops.write(cpu->opaque, e->ppage | (lin & 0xfff), val, size);
}

void x86_tlb_flush_all(X86CPU *cpu, bool keep_global)
{
    cpu->fetch_vpage = X86_TLB_INVALID;
    for (int m = 0; m < 2; m++) {
        for (unsigned i = 0; i < 2 * X86_TLB_SIZE; i++) {
            X86TLBEntry *e = i < X86_TLB_SIZE ? &cpu->tlb[m][i] : &cpu->itlb[m][i - X86_TLB_SIZE];
            if (!keep_global || !e->global) {
                e->tag_r = e->tag_w = e->tag_x = X86_TLB_INVALID;
            }
        }
    }
}

void x86_tlb_flush_page(X86CPU *cpu, uint64_t lin)
{
    cpu->fetch_vpage = X86_TLB_INVALID;
    for (int m = 0; m < 2; m++) {
        X86TLBEntry *e = &cpu->tlb[m][X86_TLB_INDEX(lin)];
        if (e->tag_r == (lin & ~0xfffull)) {
            e->tag_r = e->tag_w = e->tag_x = X86_TLB_INVALID;
        }
        e = &cpu->itlb[m][X86_TLB_INDEX(lin)];
        if (e->tag_x == (lin & ~0xfffull)) {
            e->tag_r = e->tag_w = e->tag_x = X86_TLB_INVALID;
        }
    }
}

/* A page now holds cached code: route host writes to it through the slow path. */
void x86_tlb_protect_code(X86CPU *cpu, uint64_t ppage)
{
    for (int m = 0; m < 2; m++) {
        for (unsigned i = 0; i < X86_TLB_SIZE; i++) {
            if (cpu->tlb[m][i].ppage == ppage) {
                cpu->tlb[m][i].host_w = false;
            }
        }
    }
}

void x86_cpu_tlb_flush(X86CPU *cpu)
{
    x86_tlb_flush_all(cpu, false);
}

bool x86_cpu_debug_translate(X86CPU *cpu, uint64_t lin, uint64_t *paddr)
{
    if (!(cpu->env.cr[0] & CR0_PG)) {
        *paddr = lin;
        return true;
    }
    Walk w;
    if (walk(cpu, lin, &w) != 0) {
        return false;
    }
    *paddr = w.ppage | (lin & 0xfff);
    return true;
}
