/* Unit tests for the pc board's memory map, e820 table, address space and ACPI configuration. */
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/acpi/table.h"
#include "numa/numa.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void test_memmap_split(void)
{
    static const struct { uint64_t ram, below, above; } cases[] = {
        { 128 * MiB, 128 * MiB, 0 },
        { 0xe0000000ull - MiB, 0xe0000000ull - MiB, 0 },
        { 0xe0000000ull, 3 * GiB, 0xe0000000ull - 3 * GiB },  /* gigabyte aligned */
        { 4 * GiB, 3 * GiB, GiB },
        { 3 * GiB + 512 * MiB, 3 * GiB, 512 * MiB },
        { 64 * GiB, 3 * GiB, 61 * GiB },
        { 640 * 1024, 640 * 1024, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        PcMemMap map;
        g_assert_true(pc_memmap_compute(cases[i].ram, cases[i].ram, 0, &map, NULL));
        g_assert_cmphex(map.below_4g, ==, cases[i].below);
        g_assert_cmphex(map.above_4g, ==, cases[i].above);
        g_assert_cmphex(map.device_mem_size, ==, 0);
    }
}

static void test_memmap_device_memory(void)
{
    PcMemMap map;
    /* QEMU: 4G,slots=4,maxmem=8G gives [0x140000000, +0x200000000) */
    g_assert_true(pc_memmap_compute(4 * GiB, 8 * GiB, 4, &map, NULL));
    g_assert_cmphex(map.device_mem_base, ==, 0x140000000ull);
    g_assert_cmphex(map.device_mem_size, ==, 0x200000000ull);
    /* no RAM above 4G: device memory starts at 4G */
    g_assert_true(pc_memmap_compute(1 * GiB, 2 * GiB, 0, &map, NULL));
    g_assert_cmphex(map.device_mem_base, ==, 4 * GiB);
    g_assert_cmphex(map.device_mem_size, ==, 1 * GiB);
    /* above-4G end not GiB aligned: rounded up */
    g_assert_true(pc_memmap_compute(3 * GiB + 512 * MiB, 8 * GiB, 1, &map, NULL));
    g_assert_cmphex(map.device_mem_base, ==, 5 * GiB);
    g_assert_cmphex(map.device_mem_size, ==, 8 * GiB - (3 * GiB + 512 * MiB) + GiB);
}

static void test_memmap_errors(void)
{
    PcMemMap map;
    GError *err = NULL;
    g_assert_false(pc_memmap_compute(GiB, 2 * GiB, 257, &map, &err));
    g_assert_cmpstr(err->message, ==, "unsupported amount of memory slots: 257");
    g_clear_error(&err);
    g_assert_false(pc_memmap_compute(GiB, 2 * GiB + 512, 1, &map, &err));
    g_assert_cmpstr(err->message, ==,
                    "maximum memory size must by aligned to multiple of 4096 bytes");
    g_clear_error(&err);
    g_assert_false(pc_memmap_compute(GiB, UINT64_MAX - 4095, 0, &map, &err));
    g_assert_nonnull(strstr(err->message, "unsupported amount of maximum memory"));
    g_clear_error(&err);
    g_assert_true(pc_memmap_compute(GiB, GiB, 256, &map, NULL));
}

typedef struct Span { uint64_t lo, hi; } Span;

static gint span_cmp(gconstpointer a, gconstpointer b)
{
    const Span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static GArray *normalise(GArray *spans)
{
    g_array_sort(spans, span_cmp);
    GArray *out = g_array_new(FALSE, FALSE, sizeof(Span));
    for (guint i = 0; i < spans->len; i++) {
        Span s = g_array_index(spans, Span, i);
        Span *last = out->len ? &g_array_index(out, Span, out->len - 1) : NULL;
        if (last && s.lo <= last->hi) {
            last->hi = MAX(last->hi, s.hi);
        } else {
            g_array_append_val(out, s);
        }
    }
    g_array_unref(spans);
    return out;
}

static GArray *e820_spans(GArray *e820, uint32_t type_a, uint32_t type_b)
{
    GArray *s = g_array_new(FALSE, FALSE, sizeof(Span));
    for (guint i = 0; i < e820->len; i++) {
        E820Entry *e = &g_array_index(e820, E820Entry, i);
        g_assert_cmpuint(e->size, >, 0);
        if (i) {
            E820Entry *p = &g_array_index(e820, E820Entry, i - 1);
            g_assert_cmphex(p->addr + p->size, <=, e->addr);    /* sorted, disjoint */
        }
        if (e->type == type_a || e->type == type_b) {
            Span sp = { e->addr, e->addr + e->size };
            g_array_append_val(s, sp);
        }
    }
    return normalise(s);
}

static GArray *srat_spans(const uint64_t *node_mem, unsigned n, const PcMemMap *map)
{
    PcRamLayout l = { map->below_4g, map->above_4g };
    g_autoptr(GArray) mem = pc_numa_memory_ranges(node_mem, n, &l);
    GArray *s = g_array_new(FALSE, FALSE, sizeof(Span));
    for (guint i = 0; i < mem->len; i++) {
        SratMem *m = &g_array_index(mem, SratMem, i);
        Span sp = { m->base, m->base + m->len };
        g_array_append_val(s, sp);
    }
    return normalise(s);
}

static void assert_same_spans(GArray *a, GArray *b)
{
    g_assert_cmpuint(a->len, ==, b->len);
    for (guint i = 0; i < a->len; i++) {
        g_assert_cmphex(g_array_index(a, Span, i).lo, ==, g_array_index(b, Span, i).lo);
        g_assert_cmphex(g_array_index(a, Span, i).hi, ==, g_array_index(b, Span, i).hi);
    }
}

/* The guest notes: SRAT must cover all e820 RAM.  numbat makes them equal. */
static void test_e820_equals_srat(void)
{
    static const struct { uint64_t mem[4]; unsigned n; } cases[] = {
        { { 128 * MiB }, 1 },
        { { 512 * 1024, 127 * MiB + 512 * 1024 }, 2 },            /* node ends inside 640K */
        { { 768 * 1024, 130304 * 1024 }, 2 },                       /* QEMU's 640K flaw case */
        { { 1 * GiB, 3 * GiB }, 2 },                                /* straddles PCI hole */
        { { 2 * GiB, 0, 1536 * MiB + 512 * MiB, 0 }, 4 },           /* memory-less nodes */
        { { 3584 * MiB, 3584 * MiB }, 2 },                          /* 7G, both sides */
        { { GiB, GiB, GiB, 512 * MiB }, 4 },                        /* 3.5G: no split */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t ram = 0;
        for (unsigned k = 0; k < cases[i].n; k++) {
            ram += cases[i].mem[k];
        }
        PcMemMap map;
        g_assert_true(pc_memmap_compute(ram, ram, 0, &map, NULL));
        g_autoptr(GArray) e820 = pc_e820_table(&map, 0);
        g_autoptr(GArray) ram_spans = e820_spans(e820, E820_RAM, E820_RAM);
        g_autoptr(GArray) srat = srat_spans(cases[i].mem, cases[i].n, &map);
        assert_same_spans(ram_spans, srat);
        /* total RAM in e820 = RAM minus the shadowed 640K-1M window */
        uint64_t sum = 0;
        for (guint k = 0; k < ram_spans->len; k++) {
            sum += g_array_index(ram_spans, Span, k).hi - g_array_index(ram_spans, Span, k).lo;
        }
        g_assert_cmphex(sum, ==, ram - (PC_HOLE_640K_END - PC_HOLE_640K_START));
    }
}

static void test_e820_layout(void)
{
    PcMemMap map;
    g_assert_true(pc_memmap_compute(4 * GiB, 4 * GiB, 0, &map, NULL));
    g_autoptr(GArray) t = pc_e820_table(&map, 0);
    static const E820Entry want[] = {
        { 0, 0xa0000, E820_RAM },
        { 0xe0000, 0x20000, E820_RESERVED },
        { 0x100000, 3 * GiB - 0x100000, E820_RAM },
        { 4 * GiB, GiB, E820_RAM },
    };
    g_assert_cmpuint(t->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < t->len; i++) {
        E820Entry *e = &g_array_index(t, E820Entry, i);
        g_assert_cmphex(e->addr, ==, want[i].addr);
        g_assert_cmphex(e->size, ==, want[i].size);
        g_assert_cmpuint(e->type, ==, want[i].type);
    }
    /* tables at the top of low RAM: RAM stops there, ACPI data up to below_4g; RAM and
     * ACPI data together are still what SRAT covers */
    g_autoptr(GArray) h = pc_e820_table(&map, 3 * GiB - 0x40000);
    g_assert_cmpuint(h->len, ==, 5);
    E820Entry *acpi = &g_array_index(h, E820Entry, 3);
    g_assert_cmpuint(acpi->type, ==, E820_ACPI);
    g_assert_cmphex(acpi->addr, ==, 3 * GiB - 0x40000);
    g_assert_cmphex(acpi->size, ==, 0x40000);
    uint64_t mem[1] = { 4 * GiB };
    g_autoptr(GArray) both = e820_spans(h, E820_RAM, E820_ACPI);
    g_autoptr(GArray) srat = srat_spans(mem, 1, &map);
    assert_same_spans(both, srat);
    /* tiny RAM: no entry past 640K */
    g_assert_true(pc_memmap_compute(512 * 1024, 512 * 1024, 0, &map, NULL));
    g_autoptr(GArray) s = pc_e820_table(&map, 0);
    g_assert_cmpuint(s->len, ==, 2);
    g_assert_cmphex(g_array_index(s, E820Entry, 0).size, ==, 512 * 1024);
    g_assert_cmpstr(e820_type_name(E820_ACPI), ==, "ACPI data");
}

/* A machine by hand: RAM container of size ram, possible CPUs with the given nodes. */
typedef struct Fixture {
    MachineState ms;
    MemoryRegion ram;
} Fixture;

static void fixture_init(Fixture *f, uint64_t ram, unsigned ncpus, unsigned present,
                         const int *nodes)
{
    memset(f, 0, sizeof(*f));
    g_assert_true(memory_region_init_ram(&f->ram, "pc.ram", ram, NULL));
    f->ms.ram = &f->ram;
    f->ms.ram_size = f->ms.maxram_size = ram;
    f->ms.smp.cpus = present;
    f->ms.smp.max_cpus = ncpus;
    f->ms.possible_cpus = g_malloc0(sizeof(CPUArchIdList) + ncpus * sizeof(CPUArchId));
    f->ms.possible_cpus->len = ncpus;
    for (unsigned i = 0; i < ncpus; i++) {
        CPUArchId *c = &f->ms.possible_cpus->cpus[i];
        c->arch_id = i * 2 + (i >= 100 ? 200 : 0);      /* some past 255: x2APIC */
        c->props.has_node_id = nodes && nodes[i] >= 0;
        c->props.node_id = nodes ? nodes[i] : 0;
    }
}

static void fixture_clear(Fixture *f)
{
    if (f->ms.board_free) {
        f->ms.board_free(f->ms.board);
    }
    g_free(f->ms.possible_cpus);
    numa_state_free(f->ms.numa);
    memory_region_destroy(&f->ram);
}

static void test_acpi_setup_no_numa(void)
{
    Fixture f;
    fixture_init(&f, 128 * MiB, 4, 2, NULL);
    PcMemMap map;
    g_assert_true(pc_memmap_compute(128 * MiB, 128 * MiB, 0, &map, NULL));
    PcAcpiSetup s;
    g_assert_true(pc_acpi_setup_init(&s, &f.ms, &map, NULL));
    g_assert_cmpuint(s.cfg.nb_cpus, ==, 4);
    g_assert_cmpuint(s.cfg.nb_nodes, ==, 0);
    g_assert_null(s.cfg.distance);
    g_assert_null(s.cfg.hmat);
    for (unsigned i = 0; i < 4; i++) {
        g_assert_cmpuint(s.cfg.cpus[i].apic_id, ==, i * 2);
        g_assert_cmpuint(s.cfg.cpus[i].node, ==, 0);
        g_assert_cmpint(s.cfg.cpus[i].present, ==, i < 2);
    }
    pc_acpi_setup_clear(&s);
    /* no possible CPUs: an error, not a crash */
    g_free(f.ms.possible_cpus);
    f.ms.possible_cpus = NULL;
    GError *err = NULL;
    g_assert_false(pc_acpi_setup_init(&s, &f.ms, &map, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    fixture_clear(&f);
}

static NumaState *three_nodes(bool dist, bool hmat)
{
    NumaState *ns = numa_state_new();
    ns->num_nodes = 3;
    ns->nodes[0].node_mem = 64 * MiB;
    ns->nodes[1].node_mem = 0;                 /* memory-less */
    ns->nodes[2].node_mem = 64 * MiB;
    if (dist) {
        ns->have_numa_distance = true;
        ns->nodes[0].distance[1] = 21;         /* given one way only: mirrored */
        ns->nodes[0].distance[2] = 31;
        ns->nodes[2].distance[0] = 41;         /* asymmetric */
        ns->nodes[1].distance[2] = 25;
    }
    ns->hmat_enabled = hmat;
    ns->nodes[0].has_cpu = ns->nodes[1].has_cpu = true;
    ns->nodes[0].initiator = 0;
    ns->nodes[2].initiator = 1;
    return ns;
}

static void test_acpi_setup_numa(void)
{
    static const int nodes[5] = { 0, 1, 0, 1, -1 };
    Fixture f;
    fixture_init(&f, 128 * MiB, 5, 3, nodes);
    f.ms.numa = three_nodes(true, true);
    PcMemMap map;
    g_assert_true(pc_memmap_compute(128 * MiB, 256 * MiB, 2, &map, NULL));
    PcAcpiSetup s;
    g_assert_true(pc_acpi_setup_init(&s, &f.ms, &map, NULL));
    g_assert_cmpuint(s.cfg.nb_nodes, ==, 3);
    g_assert_cmpuint(s.cfg.cpus[1].node, ==, 1);
    g_assert_cmpuint(s.cfg.cpus[3].node, ==, 1);
    g_assert_cmpuint(s.cfg.cpus[4].node, ==, 0);     /* no node_id: 0 */
    g_assert_true(s.cfg.cpus[2].present);
    g_assert_false(s.cfg.cpus[3].present);
    g_assert_cmphex(s.cfg.node_mem[1], ==, 0);
    static const uint8_t want[9] = { 10, 21, 31, 21, 10, 25, 41, 25, 10 };
    g_assert_cmpmem(s.cfg.distance, 9, want, 9);
    g_assert_nonnull(s.cfg.hmat);
    g_assert_cmpmem(s.cfg.hmat->data, 4, "HMAT", 4);
    g_assert_cmpuint(acpi_checksum(s.cfg.hmat->data, s.cfg.hmat->len), ==, 0);
    g_assert_cmphex(s.cfg.hotplug_base, ==, 4 * GiB);
    g_assert_cmphex(s.cfg.hotplug_size, ==, 128 * MiB + 2 * GiB);
    g_assert_cmphex(s.cfg.ram.below_4g, ==, 128 * MiB);
    pc_acpi_setup_clear(&s);
    /* without -numa dist: no SLIT; without hmat=on: no HMAT */
    numa_state_free(f.ms.numa);
    f.ms.numa = three_nodes(false, false);
    g_assert_true(pc_acpi_setup_init(&s, &f.ms, &map, NULL));
    g_assert_null(s.cfg.distance);
    g_assert_null(s.cfg.hmat);
    pc_acpi_setup_clear(&s);
    fixture_clear(&f);
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

/* The address space: aliases at 0 and 4G, the BIOS area over the 640K-1M window; the
 * tables installed there are readable by the guest at the RSDP's addresses. */
static void test_address_space_and_install(void)
{
    Fixture f;
    fixture_init(&f, 4 * GiB, 2, 2, NULL);
    PcMemMap map;
    g_assert_true(pc_memmap_compute(4 * GiB, 4 * GiB, 0, &map, NULL));
    PcMachineState *pcms = pc_machine_state_new(&f.ms, &map);
    f.ms.board = pcms;
    f.ms.board_free = pc_machine_state_free;
    g_assert_true(pc_machine(&f.ms) == pcms);
    const FlatRange *r = flatview_lookup(pcms->system_view, 0x1000);
    g_assert_true(r && r->mr == &f.ram);
    r = flatview_lookup(pcms->system_view, 4 * GiB + 0x10);
    g_assert_true(r && r->mr == &f.ram);
    g_assert_cmphex(r->offset_in_mr + (4 * GiB + 0x10 - r->start), ==, 3 * GiB + 0x10);
    g_assert_null(flatview_lookup(pcms->system_view, 3 * GiB + 0x10));   /* PCI hole */
    g_assert_null(flatview_lookup(pcms->system_view, 5 * GiB));
    r = flatview_lookup(pcms->system_view, 0xe0000);
    g_assert_true(r && r->mr == &pcms->bios_area);
    r = flatview_lookup(pcms->system_view, 0xa0000);
    g_assert_true(r && r->mr == &f.ram);     /* shadowed RAM: the platform may overlay it */

    uint64_t high;
    pcms->acpi = pc_acpi_build(&f.ms, &map, &high, NULL);
    g_assert_nonnull(pcms->acpi);
    g_assert_cmphex(high, ==, 0);
    g_assert_cmphex(pcms->acpi->base, ==, PC_ACPI_TABLES_ADDR);
    g_assert_true(pc_acpi_install(pcms->acpi, pcms->system_view, NULL));
    uint8_t rsdp[36], hdr[8];
    g_assert_true(flatview_read(pcms->system_view, PC_ACPI_RSDP_ADDR, rsdp, 36));
    g_assert_cmpmem(rsdp, 8, "RSD PTR ", 8);
    g_assert_cmpuint(acpi_checksum(rsdp, 36), ==, 0);
    g_assert_true(flatview_read(pcms->system_view, rd64(rsdp + 24), hdr, 8));
    g_assert_cmpmem(hdr, 4, "XSDT", 4);
    g_assert_cmphex(rd64(rsdp + 24) + (hdr[4] | hdr[5] << 8), <=, PC_ACPI_AREA_END);
    /* guest RAM under the BIOS area is untouched */
    g_assert_cmpuint(f.ram.host[0xe0000], ==, 0);
    fixture_clear(&f);
}

/* 128 nodes with latency and bandwidth matrices of every type: too big for the BIOS area,
 * so the tables move to the top of low RAM and e820 says so. */
static void test_acpi_overflow_high(void)
{
    enum { N = 128 };
    int nodes[N];
    for (int i = 0; i < N; i++) {
        nodes[i] = i;
    }
    Fixture f;
    fixture_init(&f, N * 8 * MiB, N, N, nodes);
    NumaState *ns = numa_state_new();
    ns->num_nodes = N;
    ns->hmat_enabled = true;
    for (int i = 0; i < N; i++) {
        ns->nodes[i].node_mem = 8 * MiB;
        ns->nodes[i].has_cpu = true;
        ns->nodes[i].initiator = i;
    }
    for (int t = 0; t < HMAT_LB_TYPES; t++) {
        HmatLbInfo *lb = g_new0(HmatLbInfo, 1);
        lb->data_type = t;
        lb->base = 1;
        lb->list = g_array_new(FALSE, TRUE, sizeof(HmatLbData));
        HmatLbData d = { 0, 0, 10 };
        g_array_append_val(lb->list, d);
        ns->hmat_lb[0][t] = lb;
    }
    f.ms.numa = ns;
    PcMemMap map;
    g_assert_true(pc_memmap_compute(N * 8 * MiB, N * 8 * MiB, 0, &map, NULL));
    PcMachineState *pcms = pc_machine_state_new(&f.ms, &map);
    f.ms.board = pcms;
    f.ms.board_free = pc_machine_state_free;
    uint64_t high;
    pcms->acpi = pc_acpi_build(&f.ms, &map, &high, NULL);
    g_assert_nonnull(pcms->acpi);
    g_assert_cmphex(high, >, PC_ACPI_AREA_END);
    g_assert_cmphex(high % PC_ACPI_HIGH_ALIGN, ==, 0);
    g_assert_cmphex(pcms->acpi->base, ==, high);
    g_assert_cmphex(high + pcms->acpi->blob->len, <=, map.below_4g);
    g_assert_true(pc_acpi_install(pcms->acpi, pcms->system_view, NULL));
    g_assert_cmpmem(f.ram.host + high, 4, "FACS", 4);
    g_autoptr(GArray) e820 = pc_e820_table(&map, high);
    gboolean found = FALSE;
    for (guint i = 0; i < e820->len; i++) {
        E820Entry *e = &g_array_index(e820, E820Entry, i);
        found |= e->type == E820_ACPI && e->addr == high && e->addr + e->size == map.below_4g;
    }
    g_assert_true(found);
    /* and with RAM too small to hold them: an error */
    PcMemMap tiny;
    g_assert_true(pc_memmap_compute(MiB + 128 * 1024, MiB + 128 * 1024, 0, &tiny, NULL));
    GError *err = NULL;
    g_assert_null(pc_acpi_build(&f.ms, &tiny, &high, &err));
    g_assert_nonnull(strstr(err->message, "do not fit"));
    g_clear_error(&err);
    fixture_clear(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pc/memmap/split", test_memmap_split);
    g_test_add_func("/pc/memmap/device-memory", test_memmap_device_memory);
    g_test_add_func("/pc/memmap/errors", test_memmap_errors);
    g_test_add_func("/pc/e820/equals-srat", test_e820_equals_srat);
    g_test_add_func("/pc/e820/layout", test_e820_layout);
    g_test_add_func("/pc/acpi/setup-no-numa", test_acpi_setup_no_numa);
    g_test_add_func("/pc/acpi/setup-numa", test_acpi_setup_numa);
    g_test_add_func("/pc/acpi/address-space-install", test_address_space_and_install);
    g_test_add_func("/pc/acpi/overflow-high", test_acpi_overflow_high);
    return g_test_run();
}
