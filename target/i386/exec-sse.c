/* SSE/SSE2 data movement, MXCSR, fxsave/fxrstor, and the (opcode, mandatory prefix) -> handler table. */
#include "target/i386/sse.h"
#include "target/i386/fpu-x87.h"

HANDLER(sse_movu_ld) { sse_check(cpu); XV v = xv_rm(cpu, in, false); xv_set(&cpu->env, in->reg, &v); }
HANDLER(sse_mova_ld) { sse_check(cpu); XV v = xv_rm(cpu, in, true); xv_set(&cpu->env, in->reg, &v); }

static void mov_st(X86CPU *cpu, const X86Insn *in, bool aligned, bool mem_only)
{
    sse_check(cpu);
    XV v = xv_reg(&cpu->env, in->reg);
    if (in->mod == 3) {
        if (mem_only) {
            x86_raise_ud(cpu);
        }
        xv_set(&cpu->env, in->rm, &v);
    } else {
        xv_store(cpu, insn_lin(cpu, in), &v, aligned);
    }
}

HANDLER(sse_movu_st) { mov_st(cpu, in, false, false); }
HANDLER(sse_mova_st) { mov_st(cpu, in, true, false); }
HANDLER(sse_movnt_st) { mov_st(cpu, in, true, true); }

/* movss/movsd loads: register form merges the low lane, memory form zeroes the rest. */
static void movs_ld(X86CPU *cpu, const X86Insn *in, int size)
{
    sse_check(cpu);
    CPUX86State *env = &cpu->env;
    uint64_t v = xv_rm_low(cpu, in, size);
    if (in->mod != 3) {
        env->xmm[in->reg].q[0] = env->xmm[in->reg].q[1] = 0;
    }
    uint64_t m = size == 8 ? ~0ull : 0xffffffffull;
    env->xmm[in->reg].q[0] = (env->xmm[in->reg].q[0] & ~m) | v;
}

static void movs_st(X86CPU *cpu, const X86Insn *in, int size)
{
    sse_check(cpu);
    CPUX86State *env = &cpu->env;
    uint64_t m = size == 8 ? ~0ull : 0xffffffffull;
    uint64_t v = env->xmm[in->reg].q[0] & m;
    if (in->mod == 3) {
        env->xmm[in->rm].q[0] = (env->xmm[in->rm].q[0] & ~m) | v;
    } else {
        x86_st(cpu, insn_lin(cpu, in), size, v);
    }
}

HANDLER(sse_movss_ld) { movs_ld(cpu, in, 4); }
HANDLER(sse_movsd_ld) { movs_ld(cpu, in, 8); }
HANDLER(sse_movss_st) { movs_st(cpu, in, 4); }
HANDLER(sse_movsd_st) { movs_st(cpu, in, 8); }

/* 0F 12 / 0F 16: movlps/movhps (movhlps/movlhps for registers), movlpd/movhpd (memory only). */
static void movlh_ld(X86CPU *cpu, const X86Insn *in, int half, bool pd)
{
    sse_check(cpu);
    CPUX86State *env = &cpu->env;
    if (in->mod == 3) {
        if (pd) {
            x86_raise_ud(cpu);
        }
        env->xmm[in->reg].q[half] = env->xmm[in->rm].q[half ^ 1];
        return;
    }
    env->xmm[in->reg].q[half] = x86_ld(cpu, insn_lin(cpu, in), 8);
}

static void movlh_st(X86CPU *cpu, const X86Insn *in, int half)
{
    sse_check(cpu);
    if (in->mod == 3) {
        x86_raise_ud(cpu);
    }
    x86_st(cpu, insn_lin(cpu, in), 8, cpu->env.xmm[in->reg].q[half]);
}

HANDLER(sse_movlps_ld) { movlh_ld(cpu, in, 0, false); }
HANDLER(sse_movlpd_ld) { movlh_ld(cpu, in, 0, true); }
HANDLER(sse_movhps_ld) { movlh_ld(cpu, in, 1, false); }
HANDLER(sse_movhpd_ld) { movlh_ld(cpu, in, 1, true); }
HANDLER(sse_movlp_st) { movlh_st(cpu, in, 0); }
HANDLER(sse_movhp_st) { movlh_st(cpu, in, 1); }

/* 66 0F 6E: movd/movq xmm, r/m32/64 (zero-extended). */
HANDLER(sse_movd_ld)
{
    sse_check(cpu);
    int size = in->opsize == 8 ? 8 : 4;
    uint64_t v = in->mod == 3 ? reg_read(&cpu->env, in, in->rm, size) : x86_ld(cpu, insn_lin(cpu, in), size);
    cpu->env.xmm[in->reg].q[0] = v;
    cpu->env.xmm[in->reg].q[1] = 0;
}

