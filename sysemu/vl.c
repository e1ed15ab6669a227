/* numbat's main: placeholder until the option table lands. */
#include <stdio.h>
#include "qapi/error.h"

int main(int argc, char **argv)
{
    error_set_progname(argv[0]);
    printf("numbat %s\n", NUMBAT_VERSION);
    return 0;
}
