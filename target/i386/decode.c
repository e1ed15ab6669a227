/* x86 instruction decoder: prefixes, REX, opcode maps, ModRM/SIB/displacement and immediates into an X86Insn. */
#include <string.h>
#include "target/i386/internal.h"
#include "target/i386/exec.h"   /* op_ud */

#define M  A_MODRM
#define B  A_BYTE
#define IB (IMM_B << A_IMM_SHIFT)
#define IUB (IMM_UB << A_IMM_SHIFT)
#define IW (IMM_W << A_IMM_SHIFT)
#define IZ (IMM_Z << A_IMM_SHIFT)
#define IV (IMM_V << A_IMM_SHIFT)
#define IWB (IMM_WB << A_IMM_SHIFT)
#define IMO (IMM_MOFFS << A_IMM_SHIFT)
#define IFAR (IMM_FAR << A_IMM_SHIFT)
#define IG3 (IMM_GRP3 << A_IMM_SHIFT)
#define ALU6 M | B, M, M | B, M, B | IB, IZ

/* Decode attributes: how many bytes follow the opcode.  Handlers decide validity. */
static const uint16_t attr_map1[256] = {
    [0x00] = ALU6, [0x08] = ALU6, [0x10] = ALU6, [0x18] = ALU6,
    [0x20] = ALU6, [0x28] = ALU6, [0x30] = ALU6, [0x38] = ALU6,
    [0x06] = A_I64, [0x07] = A_I64, [0x0e] = A_I64, [0x16] = A_I64, [0x17] = A_I64,
    [0x1e] = A_I64, [0x1f] = A_I64,
    [0x40 ... 0x4f] = A_I64,
    [0x50 ... 0x5f] = A_D64,
    [0x60] = A_I64, [0x61] = A_I64, [0x63] = M,
    [0x68] = A_D64 | IZ, [0x69] = M | IZ, [0x6a] = A_D64 | IB, [0x6b] = M | IB,
    [0x6c] = B, [0x6e] = B,
    [0x70 ... 0x7f] = A_F64 | IB,
    [0x80] = M | B | IB, [0x81] = M | IZ, [0x82] = M | B | IB | A_I64, [0x83] = M | IB,
    [0x84] = M | B, [0x85] = M, [0x86] = M | B, [0x87] = M,
    [0x88] = M | B, [0x89] = M, [0x8a] = M | B, [0x8b] = M,
    [0x8c] = M, [0x8d] = M, [0x8e] = M, [0x8f] = M | A_D64,
    [0x9a] = A_I64 | IFAR, [0x9c] = A_D64, [0x9d] = A_D64,
    [0xa0] = B | IMO, [0xa1] = IMO, [0xa2] = B | IMO, [0xa3] = IMO,
    [0xa4] = B, [0xa6] = B, [0xa8] = B | IB, [0xa9] = IZ, [0xaa] = B, [0xac] = B, [0xae] = B,
    [0xb0 ... 0xb7] = B | IB, [0xb8 ... 0xbf] = IV,
    [0xc0] = M | B | IUB, [0xc1] = M | IUB, [0xc2] = A_F64 | IW, [0xc3] = A_F64,
    [0xc4] = A_I64 | M, [0xc5] = A_I64 | M,
    [0xc6] = M | B | IB, [0xc7] = M | IZ, [0xc8] = A_D64 | IWB, [0xc9] = A_D64,
    [0xca] = IW, [0xcd] = IUB, [0xce] = A_I64,
    [0xd0] = M | B, [0xd1] = M, [0xd2] = M | B, [0xd3] = M,
    [0xd4] = A_I64 | IUB, [0xd5] = A_I64 | IUB, [0xd6] = A_I64, [0xd7] = B,
    [0xd8 ... 0xdf] = M,
    [0xe0 ... 0xe3] = A_F64 | IB, [0xe4] = B | IUB, [0xe5] = IUB, [0xe6] = B | IUB, [0xe7] = IUB,
    [0xe8] = A_F64 | IZ, [0xe9] = A_F64 | IZ, [0xea] = A_I64 | IFAR, [0xeb] = A_F64 | IB,
    [0xec] = B, [0xee] = B,
    [0xf6] = M | B | IG3, [0xf7] = M | IG3, [0xfe] = M | B, [0xff] = M,
};

