/* The machine's NUMA flow: state and -numa options before --preconfig, completion at board init. */
#include "numa/numa-machine.h"

#include <string.h>

#include "backends/hostmem.h"
#include "hw/core/boards.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"

bool numa_machine_setup(SysEmu *se, MachineState *ms, GError **errp)
{
    size_t n = 0;
    Opts *const *all = opts_store_get_all(se->opts, "numa", &n);
    bool hmat = false;

    /* Both boards are NUMA machines; a board without NUMA would leave ms->numa NULL. */
    ms->numa = numa_state_new();
    if (ms->opts && !opt_get_bool(ms->opts, "hmat", false, &hmat, errp)) {
        error_prepend(errp, "%s: ", opts_origin(ms->opts));
        return false;
    }
    ms->numa->hmat_enabled = hmat;
    numa_set_memdev_resolver(ms->numa, hostmem_numa_resolve, hostmem_numa_release,
                             se->qom_root);
    /* In command-line order; the first failure is reported at its option. */
    for (size_t i = 0; i < n; i++) {
        if (!numa_parse_opts(ms, all[i], errp)) {
            error_prepend(errp, "%s: ", opts_origin(all[i]));
            return false;
        }
    }
    return true;
}

/*
 * QEMU's implicit node: with memory hotplug (slots or maxmem above the initial size) and
 * no -numa, one node holds all RAM, so the guest gets an SRAT (Windows needs one to hot-add
 * memory).  Auto-assignment then gives node 0 the whole of ram_size.
 */
static bool numa_machine_implicit_node(MachineState *ms, GError **errp)
{
    NumaNodeOptions node = { 0 };

    if (ms->numa->num_nodes > 0 || !ms->mc->auto_enable_numa_with_memhp ||
        !(ms->ram_slots > 0 || ms->maxram_size > ms->ram_size)) {
        return true;
    }
    return numa_parse_node(ms, &node, errp);
}

bool numa_machine_complete(MachineState *ms, GError **errp)
{
    if (!ms->numa) {
        return true;
    }
    return numa_machine_implicit_node(ms, errp) && numa_complete_configuration(ms, errp);
}

/* The text of "-numa help" and "-numa TYPE,help" (QEMU has none: numbat lists the schema). */
char *numa_help_text(const char *type)
{
    static const struct {
        const char *type;
        const char *options;
    } types[] = {
        { "node", "  nodeid=<uint16>\n  cpus=<uint16 list, a-b ranges>\n"
                  "  mem=<size, suffix-less: MiB>\n  memdev=<memory backend id>\n"
                  "  initiator=<uint16>\n" },
        { "dist", "  src=<uint16>\n  dst=<uint16>\n  val=<uint8, 10..255>\n" },
        { "cpu", "  node-id=<int>\n  socket-id=<int>\n  die-id=<int>\n  core-id=<int>\n"
                 "  thread-id=<int>\n" },
        { "hmat-lb", "  initiator=<uint16>\n  target=<uint16>\n"
                     "  hierarchy=<memory|first-level|second-level|third-level>\n"
                     "  data-type=<access-latency|read-latency|write-latency|"
                     "access-bandwidth|read-bandwidth|write-bandwidth>\n"
                     "  latency=<uint64, ns>\n  bandwidth=<size, bytes/s>\n" },
        { "hmat-cache", "  node-id=<uint32>\n  size=<size>\n  level=<uint8, 1..3>\n"
                        "  associativity=<none|direct|complex>\n"
                        "  policy=<none|write-back|write-through>\n  line=<uint16>\n" },
    };
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        if (type && g_strcmp0(type, "help") && strcmp(type, types[i].type)) {
            continue;
        }
        g_string_append_printf(out, "-numa %s options:\n%s", types[i].type, types[i].options);
    }
    if (!out->len) {
        g_string_append(out, "-numa types: node, dist, cpu, hmat-lb, hmat-cache\n");
    }
    return g_string_free(out, FALSE);
}
