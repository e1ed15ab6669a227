/* Decode cache: decoded instructions kept per guest-physical page, dropped when that page is written. */
#include <string.h>
#include <glib.h>
#include "target/i386/internal.h"

static X86CodePage *page_slot(X86CPU *cpu, uint64_t ppage)
{
    return &cpu->code[(ppage >> 12) & (X86_CODE_PAGES - 1)];
}

bool x86_code_page_cached(X86CPU *cpu, uint64_t ppage)
{
    return page_slot(cpu, ppage)->ppage == ppage;
}

void x86_code_invalidate(X86CPU *cpu, uint64_t ppage)
{
    X86CodePage *p = page_slot(cpu, ppage);
    if (p->ppage == ppage) {
        p->ppage = X86_TLB_INVALID;
        cpu->fetch_vpage = X86_TLB_INVALID;
        /* A running chain may be on this page: sequential steps do not re-check the page,
           they see this flag. */
        cpu->exit_request = true;
        cpu->cache_invals++;
        /* Host writes to the page may use the fast path again. */
        for (int m = 0; m < 2; m++) {
            for (unsigned i = 0; i < X86_TLB_SIZE; i++) {
                X86TLBEntry *e = &cpu->tlb[m][i];
                if (e->ppage == ppage && e->host) {
                    e->host_w = true;
                }
            }
        }
    }
}

void x86_cpu_invalidate_phys(X86CPU *cpu, uint64_t paddr, uint64_t len)
{
    for (uint64_t p = paddr & ~0xfffull; p < paddr + len; p += 4096) {
        x86_code_invalidate(cpu, p);
    }
}

static X86CodePage *page_claim(X86CPU *cpu, uint64_t ppage, int mode)
{
    X86CodePage *p = page_slot(cpu, ppage);
    if (p->ppage != ppage || p->mode != mode) {
        p->mode = mode;
        cpu->fetch_vpage = X86_TLB_INVALID;
        if (!p->slot) {
            p->slot = g_new0(uint16_t, 4096);
        } else {
            memset(p->slot, 0, 4096 * sizeof(uint16_t));
        }
        p->n = 0;
        p->ppage = ppage;
        x86_tlb_protect_code(cpu, ppage);
    }
    return p;
}

/* At most this many distinct addresses are remembered; past it every hit is logged again
   (a guest spraying #UDs over its whole address space must not grow numbat without bound). */
#define UNIMP_SEEN_MAX 65536

/* "-d unimp": each address is reported once, however often the guest retries it. */
static void report_unimp(X86CPU *cpu, uint64_t lin, const uint8_t *bytes, int n)
{
    if (!cpu->unimp_log) {
        return;
    }
    if (!cpu->unimp_seen) {
        cpu->unimp_seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    }
    if (g_hash_table_contains(cpu->unimp_seen, &lin)) {
        return;
    }
    if (g_hash_table_size(cpu->unimp_seen) < UNIMP_SEEN_MAX) {
        uint64_t *key = g_new(uint64_t, 1);
        *key = lin;
        g_hash_table_add(cpu->unimp_seen, key);
    }
    cpu->unimp_log(cpu->unimp_opaque, lin, bytes, n);
}

void x86_unimp_forget(X86CPU *cpu)
{
    if (cpu->unimp_seen) {
        g_hash_table_destroy(cpu->unimp_seen);   /* frees the keys */
        cpu->unimp_seen = NULL;
    }
}

/*
 * A decoded instruction whose form is not implemented (found only by its handler: a group
 * member, fbld...): log its bytes, re-read from CS:RIP through the iTLB entries the fetch
 * just filled, and raise #UD.
 */
_Noreturn void x86_raise_unimp(X86CPU *cpu, const X86Insn *in)
{
    if (cpu->unimp_log) {
        uint64_t lin = x86_seg_lin(&cpu->env, R_CS, cpu->env.rip);
        uint8_t buf[X86_MAX_INSN_LEN];
        int idx = x86_mmu_idx(&cpu->env), n = 0;
        for (; n < in->len && n < X86_MAX_INSN_LEN; n++) {
            uint64_t a = lin + n;
            const X86TLBEntry *e = &cpu->itlb[idx][X86_TLB_INDEX(a)];
            if (e->tag_x != (a & ~0xfffull)) {
                break;
            }
            buf[n] = e->host ? e->host[a & 0xfff]
                             : (uint8_t)cpu->ops.read(cpu->opaque, e->ppage + (a & 0xfff), 1);
        }
        report_unimp(cpu, lin, buf, n);
    }
    x86_raise_ud(cpu);
}

