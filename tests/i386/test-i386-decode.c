/* Unit tests of the x86 decoder: instruction lengths of tricky encodings, and invalid input. */
#include <string.h>
#include <glib.h>
#include "target/i386/internal.h"

typedef struct LenCase {
    int mode;                   /* code size: 2, 4, 8 */
    int n;
    uint8_t b[16];
    int len;                    /* expected length, or -1 for #UD, -2 for too long */
} LenCase;

static const LenCase cases[] = {
    { 8, 1, { 0x90 }, 1 },
    { 8, 3, { 0x48, 0x01, 0xc8 }, 3 },                                  /* add rax, rcx */
    { 8, 10, { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10 },              /* mov rax, imm64 */
    { 8, 5, { 0xb8, 1, 2, 3, 4 }, 5 },                                  /* mov eax, imm32 */
    { 8, 4, { 0x66, 0xb8, 1, 2 }, 4 },                                  /* mov ax, imm16 */
    { 8, 6, { 0x8b, 0x05, 0, 0, 0, 0 }, 6 },                            /* mov eax, [rip+d32] */
    { 8, 7, { 0x8b, 0x04, 0x25, 0, 0, 0, 0 }, 7 },                      /* SIB no base: disp32 */
    { 8, 3, { 0x8b, 0x04, 0x24 }, 3 },                                  /* [rsp] needs SIB */
    { 8, 4, { 0x41, 0x8b, 0x45, 0x00 }, 4 },                            /* [r13+0] needs disp8 */
    { 8, 8, { 0x8b, 0x84, 0x88, 1, 2, 3, 4 }, 7 },                      /* SIB + disp32 */
    { 8, 10, { 0xc7, 0x05, 0, 0, 0, 0, 1, 2, 3, 4 }, 10 },              /* rip-rel + imm32 */
    { 8, 7, { 0x48, 0x81, 0xc1, 1, 2, 3, 4 }, 7 },                      /* imm32 sign-extended */
    { 8, 5, { 0x66, 0x81, 0xc1, 1, 2 }, 5 },                            /* imm16 with 66 */
    { 8, 4, { 0xf6, 0xc1, 0x12, 0x90 }, 3 },                            /* test cl, imm8 */
    { 8, 2, { 0xf6, 0xd1 }, 2 },                                        /* not cl: no imm */
    { 8, 6, { 0xf7, 0xc1, 1, 2, 3, 4 }, 6 },                            /* test ecx, imm32 */
    { 8, 4, { 0x66, 0xf7, 0xc1, 1, 2 }, -3 },                           /* short buffer */
    { 8, 5, { 0x66, 0xf7, 0xc1, 1, 2 }, 5 },                            /* test cx, imm16 */
    { 8, 4, { 0xc8, 1, 2, 3 }, 4 },                                     /* enter imm16, imm8 */
    { 8, 9, { 0xa1, 1, 2, 3, 4, 5, 6, 7, 8 }, 9 },                      /* mov eax, moffs64 */
    { 8, 6, { 0x67, 0xa1, 1, 2, 3, 4 }, 6 },                            /* moffs32 with 67 */
    { 4, 5, { 0xa1, 1, 2, 3, 4 }, 5 },
    { 2, 3, { 0xa1, 1, 2 }, 3 },                                        /* moffs16 */
    { 2, 4, { 0x8b, 0x46, 0x02 }, 3 },                                  /* [bp+d8] 16-bit */
    { 2, 4, { 0x8b, 0x06, 0x34, 0x12 }, 4 },                            /* [d16] 16-bit */
    { 2, 5, { 0x67, 0x8b, 0x04, 0x24 }, 4 },                            /* 32-bit addr in 16 */
    { 4, 5, { 0x67, 0x8b, 0x06, 0x34, 0x12 }, 5 },                      /* 16-bit addr in 32 */
    { 4, 1, { 0x40 }, 1 },                                              /* inc eax in 32-bit */
    { 8, 1, { 0x40 }, -3 },                                             /* lone REX: short */
    { 8, 3, { 0x40, 0x66, 0x90 }, 3 },                                  /* REX then 66: ignored */
    { 8, 6, { 0x0f, 0x84, 1, 2, 3, 4 }, 6 },                            /* jz rel32 */
    { 8, 4, { 0x66, 0x0f, 0x84, 1, 2, 3, 4 }, -3 },                     /* rel32 forced in 64 */
    { 4, 5, { 0x66, 0x0f, 0x84, 1, 2 }, 5 },                            /* rel16 in 32-bit */
    { 8, 5, { 0x0f, 0xa4, 0xc1, 0x05 }, 4 },                            /* shld imm8 */
    { 8, 5, { 0x0f, 0xba, 0xe1, 0x05 }, 4 },                            /* bt imm8 */
    { 8, 4, { 0xf3, 0x48, 0x0f, 0xb8, 0xc1 }, -3 },
    { 8, 5, { 0xf3, 0x48, 0x0f, 0xb8, 0xc1 }, 5 },                      /* popcnt */
    { 8, 5, { 0xf0, 0x48, 0x0f, 0xc7, 0x0f }, 5 },                      /* lock cmpxchg16b */
    { 8, 2, { 0x0f, 0x0b }, 2 },                                        /* ud2 decodes; #UD at run */
    { 8, 1, { 0x06 }, -1 },                                             /* push es: invalid in 64 */
    { 8, 1, { 0x27 }, -1 },                                             /* daa: not implemented */
    { 8, 2, { 0x0f, 0xff }, -1 },
    { 8, 4, { 0x0f, 0x38, 0x00, 0xc1 }, -1 },                           /* 0F38 map */
    { 8, 1, { 0xc4 }, -1 },                                             /* VEX: not implemented */
    { 8, 15, { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
               0x66, 0x90 }, 15 },                                      /* exactly 15 */
    { 8, 16, { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
               0x66, 0x66, 0x90 }, -2 },                                /* 16 bytes: #GP */
    { 8, 14, { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf2, 0xf3, 0x67, 0x48, 0x8b, 0x04, 0x24 }, 13 },
};

static void test_lengths(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const LenCase *c = &cases[i];
        X86Insn in;
        X86DecodeResult r = x86_decode(c->b, c->n, c->mode, &in);
        int got = r == X86_DEC_OK ? in.len : r == X86_DEC_UD ? -1 : r == X86_DEC_TOO_LONG ? -2 : -3;
        if (got != c->len) {
            g_test_message("case %zu: expected %d got %d", i, c->len, got);
        }
        g_assert_cmpint(got, ==, c->len);
    }
}

