/* HMAT builder: reads the NUMA state's initiators, hmat-lb lists and hmat-cache entries. */
#ifndef NUMBAT_HW_ACPI_HMAT_H
#define NUMBAT_HW_ACPI_HMAT_H

#include <glib.h>
#include "numa/numa.h"

void acpi_build_hmat(GByteArray *blob, const NumaState *ns);

#endif
