# Name mangling shared by the back ends: QAPI names to C identifiers and enum constants.

import re

# Words a generated identifier must not collide with: C keywords (C89..C11), GNU
# extensions, C++ keywords (headers may be used from C++ tools), and macros that compilers
# or libc predefine.  A member called one of these gets a 'q_' prefix in C.
_C_WORDS = set('''
auto break case char const continue default do double else enum extern float for goto
if int long register return short signed sizeof static struct switch typedef union
unsigned void volatile while inline restrict _Bool _Complex _Imaginary _Alignas
_Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local asm typeof
bool catch class const_cast delete dynamic_cast explicit false friend mutable namespace
new operator private protected public reinterpret_cast static_cast template this throw
true try typeid typename using virtual wchar_t and and_eq bitand bitor compl not not_eq
or or_eq xor xor_eq unix errno mips sparc i386 linux
'''.split())

_NON_IDENT = re.compile(r'[^A-Za-z0-9_]')


def c_name(name, protect=True):
    """QAPI name -> C identifier: every character outside [A-Za-z0-9_] becomes '_';
    with protect, words reserved in C and names starting with a digit get a 'q_' prefix."""
    ident = _NON_IDENT.sub('_', name)
    if protect and (ident in _C_WORDS or ident[:1].isdigit()):
        return 'q_' + ident
    return ident


def camel_to_upper(name):
    """Enum constant prefix from a type name, QEMU 7.2's rule: a '_' goes before an
    uppercase letter that starts a new word (next letter is lowercase) or that follows a
    digit, unless a '_' is already there.  NumaOptionsType -> NUMA_OPTIONS_TYPE,
    X86CPURegister32 -> X86_CPU_REGISTER32.  All-uppercase names stay as they are."""
    ident = c_name(name, False)
    if name.isupper():
        return ident
    out = []
    for i, ch in enumerate(ident):
        if ch.isupper() and i > 0 and ident[i - 1] != '_':
            starts_word = i + 1 < len(ident) and ident[i + 1].islower()
            if starts_word or ident[i - 1].isdigit():
                out.append('_')
        out.append(ch)
    return ''.join(out).lstrip('_').upper()


def c_enum_const(type_name, value, prefix=None):
    """C constant for one enum value: PREFIX_VALUE."""
    return (prefix or camel_to_upper(type_name)) + '_' + c_name(value, False).upper()


def indent(text, level=1):
    """Indent every non-empty line of text by 4*level spaces."""
    pad = '    ' * level
    return ''.join(pad + line if line.strip() else line
                   for line in text.splitlines(True))