static const uint16_t attr_map2[256] = {
    [0x00] = M, [0x01] = M, [0x02] = M, [0x03] = M, [0x0d] = M,
    [0x10 ... 0x17] = M | A_SSE, [0x28 ... 0x2f] = M | A_SSE,
    [0x50 ... 0x6f] = M | A_SSE, [0x70 ... 0x73] = M | IUB | A_SSE, [0x74 ... 0x7f] = M | A_SSE,
    [0xc2] = M | IUB | A_SSE, [0xc3] = M | A_SSE, [0xc4 ... 0xc6] = M | IUB | A_SSE,
    [0xd0 ... 0xff] = M | A_SSE,
    [0x18 ... 0x1f] = M,
    [0x20 ... 0x23] = M,
    [0x40 ... 0x4f] = M,
    [0x80 ... 0x8f] = A_F64 | IZ,
    [0x90 ... 0x9f] = M | B,
    [0xa0] = A_D64, [0xa1] = A_D64, [0xa8] = A_D64, [0xa9] = A_D64,
    [0xa3] = M, [0xa4] = M | IUB, [0xa5] = M, [0xab] = M, [0xac] = M | IUB, [0xad] = M,
    [0xae] = M, [0xaf] = M,
    [0xb0] = M | B, [0xb1] = M, [0xb3] = M, [0xb6] = M, [0xb7] = M, [0xb8] = M,
    [0xba] = M | IUB, [0xbb] = M, [0xbc] = M, [0xbd] = M, [0xbe] = M, [0xbf] = M,
    [0xc0] = M | B, [0xc1] = M, [0xc7] = M,
};

typedef struct DecState {
    const uint8_t *buf;
    int avail, pos;
} DecState;

#define NEED(ds, n) do { if ((ds)->pos + (n) > (ds)->avail) return X86_DEC_SHORT; } while (0)

static uint64_t get_le(DecState *ds, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v |= (uint64_t)ds->buf[ds->pos + i] << (8 * i);
    }
    ds->pos += n;
    return v;
}

/* Parse legacy prefixes and REX; returns the first opcode byte position. */
static X86DecodeResult parse_prefixes(DecState *ds, int code_size, X86Insn *in)
{
    in->seg = 0xff;
    for (;;) {
        NEED(ds, 1);
        uint8_t b = ds->buf[ds->pos];
        switch (b) {
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            in->seg = (b >> 3) & 3;
            in->segovr = 1;
            break;
        case 0x64: case 0x65:
            in->seg = R_FS + (b & 1);
            in->segovr = 1;
            break;
        case 0x66: in->pfx |= PFX_66; break;
        case 0x67: in->pfx |= PFX_67; break;
        case 0xf0: in->pfx |= PFX_LOCK; break;
        case 0xf2: in->pfx = (in->pfx & ~PFX_REPZ) | PFX_REPNZ; break;
        case 0xf3: in->pfx = (in->pfx & ~PFX_REPNZ) | PFX_REPZ; break;
        default:
            if (code_size == 8 && (b & 0xf0) == 0x40) {
                in->rex = b & 0xf;
                in->pfx |= PFX_REX;
                ds->pos++;
                NEED(ds, 1);
                b = ds->buf[ds->pos];
                if ((b & 0xf0) == 0x40 || b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 ||
                    b == 0xf3 || b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
                    b == 0x64 || b == 0x65) {
                    /* A REX not directly before the opcode is ignored. */
                    in->rex = 0;
                    in->pfx &= ~PFX_REX;
                    continue;
                }
            }
            return X86_DEC_OK;
        }
        ds->pos++;
        if (ds->pos >= X86_MAX_INSN_LEN) {
            return X86_DEC_TOO_LONG;
        }
    }
}

static X86DecodeResult decode_modrm16(DecState *ds, X86Insn *in, uint8_t rm)
{
    static const uint8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
    static const uint8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, X86_NO_REG, X86_NO_REG,
                                        X86_NO_REG, X86_NO_REG };
    in->base = base16[rm];
    in->index = index16[rm];
    if (in->mod == 0 && rm == 6) {
        in->base = X86_NO_REG;
        NEED(ds, 2);
        in->disp = (int16_t)get_le(ds, 2);
    } else if (in->mod == 1) {
        NEED(ds, 1);
        in->disp = (int8_t)get_le(ds, 1);
    } else if (in->mod == 2) {
        NEED(ds, 2);
        in->disp = (int16_t)get_le(ds, 2);
    }
    if (in->seg == 0xff) {
        in->seg = in->base == R_EBP ? R_SS : R_DS;
    }
    return X86_DEC_OK;
}

