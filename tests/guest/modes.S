/* Guest test: the mode round trip long -> compat -> protected (no paging) -> 16-bit -> real -> long. */
#define LOW(x) (x)
    .code64
    .text
    .globl mode_roundtrip
mode_roundtrip:                 /* uint32_t mode_roundtrip(void) */
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, saved_rsp(%rip)
    sidt saved_idt(%rip)
    mov %cr3, %rax
    mov %rax, saved_cr3(%rip)
    push $0x08                  /* 32-bit code: compatibility mode */
    push $low_compat
    lretq

back64:
    mov $0x18, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov saved_rsp(%rip), %rsp
    lidt saved_idt(%rip)
    movzbl 0x9000 + 0x100, %eax         /* result byte from real mode */
    movzbl 0x9000 + 0x101, %ecx         /* cr0 low byte seen in real mode */
    shl $8, %ecx
    or %ecx, %eax
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

    .data
saved_rsp: .quad 0
saved_cr3: .quad 0
saved_idt: .word 0
           .quad 0

    .section .lowtext, "ax"
    .code32
low_compat:
    mov %cr0, %eax
    and $0x7fffffff, %eax               /* paging off: leaves long mode */
    mov %eax, %cr0
    mov $0xc0000080, %ecx
    rdmsr
    and $~0x100, %eax                   /* LME off */
    wrmsr
    mov $0x18, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov $0x8ff0, %esp
    mov $0x3f8, %dx
    mov $'P', %al
    out %al, %dx
    ljmp $0x48, $low_pm16

    .code16
low_pm16:
    mov $0x50, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr0, %eax
    and $~1, %eax
    mov %eax, %cr0
    ljmp $0, $low_real

low_real:
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x8ff0, %sp
    lidt real_idt
    movw $real_int30, 0x30 * 4
    movw $0, 0x30 * 4 + 2
    mov %cr0, %eax
    mov %al, 0x9101
    mov $'R', %al
    mov $0x3f8, %dx
    out %al, %dx
    int $0x30
    /* back up: protected mode, then long mode with the saved page tables */
    lgdtl gdt_desc_low
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $low_pm32

real_int30:
    movb $0x5a, 0x9100
    mov $'I', %al
    mov $0x3f8, %dx
    out %al, %dx
    iret

    .code32
low_pm32:
    mov $0x18, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov $'p', %al
    mov $0x3f8, %dx
    out %al, %dx
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax                     /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    ljmp $0x10, $back64

    .align 8
real_idt:
    .word 0x3ff
    .long 0
gdt_desc_low:
    .word 11 * 8 - 1
    .long gdt
