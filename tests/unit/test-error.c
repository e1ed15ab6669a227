/* Unit tests for util/error.c: first failure wins, classes, prefixes. */
#include "qapi/error.h"

static void test_first_failure_wins(void)
{
    GError *err = NULL;
    error_setg(&err, "first %d", 1);
    error_setg(&err, "second");
    g_assert_cmpstr(err->message, ==, "first 1");
    g_assert_cmpint(error_get_class(err), ==, NB_ERROR_CLASS_GENERIC_ERROR);
    GError *other = g_error_new_literal(NB_ERROR, NB_ERROR_CLASS_COMMAND_NOT_FOUND, "x");
    error_propagate(&err, other); /* dropped: err already set */
    g_assert_cmpstr(err->message, ==, "first 1");
    g_error_free(err);
}

static void test_class_and_prepend(void)
{
    GError *err = NULL;
    error_set(&err, NB_ERROR_CLASS_COMMAND_NOT_FOUND, "The command %s has not been found", "x");
    g_assert_cmpstr(error_class_name(error_get_class(err)), ==, "CommandNotFound");
    error_prepend(&err, "while %s: ", "testing");
    g_assert_cmpstr(err->message, ==, "while testing: The command x has not been found");
    g_error_free(err);
    error_setg(NULL, "ignored"); /* NULL errp is allowed */
}

static void test_errno(void)
{
    GError *err = NULL;
    error_setg_errno(&err, 12, "cannot set up guest memory '%s'", "pc.ram");
    g_assert_cmpstr(err->message, ==, "cannot set up guest memory 'pc.ram': Cannot allocate memory");
    g_error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/first-failure-wins", test_first_failure_wins);
    g_test_add_func("/error/class-and-prepend", test_class_and_prepend);
    g_test_add_func("/error/errno", test_errno);
    return g_test_run();
}