static X86DecodeResult decode_modrm(DecState *ds, int code_size, X86Insn *in)
{
    NEED(ds, 1);
    uint8_t m = ds->buf[ds->pos++];
    in->mod = m >> 6;
    in->reg = ((m >> 3) & 7) | ((in->rex & 4) << 1);
    uint8_t rm = m & 7;
    if (in->mod == 3) {
        in->rm = rm | ((in->rex & 1) << 3);
        return X86_DEC_OK;
    }
    if (in->addrsize == 2) {
        return decode_modrm16(ds, in, rm);
    }
    in->index = X86_NO_REG;
    in->base = rm | ((in->rex & 1) << 3);
    if (rm == 4) {
        NEED(ds, 1);
        uint8_t sib = ds->buf[ds->pos++];
        in->scale = sib >> 6;
        uint8_t idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
        in->index = idx == 4 ? X86_NO_REG : idx;
        in->base = (sib & 7) | ((in->rex & 1) << 3);
        if ((sib & 7) == 5 && in->mod == 0) {
            in->base = X86_NO_REG;
            NEED(ds, 4);
            in->disp = (int32_t)get_le(ds, 4);
        }
    } else if (rm == 5 && in->mod == 0) {
        in->base = X86_NO_REG;
        in->riprel = code_size == 8;
        NEED(ds, 4);
        in->disp = (int32_t)get_le(ds, 4);
    }
    if (in->mod == 1) {
        NEED(ds, 1);
        in->disp = (int8_t)get_le(ds, 1);
    } else if (in->mod == 2) {
        NEED(ds, 4);
        in->disp = (int32_t)get_le(ds, 4);
    }
    if (in->seg == 0xff) {
        in->seg = (in->base == R_ESP || in->base == R_EBP) ? R_SS : R_DS;
    }
    return X86_DEC_OK;
}

static X86DecodeResult decode_imm(DecState *ds, X86Insn *in, int kind)
{
    int n;
    switch (kind) {
    case IMM_NONE:
        return X86_DEC_OK;
    case IMM_B: case IMM_UB:
        NEED(ds, 1);
        in->imm = kind == IMM_B ? (uint64_t)(int8_t)get_le(ds, 1) : get_le(ds, 1);
        return X86_DEC_OK;
    case IMM_W:
        NEED(ds, 2);
        in->imm = get_le(ds, 2);
        return X86_DEC_OK;
    case IMM_GRP3:
        if ((in->reg & 7) >= 2) {
            return X86_DEC_OK;
        }
        if (in->opsize == 1) {
            NEED(ds, 1);
            in->imm = (uint64_t)(int8_t)get_le(ds, 1);
            return X86_DEC_OK;
        }
        /* fall through */
    case IMM_Z:
        n = in->opsize == 2 ? 2 : 4;
        NEED(ds, n);
        in->imm = x86_sext(get_le(ds, n), n);
        return X86_DEC_OK;
    case IMM_V:
        n = in->opsize;
        NEED(ds, n);
        in->imm = get_le(ds, n);
        return X86_DEC_OK;
    case IMM_WB:
        NEED(ds, 3);
        in->imm = get_le(ds, 2);
        in->imm2 = (uint16_t)get_le(ds, 1);
        return X86_DEC_OK;
    case IMM_MOFFS:
        NEED(ds, in->addrsize);
        in->imm = get_le(ds, in->addrsize);
        return X86_DEC_OK;
    case IMM_FAR:
        n = in->opsize == 2 ? 2 : 4;
        NEED(ds, n + 2);
        in->imm = get_le(ds, n);
        in->imm2 = (uint16_t)get_le(ds, 2);
        return X86_DEC_OK;
    }
    return X86_DEC_UD;
}

static void set_sizes(X86Insn *in, int code_size, uint16_t attr)
{
    if (code_size == 8) {
        in->addrsize = (in->pfx & PFX_67) ? 4 : 8;
        if (in->rex & 8) {
            in->opsize = 8;
        } else if (attr & A_F64) {
            in->opsize = 8;
        } else if (in->pfx & PFX_66) {
            in->opsize = 2;
        } else {
            in->opsize = (attr & A_D64) ? 8 : 4;
        }
    } else {
        bool toggle_a = (in->pfx & PFX_67) != 0, toggle_o = (in->pfx & PFX_66) != 0;
        in->addrsize = (code_size == 4) != toggle_a ? 4 : 2;
        in->opsize = (code_size == 4) != toggle_o ? 4 : 2;
    }
    if (attr & A_BYTE) {
        in->opsize = 1;
    }
}