/* 66 0F 7E: movd/movq r/m32/64, xmm. */
HANDLER(sse_movd_st)
{
    sse_check(cpu);
    int size = in->opsize == 8 ? 8 : 4;
    store_rm(cpu, in, size, cpu->env.xmm[in->reg].q[0]);
}

/* F3 0F 7E: movq xmm, xmm/m64 (upper half zeroed). */
HANDLER(sse_movq_ld)
{
    sse_check(cpu);
    uint64_t v = xv_rm_low(cpu, in, 8);
    cpu->env.xmm[in->reg].q[0] = v;
    cpu->env.xmm[in->reg].q[1] = 0;
}

/* 66 0F D6: movq xmm/m64, xmm. */
HANDLER(sse_movq_st)
{
    sse_check(cpu);
    CPUX86State *env = &cpu->env;
    if (in->mod == 3) {
        env->xmm[in->rm].q[0] = env->xmm[in->reg].q[0];
        env->xmm[in->rm].q[1] = 0;
    } else {
        x86_st(cpu, insn_lin(cpu, in), 8, env->xmm[in->reg].q[0]);
    }
}

/* 0F C3: movnti m32/64, r (SSE2, no XMM state involved). */
HANDLER(sse_movnti)
{
    if (in->mod == 3) {
        x86_raise_ud(cpu);
    }
    int size = in->opsize == 8 ? 8 : 4;
    x86_st(cpu, insn_lin(cpu, in), size, reg_read(&cpu->env, in, in->reg, size));
}

/* fxsave: the 512-byte layout (64-bit FIP/FDP with REX.W, else 32-bit offset + selector). */
static void fxsave(X86CPU *cpu, const X86Insn *in)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = insn_lin(cpu, in);
    if (lin & 15) {
        x86_raise_gp(cpu, 0);
    }
    x86_probe_write(cpu, lin, 512);
    bool w = in->opsize == 8;
    x86_st(cpu, lin, 8, env->fcw | ((uint64_t)env->fsw << 16) | ((uint64_t)(env->ftw & 0xff) << 32) |
                        ((uint64_t)env->fop << 48));
    x86_st(cpu, lin + 8, 8, w ? env->fip : (uint32_t)env->fip | ((uint64_t)env->segs[R_CS].sel << 32));
    x86_st(cpu, lin + 16, 8, w ? env->fdp : (uint32_t)env->fdp | ((uint64_t)env->segs[R_DS].sel << 32));
    x86_st(cpu, lin + 24, 8, env->mxcsr | ((uint64_t)MXCSR_MASK << 32));
    for (int i = 0; i < 8; i++) {
        const X86FpReg *r = &env->fpregs[fp_phys(env, i)];
        x86_st(cpu, lin + 32 + 16 * i, 8, r->mant);
        x86_st(cpu, lin + 40 + 16 * i, 8, r->exp);
    }
    int nx = env->code_size == 8 ? 16 : 8;
    for (int i = 0; i < nx; i++) {
        x86_st(cpu, lin + 160 + 16 * i, 8, env->xmm[i].q[0]);
        x86_st(cpu, lin + 168 + 16 * i, 8, env->xmm[i].q[1]);
    }
}

static void fxrstor(X86CPU *cpu, const X86Insn *in)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = insn_lin(cpu, in);
    if (lin & 15) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t w0 = x86_ld(cpu, lin, 8), ip = x86_ld(cpu, lin + 8, 8), dp = x86_ld(cpu, lin + 16, 8);
    uint32_t mxcsr = (uint32_t)x86_ld(cpu, lin + 24, 4);
    X86FpReg regs[8];
    X86XmmReg xmm[16];
    int nx = env->code_size == 8 ? 16 : 8;
    if (mxcsr & ~MXCSR_MASK) {
        x86_raise_gp(cpu, 0);
    }
    for (int i = 0; i < 8; i++) {
        regs[i].mant = x86_ld(cpu, lin + 32 + 16 * i, 8);
        regs[i].exp = (uint16_t)x86_ld(cpu, lin + 40 + 16 * i, 2);
    }
    for (int i = 0; i < nx; i++) {
        xmm[i].q[0] = x86_ld(cpu, lin + 160 + 16 * i, 8);
        xmm[i].q[1] = x86_ld(cpu, lin + 168 + 16 * i, 8);
    }
    env->fcw = (uint16_t)w0 | 0x40;
    env->fsw = (uint16_t)(w0 >> 16);
    env->ftw = (uint8_t)(w0 >> 32);
    env->fop = (uint16_t)(w0 >> 48) & 0x7ff;
    env->fip = in->opsize == 8 ? ip : (uint32_t)ip;
    env->fdp = in->opsize == 8 ? dp : (uint32_t)dp;
    env->mxcsr = mxcsr;
    for (int i = 0; i < 8; i++) {
        env->fpregs[fp_phys(env, i)] = regs[i];
    }
    memcpy(env->xmm, xmm, sizeof(xmm[0]) * (size_t)nx);
    x87_update_es(env);
}

