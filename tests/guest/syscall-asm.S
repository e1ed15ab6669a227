/* Guest test helpers: enter ring 3 with iretq, the user program, the LSTAR entry. */
    .code64
    .text
    .globl run_user
run_user:                       /* uint64_t run_user(uint64_t user_stack) */
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, kernel_rsp(%rip)
    push $0x2b                  /* SS: user data | 3 */
    push %rdi                   /* RSP */
    push $0x2                   /* RFLAGS */
    push $0x33                  /* CS: user code64 | 3 */
    lea user_prog(%rip), %rax
    push %rax
    iretq

user_prog:
    mov $1, %eax
    mov $21, %edi
    syscall                     /* rax = 42 */
    mov %rax, %rdi
    mov $1, %eax
    syscall                     /* rax = 84 */
    mov %rax, %rbx
    int $0x80
    mov %cs, %rdi
    shl $32, %rdi
    or %rbx, %rdi
    mov $2, %eax
    syscall                     /* back to the kernel for good */
    ud2

    .globl syscall_entry
syscall_entry:
    incq syscall_count(%rip)
    cmp $2, %rax
    je 1f
    lea (%rdi, %rdi), %rax
    sysretq
1:  mov %rdi, %rax
    mov kernel_rsp(%rip), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

    .data
    .align 8
kernel_rsp: .quad 0
    .globl syscall_count
syscall_count: .quad 0
