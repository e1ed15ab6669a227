/* libFuzzer harness: -numa option text through the option parser and the opts visitor. */
#include <stddef.h>
#include <stdint.h>
#include "qapi-visit.h"
#include "util/opts.h"

static const OptsList numa_opts = { .name = "numa", .implied_opt_name = "type" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_autoptr(OptsStore) store = opts_store_new();
    GError *err = NULL;
    bool help = false;
    Opts *opts = opts_parse(store, &numa_opts, text, "-numa fuzz", &help, &err);
    if (!opts) {
        g_error_free(err);
        return 0;
    }
    Visitor *v = opts_visitor_new(opts);
    NumaOptions *numa = NULL;
    if (!visit_type_NumaOptions(v, NULL, &numa, &err)) {
        g_clear_error(&err);
    }
    visit_free(v);
    qapi_free_NumaOptions(numa);
    return 0;
}