/* 0F AE: fxsave/fxrstor/ldmxcsr/stmxcsr/clflush, and lfence/mfence/sfence. */
HANDLER(op_grp15)
{
    CPUX86State *env = &cpu->env;
    int r = in->reg & 7;
    if (in->pfx & (PFX_66 | PFX_REPZ | PFX_REPNZ)) {
        x86_raise_ud(cpu);          /* clflushopt, rdfsbase & co. are not advertised */
    }
    if (in->mod == 3) {
        if (r >= 5) {
            return;                 /* a single in-order interpreter needs no fence */
        }
        x86_raise_ud(cpu);
    }
    switch (r) {
    case 0: case 1:
        if (env->cr[0] & (CR0_EM | CR0_TS)) {
            x86_raise(cpu, EXCP_NM, 0, false);
        }
        if (r == 0) {
            fxsave(cpu, in);
        } else {
            fxrstor(cpu, in);
        }
        return;
    case 2: {
        sse_check(cpu);
        uint32_t v = (uint32_t)x86_ld(cpu, insn_lin(cpu, in), 4);
        if (v & ~MXCSR_MASK) {
            x86_raise_gp(cpu, 0);
        }
        env->mxcsr = v;
        return;
    }
    case 3:
        sse_check(cpu);
        x86_st(cpu, insn_lin(cpu, in), 4, env->mxcsr);
        return;
    case 7:
        x86_ld(cpu, insn_lin(cpu, in), 1);    /* clflush faults like a byte load */
        return;
    default:
        x86_raise_ud(cpu);                    /* xsave family: not advertised */
    }
}