/* Operand and address sizes, and the segment chosen for the memory operand. */
static void test_sizes_and_segments(void)
{
    X86Insn in;
    static const uint8_t push_r8[] = { 0x41, 0x50 };
    g_assert_cmpint(x86_decode(push_r8, 2, 8, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.opsize, ==, 8);                  /* push defaults to 64-bit */
    static const uint8_t push16[] = { 0x66, 0x50 };
    g_assert_cmpint(x86_decode(push16, 2, 8, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.opsize, ==, 2);
    static const uint8_t bp_mem[] = { 0x8b, 0x45, 0x08 };   /* mov eax, [rbp+8] */
    g_assert_cmpint(x86_decode(bp_mem, 3, 8, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.seg, ==, R_SS);
    static const uint8_t fs_mem[] = { 0x64, 0x8b, 0x45, 0x08 };
    g_assert_cmpint(x86_decode(fs_mem, 4, 8, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.seg, ==, R_FS);
    static const uint8_t bx_si[] = { 0x8b, 0x00 };           /* mov ax, [bx+si] */
    g_assert_cmpint(x86_decode(bx_si, 2, 2, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.base, ==, R_EBX);
    g_assert_cmpint(in.index, ==, R_ESI);
    g_assert_cmpint(in.opsize, ==, 2);
    g_assert_cmpint(in.addrsize, ==, 2);
    static const uint8_t rip[] = { 0x8b, 0x05, 0x10, 0, 0, 0 };
    g_assert_cmpint(x86_decode(rip, 6, 8, &in), ==, X86_DEC_OK);
    g_assert_true(in.riprel);
    g_assert_cmpint(in.disp, ==, 0x10);
    g_assert_cmpint(x86_decode(rip, 6, 4, &in), ==, X86_DEC_OK);
    g_assert_false(in.riprel);                          /* absolute disp32 outside 64-bit */
    static const uint8_t rexr[] = { 0x4c, 0x8b, 0xc8 };      /* mov r9, rax */
    g_assert_cmpint(x86_decode(rexr, 3, 8, &in), ==, X86_DEC_OK);
    g_assert_cmpint(in.reg, ==, 9);
    g_assert_cmpint(in.rm, ==, 0);
    g_assert_cmpint(in.opsize, ==, 8);
}

/* Every possible two-byte input decodes to something or fails cleanly; no crash. */
static void test_exhaustive_no_crash(void)
{
    uint8_t buf[16] = { 0 };
    int ok = 0;
    for (int mode = 2; mode <= 8; mode *= 2) {
        for (int a = 0; a < 256; a++) {
            for (int c = 0; c < 256; c++) {
                X86Insn in;
                buf[0] = (uint8_t)a;
                buf[1] = (uint8_t)c;
                if (x86_decode(buf, 16, mode, &in) == X86_DEC_OK) {
                    g_assert_cmpint(in.len, >=, 1);
                    g_assert_cmpint(in.len, <=, 15);
                    g_assert_nonnull(in.fn);
                    ok++;
                }
            }
        }
    }
    g_assert_cmpint(ok, >, 100000);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/decode/lengths", test_lengths);
    g_test_add_func("/i386/decode/sizes-and-segments", test_sizes_and_segments);
    g_test_add_func("/i386/decode/exhaustive-no-crash", test_exhaustive_no_crash);
    return g_test_run();
}
