/* Unit tests of -smp completion and checks, -m parsing, and the pc's APIC IDs and default nodes. */
#include <glib.h>

#include "hw/core/boards.h"
#include "hw/i386/pc-cpus.h"
#include "numa/numa.h"
#include "util/opts.h"

static const OptDesc smp_desc[] = {
    { "cpus", OPT_NUMBER }, { "maxcpus", OPT_NUMBER }, { "sockets", OPT_NUMBER },
    { "dies", OPT_NUMBER }, { "clusters", OPT_NUMBER }, { "cores", OPT_NUMBER },
    { "threads", OPT_NUMBER }, { NULL },
};
static const OptsList smp_list = { .name = "smp-opts", .implied_opt_name = "cpus",
                                   .merge_lists = true, .desc = smp_desc };
static const OptDesc mem_desc[] = {
    { "size", OPT_STRING }, { "slots", OPT_NUMBER }, { "maxmem", OPT_SIZE }, { NULL },
};
static const OptsList mem_list = { .name = "memory", .implied_opt_name = "size",
                                   .merge_lists = true, .desc = mem_desc };

static const MachineClass test_pc = {
    .name = "pc", .max_cpus = 255, .default_ram_size = 128 << 20,
    .smp_dies_supported = true,
};
static const MachineClass test_e2k = { .name = "e2k", .max_cpus = 64,
                                       .default_ram_size = 128 << 20 };

/* Parse text as -smp (or -m) for a fresh machine; returns it, or NULL with *msg set. */
static MachineState *apply(const MachineClass *mc, const OptsList *list, const char *text,
                           char **msg)
{
    g_autoptr(OptsStore) store = opts_store_new();
    MachineState *ms = machine_new(mc);
    GError *err = NULL;
    Opts *opts = opts_parse(store, list, text, "-opt", NULL, &err);
    bool ok;

    g_assert_no_error(err);
    ok = list == &smp_list ? machine_parse_smp(ms, opts, &err)
                           : machine_parse_memory(ms, opts, &err);
    if (!ok) {
        *msg = g_strdup(err->message);
        g_error_free(err);
        machine_free(ms);
        return NULL;
    }
    return ms;
}

static void check_smp(const char *text, unsigned cpus, unsigned sockets, unsigned cores,
                      unsigned threads, unsigned maxcpus)
{
    char *msg = NULL;
    g_autoptr(MachineState) ms = apply(&test_pc, &smp_list, text, &msg);

    g_assert_null(msg);
    g_assert_cmpuint(ms->smp.cpus, ==, cpus);
    g_assert_cmpuint(ms->smp.sockets, ==, sockets);
    g_assert_cmpuint(ms->smp.cores, ==, cores);
    g_assert_cmpuint(ms->smp.threads, ==, threads);
    g_assert_cmpuint(ms->smp.max_cpus, ==, maxcpus);
}

static void check_err(const MachineClass *mc, const OptsList *list, const char *text,
                      const char *want)
{
    g_autofree char *msg = NULL;
    MachineState *ms = apply(mc, list, text, &msg);

    g_assert_null(ms);
    g_assert_cmpstr(msg, ==, want);
}

static void test_smp_complete(void)
{
    check_smp("8", 8, 1, 8, 1, 8);                /* cores preferred over sockets */
    check_smp("8,sockets=2", 8, 2, 4, 1, 8);
    check_smp("8,cores=2", 8, 4, 2, 1, 8);
    check_smp("8,sockets=2,cores=2", 8, 2, 2, 2, 8);  /* threads computed last */
    check_smp("sockets=2", 2, 2, 1, 1, 2);
    check_smp("maxcpus=4", 4, 1, 4, 1, 4);
    check_smp("2,maxcpus=6,sockets=2", 2, 2, 3, 1, 6);
    check_smp("0", 1, 1, 1, 1, 1);                /* explicit 0 = omitted (with a warning) */
}

static void test_smp_errors(void)
{
    check_err(&test_pc, &smp_list, "4,sockets=3",
              "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (3) "
              "* dies (1) * cores (1) * threads (1) != maxcpus (4)");
    check_err(&test_pc, &smp_list, "4,maxcpus=2",
              "Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) "
              "* dies (1) * cores (2) * threads (1) == maxcpus (2) < smp_cpus (4)");
    check_err(&test_pc, &smp_list, "300",
              "Invalid SMP CPUs 300. The max CPUs supported by machine 'pc' is 255");
    check_err(&test_pc, &smp_list, "2,clusters=2",
              "clusters not supported by this machine's CPU topology");
    check_err(&test_e2k, &smp_list, "2,dies=2",
              "dies not supported by this machine's CPU topology");
    /* e2k has no dies: they are not named in the hierarchy */
    check_err(&test_e2k, &smp_list, "4,sockets=3",
              "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (3) "
              "* cores (1) * threads (1) != maxcpus (4)");
    /* products that overflow 64 bits must not wrap into a match */
    check_err(&test_pc, &smp_list, "1,sockets=4294967296,cores=4294967296",
              "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets "
              "(4294967296) * dies (1) * cores (4294967296) * threads (0) != maxcpus (1)");
}