/* Rows: opcode in the 0F map; columns: no prefix, 66, F3, F2. */
#define R4(a, b, c, d) { a, b, c, d }
#define PS_PD(n) R4(sse_##n##ps, sse_##n##pd, sse_##n##ss, sse_##n##sd)
#define P66(h) R4(NULL, sse_##h, NULL, NULL)
static const X86Handler sse_table[256][4] = {
    [0x10] = R4(sse_movu_ld, sse_movu_ld, sse_movss_ld, sse_movsd_ld),
    [0x11] = R4(sse_movu_st, sse_movu_st, sse_movss_st, sse_movsd_st),
    [0x12] = R4(sse_movlps_ld, sse_movlpd_ld, NULL, NULL),
    [0x13] = R4(sse_movlp_st, sse_movlp_st, NULL, NULL),
    [0x14] = R4(sse_unpcklps, sse_unpcklpd, NULL, NULL),
    [0x15] = R4(sse_unpckhps, sse_unpckhpd, NULL, NULL),
    [0x16] = R4(sse_movhps_ld, sse_movhpd_ld, NULL, NULL),
    [0x17] = R4(sse_movhp_st, sse_movhp_st, NULL, NULL),
    [0x28] = R4(sse_mova_ld, sse_mova_ld, NULL, NULL),
    [0x29] = R4(sse_mova_st, sse_mova_st, NULL, NULL),
    [0x2a] = R4(NULL, NULL, sse_cvtsi2ss, sse_cvtsi2sd),
    [0x2b] = R4(sse_movnt_st, sse_movnt_st, NULL, NULL),
    [0x2c] = R4(NULL, NULL, sse_cvttss2si, sse_cvttsd2si),
    [0x2d] = R4(NULL, NULL, sse_cvtss2si, sse_cvtsd2si),
    [0x2e] = R4(sse_ucomiss, sse_ucomisd, NULL, NULL),
    [0x2f] = R4(sse_comiss, sse_comisd, NULL, NULL),
    [0x50] = R4(sse_movmskps, sse_movmskpd, NULL, NULL),
    [0x51] = PS_PD(sqrt),
    [0x54] = R4(sse_pand, sse_pand, NULL, NULL),
    [0x55] = R4(sse_pandn, sse_pandn, NULL, NULL),
    [0x56] = R4(sse_por, sse_por, NULL, NULL),
    [0x57] = R4(sse_pxor, sse_pxor, NULL, NULL),
    [0x58] = PS_PD(add), [0x59] = PS_PD(mul),
    [0x5a] = R4(sse_cvtps2pd, sse_cvtpd2ps, sse_cvtss2sd, sse_cvtsd2ss),
    [0x5b] = R4(sse_cvtdq2ps, sse_cvtps2dq, sse_cvttps2dq, NULL),
    [0x5c] = PS_PD(sub), [0x5d] = PS_PD(min), [0x5e] = PS_PD(div), [0x5f] = PS_PD(max),
    [0x60] = P66(punpcklbw), [0x61] = P66(punpcklwd), [0x62] = P66(punpckldq),
    [0x63] = P66(packsswb), [0x64] = P66(pcmpgtb), [0x65] = P66(pcmpgtw), [0x66] = P66(pcmpgtd),
    [0x67] = P66(packuswb), [0x68] = P66(punpckhbw), [0x69] = P66(punpckhwd),
    [0x6a] = P66(punpckhdq), [0x6b] = P66(packssdw), [0x6c] = P66(punpcklqdq),
    [0x6d] = P66(punpckhqdq), [0x6e] = P66(movd_ld),
    [0x6f] = R4(NULL, sse_mova_ld, sse_movu_ld, NULL),
    [0x70] = R4(NULL, sse_pshufd, sse_pshufhw, sse_pshuflw),
    [0x71] = P66(pshift_imm), [0x72] = P66(pshift_imm), [0x73] = P66(pshift_imm),
    [0x74] = P66(pcmpeqb), [0x75] = P66(pcmpeqw), [0x76] = P66(pcmpeqd),
    [0x7e] = R4(NULL, sse_movd_st, sse_movq_ld, NULL),
    [0x7f] = R4(NULL, sse_mova_st, sse_movu_st, NULL),
    [0xc2] = PS_PD(cmp),
    [0xc3] = R4(sse_movnti, NULL, NULL, NULL),
    [0xc4] = P66(pinsrw), [0xc5] = P66(pextrw),
    [0xc6] = R4(sse_shufps, sse_shufpd, NULL, NULL),
    [0xd1] = P66(psrlw), [0xd2] = P66(psrld), [0xd3] = P66(psrlq), [0xd4] = P66(paddq),
    [0xd5] = P66(pmullw), [0xd6] = P66(movq_st), [0xd7] = P66(pmovmskb), [0xd8] = P66(psubusb),
    [0xd9] = P66(psubusw), [0xda] = P66(pminub), [0xdb] = P66(pand), [0xdc] = P66(paddusb),
    [0xdd] = P66(paddusw), [0xde] = P66(pmaxub), [0xdf] = P66(pandn),
    [0xe0] = P66(pavgb), [0xe1] = P66(psraw), [0xe2] = P66(psrad), [0xe3] = P66(pavgw),
    [0xe4] = P66(pmulhuw), [0xe5] = P66(pmulhw),
    [0xe6] = R4(NULL, sse_cvttpd2dq, sse_cvtdq2pd, sse_cvtpd2dq),
    [0xe7] = P66(movnt_st),
    [0xe8] = P66(psubsb), [0xe9] = P66(psubsw), [0xea] = P66(pminsw), [0xeb] = P66(por),
    [0xec] = P66(paddsb), [0xed] = P66(paddsw), [0xee] = P66(pmaxsw), [0xef] = P66(pxor),
    [0xf1] = P66(psllw), [0xf2] = P66(pslld), [0xf3] = P66(psllq), [0xf4] = P66(pmuludq),
    [0xf5] = P66(pmaddwd), [0xf6] = P66(psadbw),
    [0xf8] = P66(psubb), [0xf9] = P66(psubw), [0xfa] = P66(psubd), [0xfb] = P66(psubq),
    [0xfc] = P66(paddb), [0xfd] = P66(paddw), [0xfe] = P66(paddd),
};

/* The handler for an SSE opcode given its prefixes (F2/F3 win over 66), or NULL (#UD). */
X86Handler x86_sse_handler(int opc, int pfx)
{
    int col = (pfx & PFX_REPNZ) ? 3 : (pfx & PFX_REPZ) ? 2 : (pfx & PFX_66) ? 1 : 0;
    return sse_table[opc & 0xff][col];
}
