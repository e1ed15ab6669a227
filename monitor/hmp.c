/* human-monitor-command: the few HMP commands numbat has (info numa/memdev/hotpluggable-cpus/pci, run control, nmi). */
#include <string.h>

#include "backends/hostmem.h"
#include "hw/pci/pci-qmp.h"
#include "numa/numa-machine.h"
#include "qapi-commands.h"
#include "sysemu/sysemu.h"

typedef char *HmpInfoFn(SysEmu *se);

static char *hmp_info_numa(SysEmu *se)
{
    return numa_info_text(se->machine);
}

static void hmp_append_prop(GString *out, const char *name, bool has, int64_t value)
{
    if (has) {
        g_string_append_printf(out, "    %s: \"%" G_GINT64_FORMAT "\"\n", name, value);
    }
}

static char *hmp_info_hotpluggable_cpus(SysEmu *se)
{
    GError *err = NULL;
    g_autoptr(HotpluggableCPUList) list = qmp_query_hotpluggable_cpus(se, &err);
    GString *out;

    if (err) {
        char *text = g_strdup_printf("Error: %s\n", err->message);
        g_error_free(err);
        return text;
    }
    out = g_string_new("Hotpluggable CPUs:\n");
    for (HotpluggableCPUList *l = list; l; l = l->next) {
        const HotpluggableCPU *c = l->value;
        const CpuInstanceProperties *p = c->props;

        g_string_append_printf(out, "  type: \"%s\"\n", c->type);
        g_string_append_printf(out, "  vcpus_count: \"%" G_GINT64_FORMAT "\"\n",
                               c->vcpus_count);
        if (c->has_qom_path) {
            g_string_append_printf(out, "  qom_path: \"%s\"\n", c->qom_path);
        }
        g_string_append(out, "  CPUInstance Properties:\n");
        hmp_append_prop(out, "node-id", p->has_node_id, p->node_id);
        hmp_append_prop(out, "socket-id", p->has_socket_id, p->socket_id);
        hmp_append_prop(out, "die-id", p->has_die_id, p->die_id);
        hmp_append_prop(out, "core-id", p->has_core_id, p->core_id);
        hmp_append_prop(out, "thread-id", p->has_thread_id, p->thread_id);
    }
    return g_string_free(out, FALSE);
}

static const struct {
    const char *name;
    HmpInfoFn *fn;
    const char *help;
} hmp_info_cmds[] = {
    { "hotpluggable-cpus", hmp_info_hotpluggable_cpus, "Show information about hotpluggable CPUs" },
    { "memdev", hmp_info_memdev, "show memory backends" },
    { "numa", hmp_info_numa, "show NUMA information" },
    { "pci", hmp_info_pci, "show PCI info" },
};

/* HMP commands that are a QMP command without arguments: silent on success, else QEMU's
   "Error: ..." line. */
typedef void HmpQmpFn(SysEmu *se, GError **errp);

static const struct {
    const char *name;
    HmpQmpFn *fn;
} hmp_qmp_cmds[] = {
    { "c", qmp_cont },
    { "cont", qmp_cont },
    { "nmi", qmp_inject_nmi },
    { "stop", qmp_stop },
    { "system_powerdown", qmp_system_powerdown },
};

/* The output of a hmp_qmp_cmds entry, or NULL when name is not one. */
static char *hmp_run_qmp(SysEmu *se, const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hmp_qmp_cmds); i++) {
        if (!strcmp(name, hmp_qmp_cmds[i].name)) {
            GError *err = NULL;
            hmp_qmp_cmds[i].fn(se, &err);
            if (err) {
                char *text = g_strdup_printf("Error: %s\n", err->message);
                g_error_free(err);
                return text;
            }
            return g_strdup("");
        }
    }
    return NULL;
}

/* "info" alone lists the info commands, QEMU's layout. */
static char *hmp_info_help(void)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(hmp_info_cmds); i++) {
        g_string_append_printf(out, "info %s  -- %s\n", hmp_info_cmds[i].name,
                               hmp_info_cmds[i].help);
    }
    return g_string_free(out, FALSE);
}

static char *hmp_run(SysEmu *se, const char *line)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
    GPtrArray *argv = g_ptr_array_new();
    char *text;

    for (size_t i = 0; words[i]; i++) {
        if (*words[i]) {
            g_ptr_array_add(argv, words[i]);
        }
    }
    if (argv->len == 0) {
        text = g_strdup("");
    } else if (strcmp(argv->pdata[0], "info") != 0) {
        text = hmp_run_qmp(se, argv->pdata[0]);
        if (!text) {
            text = g_strdup_printf("unknown command: '%s'\n", (char *)argv->pdata[0]);
        }
    } else if (argv->len == 1) {
        text = hmp_info_help();
    } else {
        text = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS(hmp_info_cmds) && !text; i++) {
            if (!strcmp(argv->pdata[1], hmp_info_cmds[i].name)) {
                text = hmp_info_cmds[i].fn(se);
            }
        }
        if (!text) {
            text = g_strdup_printf("unknown command: 'info %s'\n", (char *)argv->pdata[1]);
        }
    }
    g_ptr_array_free(argv, TRUE);
    return text;
}

char *qmp_human_monitor_command(SysEmu *se, const char *command_line, bool has_cpu_index,
                                int64_t cpu_index, GError **errp)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    if (has_cpu_index && (cpu_index < 0 || !se->machine ||
                          cpu_index >= (int64_t)se->machine->smp.cpus)) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    text = hmp_run(se, command_line);
    /* HMP's output device turns every "\n" into "\r\n", as QEMU's monitor does. */
    lines = g_strsplit(text, "\n", -1);
    return g_strjoinv("\r\n", lines);
}
