/* HMAT (ACPI 6.3, revision 2): memory attributes, latency/bandwidth matrices and memory-side caches. */
#include "hw/acpi/hmat.h"
#include "hw/acpi/table.h"

#define HMAT_MPDA_INITIATOR_VALID 1
#define MiB (1ull << 20)

/* Memory Proximity Domain Attributes: one per node that has memory. */
static void append_mpda(GByteArray *b, const NumaState *ns, int node)
{
    uint16_t initiator = ns->nodes[node].initiator;
    bool valid = initiator < MAX_NODES;
    acpi_append_u16(b, 0);
    acpi_append_u16(b, 0);
    acpi_append_u32(b, 40);
    acpi_append_u16(b, valid ? HMAT_MPDA_INITIATOR_VALID : 0);
    acpi_append_u16(b, 0);
    acpi_append_u32(b, valid ? initiator : 0);   /* unlike QEMU, no 128 when invalid */
    acpi_append_u32(b, node);
    acpi_append_u32(b, 0);
    acpi_append_u64(b, 0);
    acpi_append_u64(b, 0);
}

/* Initiators are the nodes that have CPUs, in ascending order. */
static unsigned list_initiators(const NumaState *ns, uint32_t *out)
{
    unsigned n = 0;
    for (int i = 0; i < ns->num_nodes; i++) {
        if (ns->nodes[i].has_cpu) {
            out[n++] = i;
        }
    }
    return n;
}

static void append_lb(GByteArray *b, const NumaState *ns, const HmatLbInfo *lb)
{
    uint32_t initiators[MAX_NODES];
    unsigned ni = list_initiators(ns, initiators);
    unsigned nt = ns->num_nodes;
    bool latency = lb->data_type <= HMAT_LB_DATA_WRITE_LATENCY;
    uint64_t base = lb->base ? lb->base : 1;

    acpi_append_u16(b, 1);
    acpi_append_u16(b, 0);
    acpi_append_u32(b, 32 + 4 * ni + 4 * nt + 2 * ni * nt);
    acpi_append_u8(b, lb->hierarchy);
    acpi_append_u8(b, lb->data_type);
    acpi_append_u16(b, 0);
    acpi_append_u32(b, ni);
    acpi_append_u32(b, nt);
    acpi_append_u32(b, 0);
    /* entry base unit: picoseconds for latencies (base is in ns), MB/s for bandwidths */
    acpi_append_u64(b, latency ? base * 1000 : base / MiB);
    for (unsigned i = 0; i < ni; i++) {
        acpi_append_u32(b, initiators[i]);
    }
    for (unsigned t = 0; t < nt; t++) {
        acpi_append_u32(b, t);
    }
    g_autofree uint16_t *entries = g_new0(uint16_t, ni * nt);
    for (guint k = 0; k < lb->list->len; k++) {
        const HmatLbData *d = &g_array_index(lb->list, HmatLbData, k);
        for (unsigned i = 0; i < ni; i++) {
            if (initiators[i] == d->initiator) {
                entries[i * nt + d->target] = (uint16_t)(d->data / base);
            }
        }
    }
    for (unsigned k = 0; k < ni * nt; k++) {
        acpi_append_u16(b, entries[k]);
    }
}

static void append_cache(GByteArray *b, int node, const HmatCacheInfo *c, unsigned total)
{
    acpi_append_u16(b, 2);
    acpi_append_u16(b, 0);
    acpi_append_u32(b, 32);
    acpi_append_u32(b, node);
    acpi_append_u32(b, 0);
    acpi_append_u64(b, c->size);
    acpi_append_u32(b, total | c->level << 4 | c->associativity << 8 | c->policy << 12 |
                       (uint32_t)c->line << 16);
    acpi_append_u16(b, 0);
    acpi_append_u16(b, 0);                     /* no SMBIOS handles */
}

static void append_caches(GByteArray *b, const NumaState *ns, int node)
{
    unsigned total = 0;
    for (unsigned l = 1; l < HMAT_LB_LEVELS; l++) {
        if (ns->hmat_cache[node][l]) {
            total = l;
        }
    }
    for (unsigned l = 1; l <= total; l++) {
        if (ns->hmat_cache[node][l]) {
            append_cache(b, node, ns->hmat_cache[node][l], total);
        }
    }
}

void acpi_build_hmat(GByteArray *blob, const NumaState *ns)
{
    AcpiTable t;
    acpi_table_begin(&t, blob, "HMAT", 2);
    acpi_append_u32(blob, 0);
    for (int i = 0; i < ns->num_nodes; i++) {
        if (ns->nodes[i].node_mem) {
            append_mpda(blob, ns, i);
        }
    }
    for (int h = 0; h < HMAT_LB_LEVELS; h++) {
        for (int d = 0; d < HMAT_LB_TYPES; d++) {
            const HmatLbInfo *lb = ns->hmat_lb[h][d];
            if (lb && lb->list->len) {
                append_lb(blob, ns, lb);
            }
        }
    }
    for (int i = 0; i < ns->num_nodes; i++) {
        append_caches(blob, ns, i);
    }
    acpi_table_end(&t);
}