/* Fetch up to 15 bytes at lin through the MMU, stopping at an unmapped second page. */
static int fetch_bytes(X86CPU *cpu, uint64_t lin, uint8_t *buf, const X86TLBEntry *e)
{
    int first = 4096 - (int)(lin & 0xfff);
    int n = first < X86_MAX_INSN_LEN ? first : X86_MAX_INSN_LEN;
    for (int i = 0; i < n; i++) {
        buf[i] = e->host ? e->host[(lin & 0xfff) + i]
                         : (uint8_t)cpu->ops.read(cpu->opaque, e->ppage + (lin & 0xfff) + i, 1);
    }
    return n;
}

static void decode_fail(X86CPU *cpu, X86DecodeResult r, uint64_t lin, const uint8_t *buf,
                        const X86Insn *in)
{
    if (r == X86_DEC_TOO_LONG) {
        x86_raise_gp(cpu, 0);
    }
    report_unimp(cpu, lin, buf, in->len);
    x86_raise_ud(cpu);
}

/* Decode an instruction that spans two pages; never cached. */
static const X86Insn *decode_cross(X86CPU *cpu, uint64_t lin, uint8_t *buf, int n, X86Insn *scratch)
{
    X86DecodeResult r = x86_decode(buf, n, cpu->env.code_size, scratch);
    if (r == X86_DEC_SHORT) {
        int idx = x86_mmu_idx(&cpu->env);
        X86TLBEntry *e2 = &cpu->itlb[idx][X86_TLB_INDEX(lin + n)];
        if (e2->tag_x != ((lin + n) & ~0xfffull)) {
            e2 = x86_tlb_fill(cpu, lin + n, ACC_X, idx);
        }
        for (int i = n; i < X86_MAX_INSN_LEN; i++) {
            uint64_t off = (lin + i) & 0xfff;
            buf[i] = e2->host ? e2->host[off]
                              : (uint8_t)cpu->ops.read(cpu->opaque, e2->ppage + off, 1);
        }
        r = x86_decode(buf, X86_MAX_INSN_LEN, cpu->env.code_size, scratch);
        if (r == X86_DEC_SHORT) {
            r = X86_DEC_TOO_LONG;
        }
    }
    if (r != X86_DEC_OK) {
        decode_fail(cpu, r, lin, buf, scratch);
    }
    return scratch;
}

static void remember_page(X86CPU *cpu, uint64_t lin, int idx, X86CodePage *p)
{
    cpu->fetch_vpage = lin & ~0xfffull;
    cpu->fetch_idx = idx;
    cpu->fetch_mode = p->mode;
    cpu->fetch_page = p;
}

const X86Insn *x86_fetch_cached(X86CPU *cpu, uint64_t lin)
{
    int idx = x86_mmu_idx(&cpu->env);
    const X86TLBEntry *e = &cpu->itlb[idx][X86_TLB_INDEX(lin)];
    if (e->tag_x != (lin & ~0xfffull)) {
        return NULL;
    }
    X86CodePage *p = page_slot(cpu, e->ppage);
    unsigned s = p->slot ? p->slot[lin & 0xfff] : 0;
    if (p->ppage != e->ppage || p->mode != cpu->env.code_size || !s) {
        return NULL;
    }
    remember_page(cpu, lin, idx, p);
    return &p->insns[s - 1];
}

/* Add a decoded instruction at page offset off to the page's array; returns its index. */
static unsigned page_append(X86CodePage *p, const X86Insn *in, unsigned off)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->insns = g_renew(X86Insn, p->insns, p->cap);
    }
    X86Insn *d = &p->insns[p->n];
    *d = *in;
    d->off = (uint16_t)off;
    d->run = in->seq >= X86_FLOW_PURE;
    p->slot[off] = (uint16_t)++p->n;
    return p->n - 1;
}

/*
 * Which PURE instructions of the batch [first, last] may skip their flag update inside a
 * whole run (X86Insn.fn_run): those whose flags later ones of the same run overwrite before
 * anything reads them.  Backwards liveness; everything is live after the last instruction of
 * a run (a chain may stop there) and before a MEM one (its slow path may fault or end the run,
 * and the flags must then be right), and every run of 2 or more starts at the beginning of its
 * liveness window, so a run executed whole never exposes a skipped update (a run cut short
 * by the instruction limit or a break address runs the full handlers: cpu.c).
 */
