/* Unit tests for the pc board's init: address space, ACPI tables in guest memory, e820, dumpacpi. */
#include <string.h>
#include <glib/gstdio.h>
#include "hw/i386/pc.h"
#include "hw/acpi/table.h"
#include "numa/numa.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static const OptsList machine_list = { .name = "machine", .implied_opt_name = "type",
                                       .merge_lists = true };
static const OptDesc memory_desc[] = {
    { "size", OPT_STRING, NULL }, { "slots", OPT_NUMBER, NULL }, { "maxmem", OPT_SIZE, NULL },
    { NULL },
};
static const OptsList memory_list = { .name = "memory", .implied_opt_name = "size",
                                      .merge_lists = true, .desc = memory_desc };

typedef struct Board {
    SysEmu *se;
    MachineState *ms;
    MemoryRegion ram;
} Board;

/* The state sysemu_board_init hands the board: RAM, possible CPUs, options. */
static void board_new(Board *b, uint64_t ram, const char *machine, const char *mem,
                      unsigned ncpus)
{
    const MachineClass *mc = machine_class_find(target_machine_classes(), "pc", NULL);
    g_assert_nonnull(mc);
    g_assert_nonnull(mc->init);
    b->se = sysemu_new("x86_64");
    b->ms = machine_new(mc);
    b->se->machine = b->ms;
    g_assert_true(memory_region_init_ram(&b->ram, "pc.ram", ram, NULL));
    b->ms->ram = &b->ram;
    b->ms->ram_size = ram;
    b->ms->maxram_size = ram;
    if (machine) {
        b->ms->opts = opts_parse(b->se->opts, &machine_list, machine, "-machine", NULL, NULL);
        g_assert_nonnull(b->ms->opts);
    }
    if (mem) {
        g_assert_true(machine_parse_memory(b->ms, opts_parse(b->se->opts, &memory_list, mem,
                                                             "-m", NULL, NULL), NULL));
    }
    /* possible CPUs come from the board's hook (pc_init calls it): one core each */
    b->ms->smp.cpus = b->ms->smp.max_cpus = b->ms->smp.cores = ncpus;
}

static void board_free(Board *b)
{
    b->se->machine = NULL;
    machine_free(b->ms);        /* board state first: it holds aliases of the RAM */
    memory_region_destroy(&b->ram);
    sysemu_free(b->se);
}

static void test_init_layout(void)
{
    Board b;
    board_new(&b, 4 * GiB, NULL, "4G,slots=2,maxmem=6G", 2);
    GError *err = NULL;
    g_assert_true(b.ms->mc->init(b.se, b.ms, &err));
    g_assert_no_error(err);
    g_assert_false(b.ms->exit_after_init);
    PcMachineState *pcms = pc_machine(b.ms);
    g_assert_nonnull(pcms);
    g_assert_cmphex(pcms->map.below_4g, ==, 3 * GiB);
    g_assert_cmphex(pcms->map.device_mem_base, ==, 5 * GiB);
    g_assert_cmphex(pcms->map.device_mem_size, ==, 4 * GiB);
    g_assert_cmpstr(pcms->system.name, ==, "system");
    /* guest memory: RAM at 0 and 4G, the tables at the RSDP's address */
    g_assert_true(flatview_lookup(pcms->system_view, 4 * GiB)->mr == &b.ram);
    uint8_t rsdp[36];
    g_assert_true(flatview_read(pcms->system_view, pcms->rsdp_addr, rsdp, sizeof(rsdp)));
    g_assert_cmpmem(rsdp, 8, "RSD PTR ", 8);
    g_assert_cmpuint(acpi_checksum(rsdp, 36), ==, 0);
    g_assert_cmpuint(b.ms->possible_cpus->len, ==, 2);
    g_assert_cmpuint(pcms->e820->len, ==, 4);
    g_assert_cmpuint(g_array_index(pcms->e820, E820Entry, 1).type, ==, E820_RESERVED);
    board_free(&b);
}

static void test_init_dumpacpi(void)
{
    g_autofree char *dir = g_dir_make_tmp("numbat-pc-init-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "tables", NULL);
    g_autofree char *machine = g_strdup_printf("pc,dumpacpi=%s", out);
    Board b;
    board_new(&b, 256 * MiB, machine, NULL, 3);
    NumaState *ns = numa_state_new();
    ns->num_nodes = 2;
    ns->nodes[0].node_mem = ns->nodes[1].node_mem = 128 * MiB;
    b.ms->numa = ns;
    g_assert_true(b.ms->mc->init(b.se, b.ms, NULL));
    g_assert_true(b.ms->exit_after_init);
    static const char *const sigs[] = { "RSDP", "XSDT", "FACP", "FACS", "DSDT", "APIC", "SRAT" };
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        g_autofree char *name = g_strdup_printf("%s.dat", sigs[i]);
        g_autofree char *path = g_build_filename(out, name, NULL);
        g_autofree char *data = NULL;
        gsize len;
        g_assert_true(g_file_get_contents(path, &data, &len, NULL));
        if (strcmp(sigs[i], "RSDP") && strcmp(sigs[i], "FACS")) {
            g_assert_cmpmem(data, 4, sigs[i], 4);
            g_assert_cmpuint(acpi_checksum((uint8_t *)data, len), ==, 0);
        }
        g_unlink(path);
    }
    g_autofree char *slit = g_build_filename(out, "SLIT.dat", NULL);
    g_assert_false(g_file_test(slit, G_FILE_TEST_EXISTS));   /* no -numa dist */
    g_rmdir(out);
    g_rmdir(dir);
    b.ms->numa = NULL;
    numa_state_free(ns);
    board_free(&b);
}

static void test_init_errors(void)
{
    Board b;
    GError *err = NULL;
    /* empty directory name */
    board_new(&b, 128 * MiB, "pc,dumpacpi=", NULL, 1);
    g_assert_false(b.ms->mc->init(b.se, b.ms, &err));
    g_assert_cmpstr(err->message, ==, "dumpacpi needs a directory: -machine dumpacpi=DIR");
    g_clear_error(&err);
    board_free(&b);
    /* unwritable directory */
    board_new(&b, 128 * MiB, "pc,dumpacpi=/proc/numbat-no-such/dir", NULL, 1);
    g_assert_false(b.ms->mc->init(b.se, b.ms, &err));
    g_assert_nonnull(err);
    g_assert_false(b.ms->exit_after_init);
    g_clear_error(&err);
    board_free(&b);
    /* too many slots */
    board_new(&b, 128 * MiB, NULL, "128M,slots=300,maxmem=1G", 1);
    g_assert_false(b.ms->mc->init(b.se, b.ms, &err));
    g_assert_cmpstr(err->message, ==, "unsupported amount of memory slots: 300");
    g_clear_error(&err);
    board_free(&b);
    /* no RAM region */
    board_new(&b, 128 * MiB, NULL, NULL, 1);
    b.ms->ram = NULL;
    g_assert_false(b.ms->mc->init(b.se, b.ms, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    board_free(&b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pc/init/layout", test_init_layout);
    g_test_add_func("/pc/init/dumpacpi", test_init_dumpacpi);
    g_test_add_func("/pc/init/errors", test_init_errors);
    return g_test_run();
}
