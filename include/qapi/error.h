/* Error reporting conventions: GError with numbat's domain, QMP error classes, first failure wins. */
#ifndef NUMBAT_QAPI_ERROR_H
#define NUMBAT_QAPI_ERROR_H

#include <glib.h>
#include <stdbool.h>

/*
 * Every fallible function takes a trailing `GError **errp` and returns
 * false/NULL/-1 on failure.  Errors carry numbat's domain; the code is the
 * QMP error class, so a QMP reply can be built from any GError.
 * Only main() (or error_report_err) prints; library code never exits.
 */
#define NB_ERROR nb_error_quark()
GQuark nb_error_quark(void);

typedef enum NbErrorClass {
    NB_ERROR_CLASS_GENERIC_ERROR,      /* "GenericError" */
    NB_ERROR_CLASS_COMMAND_NOT_FOUND,  /* "CommandNotFound" */
    NB_ERROR_CLASS_DEVICE_NOT_FOUND,   /* "DeviceNotFound" */
    NB_ERROR_CLASS__MAX
} NbErrorClass;

/* QMP name of an error class ("GenericError", ...). */
const char *error_class_name(NbErrorClass cls);

/* Set *errp to a GenericError unless errp is NULL or already set (first failure wins). */
void error_setg(GError **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Same, with strerror(os_errno) appended as ": <text>". */
void error_setg_errno(GError **errp, int os_errno, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Set *errp with an explicit class. */
void error_set(GError **errp, NbErrorClass cls, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Move src into *dst (dst may be NULL: src is freed). If *dst is already set, src is dropped. */
void error_propagate(GError **dst, GError *src);
/* Prefix the message of *errp (if set) with the formatted text. */
void error_prepend(GError **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Class of an error: its code when in NB_ERROR's domain, else GenericError. */
NbErrorClass error_get_class(const GError *err);

/* Program name used as the prefix of every message printed ("numbat-system-x86_64"). */
void error_set_progname(const char *argv0);
const char *error_get_progname(void);
/* Print "progname: [loc: ]message" to stderr. loc may be NULL. */
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void error_report_err_loc(const char *loc, GError *err); /* prints and frees err */
void error_report_err(GError *err);                      /* prints and frees err */

#endif
