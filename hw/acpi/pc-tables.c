/* Lays the pc machine's ACPI tables out in one blob for a guest address, and dumps them. */
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

#include <errno.h>

static void align_to(GByteArray *b, guint align)
{
    acpi_append_zeros(b, (align - b->len % align) % align);
}

/* Append one table built by fn at an 8-byte boundary and record where it went. */
static uint64_t place(AcpiTables *t, const char *sig, guint start)
{
    AcpiTableEntry e = { .offset = start, .len = t->blob->len - start };
    g_strlcpy(e.sig, sig, sizeof(e.sig));
    g_array_append_val(t->entries, e);
    return t->base + start;
}

static void build_numa_tables(AcpiTables *t, const AcpiPcConfig *cfg, GArray *xsdt)
{
    g_autoptr(GArray) mem = pc_numa_memory_ranges(cfg->node_mem, cfg->nb_nodes, &cfg->ram);
    if (cfg->hotplug_size) {
        SratMem hp = { cfg->hotplug_base, cfg->hotplug_size, cfg->nb_nodes - 1,
                       SRAT_MEM_ENABLED | SRAT_MEM_HOTPLUGGABLE };
        g_array_append_val(mem, hp);
    }
    align_to(t->blob, 8);
    guint start = t->blob->len;
    acpi_build_srat(t->blob, cfg->cpus, cfg->nb_cpus, (SratMem *)mem->data, mem->len);
    uint64_t addr = place(t, "SRAT", start);
    g_array_append_val(xsdt, addr);
    if (cfg->distance) {
        align_to(t->blob, 8);
        start = t->blob->len;
        acpi_build_slit(t->blob, cfg->nb_nodes, cfg->distance);
        addr = place(t, "SLIT", start);
        g_array_append_val(xsdt, addr);
    }
    if (cfg->hmat) {
        align_to(t->blob, 8);
        start = t->blob->len;
        g_byte_array_append(t->blob, cfg->hmat->data, cfg->hmat->len);
        addr = place(t, "HMAT", start);
        g_array_append_val(xsdt, addr);
    }
}

AcpiTables *acpi_build_pc_tables(const AcpiPcConfig *cfg, uint64_t base)
{
    g_assert(base % 64 == 0);
    AcpiTables *t = g_new0(AcpiTables, 1);
    t->base = base;
    t->blob = g_byte_array_new();
    t->entries = g_array_new(FALSE, FALSE, sizeof(AcpiTableEntry));
    g_autoptr(GArray) xsdt = g_array_new(FALSE, FALSE, sizeof(uint64_t));

    acpi_build_facs(t->blob);                      /* first: it must be 64-byte aligned */
    uint64_t facs = place(t, "FACS", 0);
    guint start = t->blob->len;
    acpi_build_pc_dsdt(t->blob, cfg);
    uint64_t dsdt = place(t, "DSDT", start);
    align_to(t->blob, 8);
    start = t->blob->len;
    acpi_build_fadt(t->blob, facs, dsdt);
    uint64_t addr = place(t, "FACP", start);
    g_array_append_val(xsdt, addr);
    align_to(t->blob, 8);
    start = t->blob->len;
    acpi_build_madt(t->blob, cfg->cpus, cfg->nb_cpus);
    addr = place(t, "APIC", start);
    g_array_append_val(xsdt, addr);
    if (cfg->nb_nodes) {
        build_numa_tables(t, cfg, xsdt);
    }
    align_to(t->blob, 8);
    start = t->blob->len;
    acpi_build_xsdt(t->blob, (uint64_t *)xsdt->data, xsdt->len);
    uint64_t xsdt_addr = place(t, "XSDT", start);
    t->rsdp = g_byte_array_new();
    acpi_build_rsdp(t->rsdp, xsdt_addr);
    return t;
}

void acpi_tables_free(AcpiTables *t)
{
    if (t) {
        g_byte_array_unref(t->blob);
        g_byte_array_unref(t->rsdp);
        g_array_unref(t->entries);
        g_free(t);
    }
}

static bool dump_one(const char *dir, const char *sig, const guint8 *data, gsize len,
                     GError **errp)
{
    g_autofree char *name = g_strdup_printf("%s.dat", sig);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    GError *local = NULL;
    if (!g_file_set_contents(path, (const char *)data, len, &local)) {
        error_setg(errp, "cannot write ACPI table %s: %s", path, local->message);
        g_error_free(local);
        return false;
    }
    return true;
}

bool acpi_tables_dump(const AcpiTables *t, const char *dir, GError **errp)
{
    if (g_mkdir_with_parents(dir, 0755) < 0) {
        error_setg_errno(errp, errno, "cannot create directory '%s'", dir);
        return false;
    }
    for (guint i = 0; i < t->entries->len; i++) {
        const AcpiTableEntry *e = &g_array_index(t->entries, AcpiTableEntry, i);
        if (!dump_one(dir, e->sig, t->blob->data + e->offset, e->len, errp)) {
            return false;
        }
    }
    return dump_one(dir, "RSDP", t->rsdp->data, t->rsdp->len, errp);
}
