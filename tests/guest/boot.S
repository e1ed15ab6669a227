/* Bare-metal test guests: PVH note, 32-bit entry, page tables, long mode, then guest_main(start_info). */
#define GDT_CODE32   0x08
#define GDT_CODE64   0x10
#define GDT_DATA     0x18

    .section .note.Xen, "a", @note
    .align 4
    .long 4                 /* namesz */
    .long 4                 /* descsz */
    .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long _start

    .section .text.boot, "ax"
    .code32
    .globl _start
_start:
    cli
    mov %ebx, %edi                      /* hvm_start_info, kept for guest_main */
    lgdt gdt_desc
    ljmp $GDT_CODE32, $1f
1:  mov $GDT_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    mov $boot_stack_top, %esp
    /* Identity map the first GiB with 2 MiB pages, user-accessible (ring-3 tests). */
    mov $boot_pd, %ebx
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x87, %eax                      /* P | W | U | PS */
    mov %eax, (%ebx, %ecx, 8)
    movl $0, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jne 2b
    movl $boot_pd + 7, boot_pdpt
    movl $boot_pdpt + 7, boot_pml4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x620, %eax                     /* PAE | OSFXSR | OSXMMEXCPT */
    mov %eax, %cr4
    mov $0xc0000080, %ecx
    rdmsr
    or $0x900, %eax                     /* LME | NXE */
    wrmsr
    mov %cr0, %eax
    and $~0x6000000c, %eax              /* no EM, TS, CD, NW */
    or $0x80010023, %eax                /* PG | WP | NE | MP | PE */
    mov %eax, %cr0
    ljmp $GDT_CODE64, $long_entry

    .code64
long_entry:
    mov $GDT_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov $boot_stack_top, %rsp
    fninit
    mov %edi, %edi
    call guest_main
    mov %eax, %edi
    call guest_exit
3:  hlt
    jmp 3b

    .section .data
    .align 16
    .globl gdt
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff            /* 0x08 code32 */
    .quad 0x00af9a000000ffff            /* 0x10 code64 */
    .quad 0x00cf92000000ffff            /* 0x18 data */
    .quad 0x00cffa000000ffff            /* 0x20 user code32 (sysret pairing) */
    .quad 0x00cff2000000ffff            /* 0x28 user data */
    .quad 0x00affa000000ffff            /* 0x30 user code64 */
    .quad 0, 0                          /* 0x38 TSS (filled by the runtime) */
    .quad 0x00009a000000ffff            /* 0x48 code16, base 0 limit 64K */
    .quad 0x000092000000ffff            /* 0x50 data16 */
gdt_end:
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .section .bss
    .align 4096
    .globl boot_pml4
boot_pml4: .skip 4096
    .globl boot_pdpt
boot_pdpt: .skip 4096
boot_pd:   .skip 4096
    .align 16
    .skip 16384
    .globl boot_stack_top
boot_stack_top:
