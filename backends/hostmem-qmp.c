/* query-memdev and "info memdev": the memory backends under /objects as QEMU 7.2 reports them. */
#include <string.h>
#include "backends/hostmem.h"
#include "qapi-commands.h"
#include "qapi-types.h"
#include "sysemu/sysemu.h"

/*
 * QEMU's order.  QEMU walks /objects with object_child_foreach, i.e. through the GLib hash
 * table holding the container's child properties (g_str_hash keys, inserted in creation
 * order), and prepends each backend to the result.  numbat keeps children in an array in
 * creation order, so it rebuilds the same hash table (same GLib, same keys, same insertion
 * order) and walks it the same way: the answer is identical to QEMU 7.2's on Debian 12,
 * e.g. backends b, a created in that order report [a, b] and b, a, c, zz report
 * [c, a, b, zz].  (Deleted objects leave no trace here, while QEMU's table may keep the
 * slot layout of earlier insertions; that only matters after object-del.)
 */
static GPtrArray *backends_in_qemu_order(Object *root)
{
    Object *objects = object_get_objects_root(root);
    GPtrArray *order = g_ptr_array_new();
    g_autoptr(GHashTable) table = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer key, value;

    if (!objects) {
        return order;
    }
    for (size_t i = 0; i < object_child_count(objects); i++) {
        Object *child = object_child_at(objects, i);
        g_hash_table_insert(table, (gpointer)object_get_name(child), child);
    }
    g_hash_table_iter_init(&iter, table);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (host_memory_backend_cast(value)) {
            g_ptr_array_insert(order, 0, value);   /* QEMU prepends */
        }
    }
    return order;
}

static Memdev *memdev_info(HostMemoryBackend *backend)
{
    Memdev *m = g_new0(Memdev, 1);
    uint16List **tail = &m->host_nodes;
    size_t n;

    m->has_id = true;
    m->id = g_strdup(host_memory_backend_name(backend));
    m->size = backend->size;
    m->merge = backend->merge;
    m->dump = backend->dump;
    m->prealloc = backend->prealloc;
    m->share = backend->share;
    m->has_reserve = true;     /* QEMU on Linux always has the reserve property */
    m->reserve = backend->reserve;
    for_each_set_bit(n, backend->host_nodes, HOSTMEM_MAX_HOST_NODES) {
        *tail = g_new0(uint16List, 1);
        (*tail)->value = (uint16_t)n;
        tail = &(*tail)->next;
    }
    m->policy = (HostMemPolicy)backend->policy;
    return m;
}

MemdevList *hostmem_query_memdev(Object *root, GError **errp)
{
    g_autoptr(GPtrArray) backends = backends_in_qemu_order(root);
    MemdevList *head = NULL, **tail = &head;

    for (guint i = 0; i < backends->len; i++) {
        *tail = g_new0(MemdevList, 1);
        (*tail)->value = memdev_info(g_ptr_array_index(backends, i));
        tail = &(*tail)->next;
    }
    return head;
}

/* Each backend as QEMU's HMP prints it (note the two spaces after "size:"), then one
 * empty line after all of them. */
char *hostmem_info_memdev(Object *root)
{
    g_autoptr(GPtrArray) backends = backends_in_qemu_order(root);
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < backends->len; i++) {
        HostMemoryBackend *b = g_ptr_array_index(backends, i);
        g_autofree char *nodes = bitmap_to_range_str(b->host_nodes, HOSTMEM_MAX_HOST_NODES);

        g_string_append_printf(out, "memory backend: %s\n", host_memory_backend_name(b));
        g_string_append_printf(out, "  size:  %" G_GUINT64_FORMAT "\n", b->size);
        g_string_append_printf(out, "  merge: %s\n", b->merge ? "true" : "false");
        g_string_append_printf(out, "  dump: %s\n", b->dump ? "true" : "false");
        g_string_append_printf(out, "  prealloc: %s\n", b->prealloc ? "true" : "false");
        g_string_append_printf(out, "  share: %s\n", b->share ? "true" : "false");
        g_string_append_printf(out, "  reserve: %s\n", b->reserve ? "true" : "false");
        g_string_append_printf(out, "  policy: %s\n", HostMemPolicy_str(b->policy));
        g_string_append_printf(out, "  host nodes: %s\n", nodes);
    }
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

MemdevList *qmp_query_memdev(SysEmu *se, GError **errp)
{
    return hostmem_query_memdev(se->qom_root, errp);
}

char *hmp_info_memdev(SysEmu *se)
{
    return hostmem_info_memdev(se->qom_root);
}