/*
 * Whether a lock prefix is allowed: only the read-modify-write instructions with a memory
 * destination (SDM "LOCK"); anything else is #UD.  Checked after ModRM decoding, on the
 * final opcode (0x1xx = 0F map) and ModRM.reg without REX.R.
 */
static bool lock_allowed(const X86Insn *in)
{
    int op = in->opc, r = in->reg & 7;

    if (in->mod == 3) {
        return false;
    }
    if (op < 0x40) {
        return (op & 7) <= 1 && (op & 0x38) != 0x38;      /* add...xor r/m, reg; not cmp */
    }
    switch (op) {
    case 0x80: case 0x81: case 0x83:
        return r != 7;                                   /* group 1 except cmp */
    case 0x86: case 0x87:                                /* xchg */
    case 0x1ab: case 0x1b3: case 0x1bb:                  /* bts, btr, btc r/m, reg */
    case 0x1b0: case 0x1b1: case 0x1c0: case 0x1c1:      /* cmpxchg, xadd */
        return true;
    case 0xf6: case 0xf7:
        return r == 2 || r == 3;                         /* not, neg */
    case 0xfe: case 0xff:
        return r <= 1;                                   /* inc, dec */
    case 0x1ba:
        return r >= 5;                                   /* bts/btr/btc r/m, imm8 */
    case 0x1c7:
        return r == 1;                                   /* cmpxchg8b/16b */
    default:
        return false;
    }
}

static X86DecodeResult decode_insn(DecState *ds, int code_size, X86Insn *in)
{
    memset(in, 0, sizeof(*in));
    in->base = in->index = X86_NO_REG;
    X86DecodeResult r = parse_prefixes(ds, code_size, in);
    if (r != X86_DEC_OK) {
        return r;
    }
    NEED(ds, 1);
    uint16_t opc = ds->buf[ds->pos++];
    uint16_t attr;
    if (opc == 0x0f) {
        NEED(ds, 1);
        opc = 0x100 | ds->buf[ds->pos++];
        if (opc == 0x138 || opc == 0x13a) {
            return X86_DEC_UD;      /* no 0F38/0F3A instruction is implemented yet */
        }
        attr = attr_map2[opc & 0xff];
    } else {
        attr = attr_map1[opc];
    }
    in->opc = opc;
    /* SSE rows pick their handler by mandatory prefix here, once, not at every execution. */
    in->fn = (attr & A_SSE) ? x86_sse_handler(opc, in->pfx) : x86_handlers[opc];
    if (!in->fn || (code_size == 8 && (attr & A_I64))) {
        return X86_DEC_UD;
    }
    set_sizes(in, code_size, attr);
    if (attr & A_MODRM) {
        r = decode_modrm(ds, code_size, in);
        if (r != X86_DEC_OK) {
            return r;
        }
    }
    if (in->seg == 0xff) {
        in->seg = R_DS;
    }
    r = decode_imm(ds, in, attr >> A_IMM_SHIFT);
    if (r != X86_DEC_OK) {
        return r;
    }
    in->len = (uint8_t)ds->pos;
    if ((in->pfx & PFX_LOCK) && !lock_allowed(in)) {
        /* An invalid encoding, not an unimplemented one: #UD at execution, not logged. */
        in->fn = op_ud;
        return X86_DEC_OK;
    }
    in->fn = x86_fast_handler(in, code_size);
    return X86_DEC_OK;
}

X86DecodeResult x86_decode(const uint8_t *buf, int avail, int code_size, X86Insn *in)
{
    DecState ds = { buf, avail < X86_MAX_INSN_LEN ? avail : X86_MAX_INSN_LEN, 0 };
    X86DecodeResult r = decode_insn(&ds, code_size, in);

    if (r == X86_DEC_UD) {
        /* The bytes examined up to the point of refusal: what "-d unimp" shows. */
        in->len = (uint8_t)(ds.pos ? ds.pos : 1);
    }
    return r;
}
