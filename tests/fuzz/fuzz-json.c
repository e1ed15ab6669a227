/* libFuzzer harness: the streaming JSON parser (arbitrary chunking) and writer round trips. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "qobject/json.h"

static void emit(void *opaque, QObject *obj, GError *err)
{
    if (obj) {
        /* Whatever parses must write back to text that parses to an equal value. */
        g_autofree char *text = qobject_to_json(obj);
        QObject *again = qobject_from_json(text, NULL);
        if (!again || !qobject_is_equal(obj, again)) {
            __builtin_trap();
        }
        qobject_unref(again);
        qobject_unref(obj);
    }
    if (err) {
        g_error_free(err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    /* The first byte picks the chunk size, so splits at every position get explored. */
    size_t chunk = data[0] % 16 + 1;
    data++;
    size--;
    JSONStreamParser *p = json_stream_parser_new(emit, NULL);
    for (size_t off = 0; off < size; off += chunk) {
        json_stream_parser_feed(p, (const char *)data + off, MIN(chunk, size - off));
    }
    json_stream_parser_flush(p);
    json_stream_parser_free(p);
    return 0;
}
