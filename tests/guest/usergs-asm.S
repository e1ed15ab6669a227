/* Guest test helpers: Linux's GS discipline (swapgs on entry from ring 3 only, swapgs + iretq/sysretq out). */
    .code64
    .text
/* uint64_t ug_run_user(uint64_t user_stack): iretq to ring 3 the way Linux returns to user mode. */
    .globl ug_run_user
ug_run_user:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, ug_kernel_rsp(%rip)
    push $0x2b                  /* SS: user data | 3 */
    push %rdi                   /* RSP */
    push $0x2                   /* RFLAGS */
    push $0x33                  /* CS: user code64 | 3 */
    lea ug_user(%rip), %rax
    push %rax
    swapgs                      /* user GS base in, kernel GS base to KERNEL_GS_BASE */
    testb $3, 8(%rsp)           /* Linux asserts the frame goes to user mode */
    jnz 1f
    ud2
1:  verw ug_verw_sel(%rip)      /* Linux's MDS buffer clearing, after swapgs */
    setz ug_verw_zf(%rip)
    iretq

/* The user program: reads GS/FS, two syscalls, two page faults, a null GS load, then exits. */
ug_user:
    mov %gs:0, %rax
    mov %rax, ug_user_gs0(%rip)
    mov %fs:0, %rax
    mov %rax, ug_user_fs0(%rip)
    mov $1, %eax
    syscall                     /* returns through swapgs + sysretq */
    mov %gs:0, %rax
    mov %rax, ug_user_gs1(%rip)
    lea 1f(%rip), %rcx
    mov %rcx, ug_fixup(%rip)
    mov $0x40000000, %rbx
    mov (%rbx), %rax            /* #PF from ring 3, not present */
1:  mov %gs:0, %rax
    mov %rax, ug_user_gs2(%rip)
    lea 2f(%rip), %rcx
    mov %rcx, ug_fixup(%rip)
    movq $5, 8(%rbx)            /* a second #PF from ring 3 (write) */
2:  mov %gs:0, %rax
    mov %rax, ug_user_gs3(%rip)
    xor %eax, %eax
    mov %eax, %gs               /* null selector into GS in 64-bit mode */
    mov $3, %eax
    syscall                     /* the kernel reports the user GS base */
    mov $2, %eax
    syscall                     /* back to the kernel for good */
    ud2

/* LSTAR: Linux's entry_SYSCALL_64 shape: swapgs, per-CPU scratch for the user RSP. */
    .globl ug_syscall_entry
ug_syscall_entry:
    swapgs
    mov %rsp, %gs:8
    mov %gs:16, %rsp            /* kernel stack from the per-CPU area */
    push %rcx
    push %r11
    cmp $2, %rax
    je 3f
    mov %rax, %rdi
    call ug_syscall_c           /* runs with the kernel GS base */
    pop %r11
    pop %rcx
    mov %gs:8, %rsp
    swapgs
    verw ug_verw_sel(%rip)
    sysretq
3:  mov ug_kernel_rsp(%rip), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

/* #PF gate: Linux's error_entry test of the saved CS RPL decides on swapgs, both ways. */
    .globl ug_pf_entry
ug_pf_entry:
    testb $3, 16(%rsp)          /* error code, RIP, CS */
    jz 1f
    swapgs
1:  push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    lea 72(%rsp), %rdi          /* the hardware frame: error code first */
    sub $8, %rsp
    call ug_pf_c
    add $8, %rsp
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rax
    testb $3, 16(%rsp)
    jz 2f
    swapgs
    verw ug_verw_sel(%rip)
2:  add $8, %rsp                /* the error code */
    iretq

    .data
    .align 8
ug_kernel_rsp: .quad 0
    .globl ug_fixup, ug_user_gs0, ug_user_gs1, ug_user_gs2, ug_user_gs3, ug_user_fs0
ug_fixup: .quad 0
ug_user_gs0: .quad 0
ug_user_gs1: .quad 0
ug_user_gs2: .quad 0
ug_user_gs3: .quad 0
ug_user_fs0: .quad 0
    .globl ug_verw_zf
ug_verw_zf: .byte 0
ug_verw_sel: .word 0x18       /* kernel data, like Linux's mds_verw_sel */
