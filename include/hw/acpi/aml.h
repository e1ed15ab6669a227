/* A small AML encoder: the terms numbat's DSDT needs (scopes, devices, names, packages, resources). */
#ifndef NUMBAT_HW_ACPI_AML_H
#define NUMBAT_HW_ACPI_AML_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Terms are GByteArrays.  Container terms (scope, device, package, method, buffer) are
 * built as a head plus children and closed with aml_close(), which prefixes the
 * PkgLength once the size is known.  Every function returns a new array; aml_append()
 * moves a child into its parent and frees the child.
 */
typedef GByteArray Aml;

typedef struct AmlContainer {
    Aml *body;          /* children appended here */
    uint8_t op[2];      /* opcode bytes written before the PkgLength */
    unsigned op_len;
    Aml *after_len;     /* bytes between PkgLength and body (e.g. a NameString) */
} AmlContainer;

void aml_append(Aml *parent, Aml *child);       /* appends and frees child */

Aml *aml_name_string(const char *path);         /* "\\_SB.COM1", "_HID", "^FOO" */
Aml *aml_int(uint64_t v);                       /* Zero/One/Ones or the smallest prefix */
Aml *aml_string(const char *s);
Aml *aml_eisaid(const char *id);                /* "PNP0501" -> compressed DWord */
Aml *aml_name_decl(const char *name, Aml *value); /* Name(NAME, value); frees value */

/* Containers: create, append children to ->body, then aml_close() to get the term. */
AmlContainer *aml_scope(const char *path);
AmlContainer *aml_device(const char *name);
AmlContainer *aml_package(uint8_t num_elements);
AmlContainer *aml_method(const char *name, uint8_t nargs, bool serialized);
Aml *aml_close(AmlContainer *c);                /* frees c */
Aml *aml_return(Aml *value);                    /* Return(value); frees value */

/* Resource templates: a Buffer holding small/large resource descriptors + EndTag. */
Aml *aml_resource_template(Aml *descriptors);   /* frees descriptors */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);
Aml *aml_irq_no_flags(uint8_t irq);
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool rw);

/*
 * Address space descriptors a bridge's _CRS uses for the ranges it forwards
 * (WordBusNumber, WordIO, DWordMemory, QWordMemory in ASL): ResourceProducer, PosDecode,
 * MinFixed, MaxFixed, granularity and translation 0, length max - min + 1; WordIO decodes
 * the entire range.  min <= max and the length must fit the descriptor's width (a
 * programming error otherwise: WordIO 0-0xFFFF would need a 0x10000 length).
 */
typedef enum AmlCacheable {
    AML_NON_CACHEABLE = 0,
    AML_CACHEABLE = 1,
    AML_WRITE_COMBINING = 2,
    AML_PREFETCHABLE = 3,
} AmlCacheable;

Aml *aml_word_bus_number(uint16_t min, uint16_t max);
Aml *aml_word_io(uint16_t min, uint16_t max);
Aml *aml_dword_memory(AmlCacheable cache, bool rw, uint32_t min, uint32_t max);
Aml *aml_qword_memory(AmlCacheable cache, bool rw, uint64_t min, uint64_t max);

#endif
