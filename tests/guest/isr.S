/* Bare-metal test guests: 256 interrupt entry stubs that build a struct trap_frame and call trap(). */
    .code64
    .text
    .altmacro
/* Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30. */
.macro stub n
    .align 16
isr\n:
    .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    push $0
    .endif
    push $\n
    jmp isr_common
.endm

    .set i, 0
    .rept 256
    stub %i
    .set i, i + 1
    .endr

isr_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rbp
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    cld
    call trap
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rbp
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp
    iretq

    .section .rodata
    .align 8
    .globl isr_table
isr_table:
.macro entry n
    .quad isr\n
.endm
    .set i, 0
    .rept 256
    entry %i
    .set i, i + 1
    .endr
