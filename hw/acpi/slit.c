/* SLIT: the node-to-node distance matrix. */
#include "hw/acpi/numa-tables.h"
#include "hw/acpi/table.h"

void acpi_build_slit(GByteArray *blob, unsigned nb_nodes, const uint8_t *matrix)
{
    AcpiTable t;
    acpi_table_begin(&t, blob, "SLIT", 1);
    acpi_append_u64(blob, nb_nodes);
    g_byte_array_append(blob, matrix, nb_nodes * nb_nodes);
    acpi_table_end(&t);
}
