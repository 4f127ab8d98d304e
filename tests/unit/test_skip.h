/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Skipped tests are reported as skipped. cmocka counts a skip() as a pass
 * in its exit status, so ctest would say "Passed" for a binary whose tests
 * could not run (no root, no kernel feature). TEST_SKIP() records the skip;
 * TEST_RESULT() turns "no failure, something skipped" into exit 77, which
 * sealexec_add_unit_test() declares as SKIP_RETURN_CODE. A failure is still
 * a failure.
 */
#ifndef SEALEXEC_TESTS_UNIT_TEST_SKIP_H
#define SEALEXEC_TESTS_UNIT_TEST_SKIP_H

/* One counter for the whole test binary, whichever file includes this. */
__attribute__((weak)) int test_skipped;

#define TEST_SKIP()                                                                                \
        do {                                                                                       \
                test_skipped++;                                                                    \
                skip();                                                                            \
        } while (0)

#define TEST_RESULT(failed) ((failed) ? (failed) : (test_skipped ? 77 : 0))

#endif