static void test_memory(void)
{
    char *msg = NULL;
    g_autoptr(MachineState) a = apply(&test_pc, &mem_list, "256", &msg);
    g_autoptr(MachineState) b = apply(&test_pc, &mem_list, "0", &msg);
    g_autoptr(MachineState) c = apply(&test_pc, &mem_list, "size=1001k,slots=2,maxmem=1G", &msg);

    g_assert_null(msg);
    g_assert_cmpuint(a->ram_size, ==, 256 << 20);      /* suffix-less: MiB */
    g_assert_cmpuint(a->maxram_size, ==, 256 << 20);
    g_assert_cmpuint(b->ram_size, ==, 128 << 20);      /* 0: the default */
    g_assert_cmpuint(c->ram_size, ==, 126 * 8192);      /* 1025024 rounded up to 8 KiB */
    g_assert_cmpuint(c->ram_slots, ==, 2);
    g_assert_cmpuint(c->maxram_size, ==, 1 << 30);
    check_err(&test_pc, &mem_list, "128M,slots=2", "slots specified but no max-size");
    check_err(&test_pc, &mem_list, "1T,maxmem=512M",
              "invalid value of maxmem: maximum memory size (0x20000000) must be at least the "
              "initial memory size (0x10000000000)");
    check_err(&test_pc, &mem_list, "128M,slots=1,maxmem=128M",
              "invalid value of maxmem: memory slots were specified but maximum memory size "
              "(0x8000000) is equal to the initial memory size (0x8000000)");
    check_err(&test_pc, &mem_list, "17592186044416", "too large 'size' option value");
    check_err(&test_pc, &mem_list, "foo",
              "-opt: Parameter 'size' expects a non-negative number below 2^64\n"
              OPT_SIZE_HINT);
}

static void test_apic_ids(void)
{
    /* QEMU's bios-tables cphp case: -smp 2,cores=3,sockets=2,maxcpus=6 */
    SmpTopology smp = { .cpus = 2, .sockets = 2, .dies = 1, .cores = 3, .threads = 1,
                        .max_cpus = 6 };
    const uint32_t want[] = { 0, 1, 2, 4, 5, 6 };
    SmpTopology ht = { .cpus = 8, .sockets = 2, .dies = 2, .cores = 1, .threads = 2,
                       .max_cpus = 8 };

    for (unsigned i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_cmpuint(x86_apic_id_from_index(&smp, i), ==, want[i]);
    }
    /* threads 1 bit, cores 0 bits, dies 1 bit: socket 1 starts at APIC ID 4 */
    g_assert_cmpuint(x86_apic_id_from_index(&ht, 3), ==, 3);
    g_assert_cmpuint(x86_apic_id_from_index(&ht, 4), ==, 4);
    g_assert_cmpuint(x86_apic_id_from_index(&ht, 7), ==, 7);
}

static void test_possible_cpus(void)
{
    MachineClass mc = test_pc;
    g_autoptr(MachineState) ms = NULL;
    const CPUArchIdList *slots;

    mc.possible_cpu_arch_ids = pc_possible_cpu_arch_ids;
    ms = machine_new(&mc);
    ms->smp = (SmpTopology) { .cpus = 4, .sockets = 2, .dies = 2, .cores = 1, .threads = 2,
                              .max_cpus = 8 };
    slots = pc_possible_cpu_arch_ids(ms);
    g_assert_cmpint(slots->len, ==, 8);
    g_assert_true(slots->cpus[5].props.has_die_id);          /* dies > 1: die-id exists */
    g_assert_cmpint(slots->cpus[5].props.socket_id, ==, 1);
    g_assert_cmpint(slots->cpus[5].props.die_id, ==, 0);
    g_assert_cmpint(slots->cpus[5].props.thread_id, ==, 1);
    g_assert_cmpuint(slots->cpus[5].arch_id, ==, 5);
    g_assert_true(pc_cpu_index_to_props(ms, 7) == &ms->possible_cpus->cpus[7].props);
    g_assert_null(pc_cpu_index_to_props(ms, 8));
    g_assert_true(pc_possible_cpu_arch_ids(ms) == slots);    /* built once */

    ms->numa = numa_state_new();
    ms->numa->num_nodes = 3;
    /* socket % nodes: every CPU of socket 1 goes to node 1 */
    g_assert_cmpint(pc_get_default_cpu_node_id(ms, 3), ==, 0);
    g_assert_cmpint(pc_get_default_cpu_node_id(ms, 4), ==, 1);
    g_assert_cmpint(pc_get_default_cpu_node_id(ms, 7), ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/machine/smp/complete", test_smp_complete);
    g_test_add_func("/machine/smp/errors", test_smp_errors);
    g_test_add_func("/machine/memory", test_memory);
    g_test_add_func("/machine/pc/apic-ids", test_apic_ids);
    g_test_add_func("/machine/pc/possible-cpus", test_possible_cpus);
    return g_test_run();
}
