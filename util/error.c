/* GError helpers: numbat's error domain, QMP error classes and the one place that prints errors. */
#include "qapi/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK(numbat-error-quark, nb_error)

static const char *const error_class_names[NB_ERROR_CLASS__MAX] = {
    [NB_ERROR_CLASS_GENERIC_ERROR] = "GenericError",
    [NB_ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
    [NB_ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
};

/* The program name is process identity, set once by main(), not machine state. */
static char *progname;

const char *error_class_name(NbErrorClass cls)
{
    if (cls < 0 || cls >= NB_ERROR_CLASS__MAX) {
        cls = NB_ERROR_CLASS_GENERIC_ERROR;
    }
    return error_class_names[cls];
}

static void error_setv(GError **errp, NbErrorClass cls, const char *suffix,
                       const char *fmt, va_list ap)
{
    if (!errp || *errp) {
        return;
    }
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    if (suffix) {
        *errp = g_error_new(NB_ERROR, cls, "%s: %s", msg, suffix);
    } else {
        *errp = g_error_new_literal(NB_ERROR, cls, msg);
    }
}

void error_setg(GError **errp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, NB_ERROR_CLASS_GENERIC_ERROR, NULL, fmt, ap);
    va_end(ap);
}

void error_setg_errno(GError **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, NB_ERROR_CLASS_GENERIC_ERROR, g_strerror(os_errno), fmt, ap);
    va_end(ap);
}

void error_set(GError **errp, NbErrorClass cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, cls, NULL, fmt, ap);
    va_end(ap);
}

void error_propagate(GError **dst, GError *src)
{
    if (!src) {
        return;
    }
    if (dst && !*dst) {
        *dst = src;
    } else {
        g_error_free(src);
    }
}

void error_prepend(GError **errp, const char *fmt, ...)
{
    if (!errp || !*errp) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *msg = g_strconcat(prefix, (*errp)->message, NULL);
    g_free((*errp)->message);
    (*errp)->message = msg;
}

NbErrorClass error_get_class(const GError *err)
{
    if (err && err->domain == NB_ERROR && err->code >= 0 &&
        err->code < NB_ERROR_CLASS__MAX) {
        return err->code;
    }
    return NB_ERROR_CLASS_GENERIC_ERROR;
}

void error_set_progname(const char *argv0)
{
    g_free(progname);
    progname = g_path_get_basename(argv0);
}

const char *error_get_progname(void)
{
    return progname ? progname : "numbat";
}

static void report(const char *kind, const char *loc, const char *msg)
{
    fprintf(stderr, "%s: %s%s%s%s\n", error_get_progname(), loc ? loc : "",
            loc ? ": " : "", kind, msg);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    report("", NULL, msg);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    report("warning: ", NULL, msg);
}

void error_report_err_loc(const char *loc, GError *err)
{
    report("", loc, err->message);
    g_error_free(err);
}

void error_report_err(GError *err)
{
    error_report_err_loc(NULL, err);
}