static void flags_liveness(X86CodePage *p, unsigned first, unsigned last)
{
    unsigned live = X86_FL_ALL;
    for (unsigned j = last + 1; j-- > first;) {
        X86Insn *a = &p->insns[j];
        if (a->seq != X86_FLOW_PURE) {
            live = X86_FL_ALL;
            continue;
        }
        if (a->run == 1) {
            live = X86_FL_ALL;
        }
        if (!a->fl_w || (a->fl_w & live)) {
            a->fn_run = a->fn;
        }
        live = a->fl_r | (live & ~(unsigned)a->fl_w);
    }
}

/* At most this many instructions are decoded ahead of the one fetched. */
#define DECODE_AHEAD_MAX 64

/*
 * Straight-line code is decoded ahead, from the instruction just cached at index first up
 * to a branch, the end of the page, an instruction already decoded or one that does not
 * decode (then nothing is reported: it may never run).  The batch lies contiguously in the
 * page's array, each entry linked to the next (X86Insn.next), and every pure instruction
 * knows how many pure ones follow it there (X86Insn.run): a chain runs those back to back.
 */
static void decode_ahead(X86CodePage *p, const uint8_t *host, unsigned first, int mode)
{
    unsigned i = first;
    for (int k = 0; k < DECODE_AHEAD_MAX && p->insns[i].seq != X86_FLOW_CTRL; k++) {
        unsigned off = p->insns[i].off + p->insns[i].len;
        if (off >= 4096) {
            break;
        }
        if (p->slot[off]) {
            p->insns[i].next = (uint32_t)(p->slot[off] * sizeof(X86Insn));
            break;
        }
        X86Insn t;
        unsigned avail = 4096 - off < X86_MAX_INSN_LEN ? 4096 - off : X86_MAX_INSN_LEN;
        if (x86_decode(host + off, (int)avail, mode, &t) != X86_DEC_OK) {
            break;
        }
        unsigned j = page_append(p, &t, off);
        p->insns[i].next = (uint32_t)((j + 1) * sizeof(X86Insn));
        i = j;
    }
    for (unsigned j = i; j > first; j--) {
        X86Insn *a = &p->insns[j - 1];
        if (a->run && p->insns[j].run && a->run + p->insns[j].run <= 255) {
            a->run = (uint8_t)(1 + p->insns[j].run);
        }
    }
    flags_liveness(p, first, i);
}

/* Return the decoded instruction at CS:RIP, decoding and caching it on a miss. */
const X86Insn *x86_fetch_insn(X86CPU *cpu, X86Insn *scratch)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = x86_seg_lin(env, R_CS, env->rip);
    int idx = x86_mmu_idx(env);
    if (__builtin_expect((lin & ~0xfffull) == cpu->fetch_vpage && idx == cpu->fetch_idx &&
                         env->code_size == cpu->fetch_mode, 1)) {
        uint16_t s = cpu->fetch_page->slot[lin & 0xfff];
        if (__builtin_expect(s != 0, 1)) {
            cpu->cache_hits++;
            return &cpu->fetch_page->insns[s - 1];
        }
    }
    X86TLBEntry *e = &cpu->itlb[idx][X86_TLB_INDEX(lin)];
    if (e->tag_x != (lin & ~0xfffull)) {
        e = x86_tlb_fill(cpu, lin, ACC_X, idx);
    }
    X86CodePage *p = page_slot(cpu, e->ppage);
    unsigned off = lin & 0xfff;
    if (__builtin_expect(p->ppage == e->ppage && p->mode == env->code_size && p->slot[off], 1)) {
        cpu->cache_hits++;
        remember_page(cpu, lin, idx, p);
        return &p->insns[p->slot[off] - 1];
    }
    cpu->cache_misses++;
    uint8_t buf[X86_MAX_INSN_LEN];
    int n = fetch_bytes(cpu, lin, buf, e);
    if (n < X86_MAX_INSN_LEN) {
        X86DecodeResult r = x86_decode(buf, n, env->code_size, scratch);
        if (r != X86_DEC_OK) {
            return decode_cross(cpu, lin, buf, n, scratch);
        }
    } else {
        X86DecodeResult r = x86_decode(buf, n, env->code_size, scratch);
        if (r != X86_DEC_OK) {
            decode_fail(cpu, r == X86_DEC_SHORT ? X86_DEC_TOO_LONG : r, lin, buf, scratch);
        }
    }
    /* Cache it, keyed by physical address and by the mode it was decoded in. */
    p = page_claim(cpu, e->ppage, env->code_size);
    unsigned i = page_append(p, scratch, off);
    if (e->host) {
        decode_ahead(p, e->host, i, env->code_size);
    }
    remember_page(cpu, lin, idx, p);
    return &p->insns[i];
}
