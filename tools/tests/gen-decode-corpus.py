#!/usr/bin/env python3
"""gen-decode-corpus.py - regenerate the instruction corpus in decode-corpus.h.

The corpus below is assembly text (Intel syntax). For each line this script
assembles it with GNU as, takes the bytes and the length from labels placed
around it, and checks the length independently against objdump's
disassembly (-M intel64 for 64-bit code: Wren follows Intel where the
vendors differ). It then rewrites the table between the BEGIN/END markers in
decode-corpus.h. The test itself needs no binutils.

    tools/tests/gen-decode-corpus.py          rewrite decode-corpus.h
    tools/tests/gen-decode-corpus.py --check  fail if it is out of date

Line format:  MODE CLASS INSTRUCTION
  MODE   32 (protected/compatibility mode) or 64
  CLASS  -  X86_INSN_OTHER
         store, load, stos, movs: the class, with its usual access
         alu-r, alu-rw: X86_INSN_ALU_MEM reading, or reading and writing
  INSTRUCTION  one instruction; ';' separates statements, so odd encodings
         can be spelled with .byte (objdump still checks their length).
"""
import os
import re
import subprocess
import sys
import tempfile

CORPUS = r"""
# --- moves to memory (X86_INSN_MOV_STORE) ---
32 store mov byte ptr [eax], cl
32 store mov dword ptr [eax], ecx
32 store mov word ptr [eax], cx
32 store mov byte ptr [ebx+4], ah
32 store mov dword ptr [ebx+0x12345678], edx
32 store mov dword ptr [esp], eax
32 store mov dword ptr [esp+8], eax
32 store mov dword ptr [ebp], eax
32 store mov dword ptr [ebp+ecx*4+0x10], esi
32 store mov dword ptr [eax*8+0x1000], edi
32 store mov dword ptr ds:0x12345678, ecx
32 store mov byte ptr [eax], 0x12
32 store mov word ptr [eax], 0x1234
32 store mov dword ptr [eax], 0x12345678
32 store mov dword ptr [ebx+ecx*2+0x10], 0x12345678
32 store mov byte ptr ds:0x12345678, 0x12
32 store mov ds:0x12345678, al
32 store mov ds:0x12345678, eax
32 store mov ds:0x12345678, ax
32 store mov word ptr [bx+si], ax
32 store mov dword ptr [bp+di+5], eax
32 store mov byte ptr [bx+0x1234], 5
32 store mov word ptr [0x1234], 0x5678
32 store addr16 mov ds:0x1234, al
32 store mov fs:[ebx], eax
32 store mov es:[edi], eax
32 store mov gs:[0x10], eax
32 store .byte 0x2e; mov dword ptr [eax], ecx
32 store .byte 0x36; mov dword ptr [eax], ecx
32 store .byte 0x3e; mov dword ptr [eax], ecx
64 store mov byte ptr [rax], cl
64 store mov dword ptr [rax], ecx
64 store mov qword ptr [rax], rcx
64 store mov word ptr [rax], cx
64 store mov byte ptr [rax], sil
64 store mov byte ptr [rax], spl
64 store mov byte ptr [rax], r8b
64 store mov qword ptr [r12], r13
64 store mov qword ptr [r13], r14
64 store mov dword ptr [r9+r10*4+0x10], r8d
64 store mov qword ptr [rsp+r12*1], rax
64 store mov qword ptr [rip+0x12345678], rax
64 store mov dword ptr [rip-4], eax
64 store mov byte ptr [rip+0x10], 0x5
64 store mov word ptr [rip+0x10], 0x1234
64 store mov dword ptr [rip+0x10], 0x12345678
64 store mov qword ptr [rip+0x10], -1
64 store mov qword ptr [rax+rbx*8+0x12345678], 0x12345678
64 store mov dword ptr [0x1234], eax
64 store mov dword ptr [ecx], eax
64 store mov dword ptr [eip+0x10], eax
64 store movabs ds:0x1122334455667788, al
64 store movabs ds:0x1122334455667788, rax
64 store addr32 mov ds:0x12345678, eax
64 store mov gs:[0x28], rax
64 store mov fs:[rbx], ecx
# --- moves from memory (X86_INSN_MOV_LOAD) ---
32 load mov cl, byte ptr [eax]
32 load mov ecx, dword ptr [eax]
32 load mov cx, word ptr [eax]
32 load mov eax, dword ptr [esi+edi*2-8]
32 load mov al, ds:0x12345678
32 load mov eax, ds:0x12345678
32 load mov ax, ds:0x12345678
32 load movzx eax, byte ptr [ebx]
32 load movzx eax, word ptr [ebx]
32 load movsx eax, byte ptr [ebx]
32 load movsx eax, word ptr [ebx]
32 load movzx ax, byte ptr [ebx]
32 load mov ax, [bx+si]
32 load mov eax, [bp+0x10]
32 load mov ax, [0x1234]
64 load mov cl, byte ptr [rax]
64 load mov ecx, dword ptr [rax]
64 load mov rcx, qword ptr [rax]
64 load mov r15, qword ptr [r15+r15*2+0x7f]
64 load mov dil, byte ptr [rbx]
64 load mov rax, qword ptr [rip+0x1000]
64 load movabs al, ds:0x1122334455667788
64 load movabs eax, ds:0x1122334455667788
64 load movabs rax, ds:0x1122334455667788
64 load addr32 mov eax, ds:0x12345678
64 load movzx eax, byte ptr [rbx]
64 load movzx r8d, word ptr [r9]
64 load movsx rax, byte ptr [rbx]
64 load movsx rax, word ptr [rip+0x10]
64 load movsxd rax, dword ptr [rbx]
64 load movsxd rax, dword ptr [rip+0x10]
# --- string instructions ---
32 stos stosb
32 stos stosd
32 stos stosw
32 stos rep stosb
32 stos rep stosd
32 stos addr16 rep stosd
32 movs movsb
32 movs movsd
32 movs rep movsb
32 movs rep movsd
32 movs rep movsw
32 movs .byte 0x64; movsb
64 stos stosq
64 stos rep stosq
64 stos rep stosb
64 stos addr32 rep stosd
64 movs movsq
64 movs rep movsq
64 movs rep movsb
64 movs addr32 rep movsb
32 - lodsb
32 - lodsd
32 - rep lodsb
32 - scasb
32 - repne scasb
32 - repe cmpsb
32 - cmpsd
32 - insb
32 - rep insd
32 - outsb
32 - rep outsw
64 - lodsq
64 - repne scasq
# --- ALU on memory: add/or/adc/sbb/and/sub/xor/cmp, all six forms ---
32 alu-rw add byte ptr [eax], cl
32 alu-rw add dword ptr [eax], ecx
32 alu-r add cl, byte ptr [eax]
32 alu-r add ecx, dword ptr [eax]
32 - add al, 0x12
32 - add eax, 0x12345678
32 - add ax, 0x1234
32 alu-rw or byte ptr [eax], cl
32 alu-rw or dword ptr [eax], ecx
32 alu-r or cl, byte ptr [eax]
32 alu-r or ecx, dword ptr [eax]
32 - or al, 0x12
32 - or eax, 0x12345678
32 alu-rw adc byte ptr [eax], cl
32 alu-rw adc dword ptr [eax], ecx
32 alu-r adc ecx, dword ptr [eax]
32 - adc eax, 0x12345678
32 alu-rw sbb byte ptr [eax], cl
32 alu-rw sbb dword ptr [eax], ecx
32 alu-r sbb ecx, dword ptr [eax]
32 - sbb al, 1
32 alu-rw and byte ptr [eax], cl
32 alu-rw and dword ptr [eax], ecx
32 alu-r and cl, byte ptr [eax]
32 - and eax, 0x12345678
32 alu-rw sub byte ptr [eax], cl
32 alu-rw sub dword ptr [eax], ecx
32 alu-r sub ecx, dword ptr [eax]
32 - sub al, 0x12
32 alu-rw xor byte ptr [eax], cl
32 alu-rw xor dword ptr [eax], ecx
32 alu-r xor ecx, dword ptr [eax]
32 - xor eax, 0x12345678
32 alu-r cmp byte ptr [eax], cl
32 alu-r cmp dword ptr [eax], ecx
32 alu-r cmp cl, byte ptr [eax]
32 alu-r cmp ecx, dword ptr [eax]
32 - cmp al, 0x12
32 - cmp eax, 0x12345678
32 - add ecx, ebx
32 - xor eax, eax
32 alu-rw add byte ptr [eax], 0x12
32 alu-rw or dword ptr [eax], 0x12345678
32 alu-rw add word ptr [eax], 0x1234
32 alu-rw add dword ptr [eax], -1
32 alu-rw add word ptr [eax], -1
32 alu-rw and byte ptr [ebx+ecx*4+0x10], 0x7f
32 alu-r cmp dword ptr [eax], 0x12345678
32 alu-r cmp byte ptr [eax], 0x12
32 alu-r cmp dword ptr [eax], 1
32 alu-rw .byte 0x82, 0x00, 0x12
32 - add ecx, 0x12345678
32 - sub ecx, 5
32 alu-r test byte ptr [eax], cl
32 alu-r test dword ptr [eax], ecx
32 alu-r test byte ptr [eax], 0x12
32 alu-r test dword ptr [eax], 0x12345678
32 alu-r test word ptr [eax], 0x1234
32 alu-r .byte 0xf6, 0x08, 0x12
32 alu-r .byte 0xf7, 0x08, 0x78, 0x56, 0x34, 0x12
32 - test al, 0x12
32 - test eax, 0x12345678
32 - test ecx, ecx
32 alu-rw not byte ptr [eax]
32 alu-rw not dword ptr [eax]
32 alu-rw neg byte ptr [eax]
32 alu-rw neg dword ptr [ebx+0x10]
32 - mul dword ptr [eax]
32 - imul dword ptr [eax]
32 - div byte ptr [eax]
32 - idiv dword ptr [eax]
32 - not eax
32 - neg ecx
32 - mul ecx
32 alu-rw inc byte ptr [eax]
32 alu-rw inc dword ptr [eax]
32 alu-rw dec byte ptr [eax]
32 alu-rw dec word ptr [eax]
32 - inc eax
32 - dec ecx
32 alu-rw xchg byte ptr [eax], cl
32 alu-rw xchg dword ptr [eax], ecx
32 - xchg ecx, ebx
32 alu-r bt dword ptr [eax], ecx
32 alu-rw bts dword ptr [eax], ecx
32 alu-rw btr dword ptr [eax], ecx
32 alu-rw btc dword ptr [eax], ecx
32 alu-r bt dword ptr [eax], 5
32 alu-rw bts dword ptr [eax], 5
32 alu-rw btr word ptr [eax], 5
32 alu-rw btc dword ptr [eax], 5
32 - bt eax, 5
32 alu-rw cmpxchg byte ptr [eax], cl
32 alu-rw cmpxchg dword ptr [eax], ecx
32 alu-rw xadd byte ptr [eax], cl
32 alu-rw xadd dword ptr [eax], ecx
64 alu-rw add qword ptr [rax], rcx
64 alu-rw add qword ptr [rip+0x10], 0x12345678
64 alu-rw add qword ptr [rip+0x10], 1
64 alu-rw or byte ptr [rip+0x10], 0x80
64 alu-r cmp qword ptr [r8+r9*8], -1
64 alu-r test qword ptr [rax], 0x12345678
64 alu-r test byte ptr [rip+0x10], 1
64 alu-rw neg qword ptr [rax]
64 alu-rw inc qword ptr [r11]
64 alu-rw dec dword ptr [rip]
64 alu-rw xchg qword ptr [rax], r10
64 alu-rw bts qword ptr [rax], 63
64 alu-rw btr qword ptr [rax], rcx
64 alu-rw cmpxchg qword ptr [rdi], rsi
64 alu-rw xadd qword ptr [rdi], rsi
64 alu-r and r8b, byte ptr [r9]
64 alu-r sub r8, qword ptr [r9]
64 alu-rw sub word ptr [rax], 0x1234
# --- lock ---
32 alu-rw lock add dword ptr [eax], ecx
32 alu-rw lock or byte ptr [eax], 1
32 alu-rw lock adc dword ptr [eax], ecx
32 alu-rw lock sbb dword ptr [eax], 0x12345678
32 alu-rw lock and dword ptr [eax], ecx
32 alu-rw lock sub dword ptr [eax], ecx
32 alu-rw lock xor dword ptr [eax], ecx
32 alu-rw lock inc dword ptr [eax]
32 alu-rw lock dec byte ptr [eax]
32 alu-rw lock not dword ptr [eax]
32 alu-rw lock neg dword ptr [eax]
32 alu-rw lock xchg dword ptr [eax], ecx
32 alu-rw lock bts dword ptr [eax], ecx
32 alu-rw lock btc dword ptr [eax], 3
32 alu-rw lock cmpxchg dword ptr [eax], ecx
32 alu-rw lock xadd dword ptr [eax], ecx
32 - lock cmpxchg8b qword ptr [eax]
64 alu-rw lock add qword ptr [rip+0x10], 1
64 alu-rw lock cmpxchg qword ptr [rax], rcx
64 alu-rw lock xadd dword ptr [rbx+rcx*4], eax
64 alu-rw lock btr qword ptr [rax], 3
64 - lock cmpxchg16b xmmword ptr [rax]
64 alu-rw .byte 0x2e; lock add qword ptr [rax+rbx*1+0x12345678], 0x12345678
32 - .byte 0xf0, 0x0f, 0x22, 0xc0
# --- immediates of every size ---
32 - mov al, 0x12
32 - mov ah, 0x12
32 - mov eax, 0x12345678
32 - mov ax, 0x1234
32 - mov ecx, 0
64 - mov r8b, 0x12
64 - mov eax, 0x12345678
64 - mov r9d, 0x12345678
64 - mov ax, 0x1234
64 - movabs rax, 0x1122334455667788
64 - movabs r15, 0x1122334455667788
64 - mov rax, 0x12345678
64 - mov rax, -1
32 - push 0x12345678
32 - push 5
32 - pushw 0x1234
64 - push 0x12345678
64 - push 5
64 - pushw 0x1234
32 - imul eax, dword ptr [ebx], 0x12345
32 - imul eax, ebx, 5
32 - imul ax, bx, 0x1234
64 - imul rax, qword ptr [rip+0x10], 0x12345
32 - ret
32 - ret 8
32 - retf
32 - retf 8
64 - ret 8
64 - .byte 0xca, 0x08, 0x00
32 - enter 16, 1
64 - enter 0x1000, 0
32 - int3
32 - int 0x80
32 - into
32 - in al, 0x60
32 - in eax, 0x60
32 - out 0x80, al
32 - out 0x80, ax
32 - in al, dx
32 - out dx, eax
32 - aam
32 - aad 10
32 - rol byte ptr [eax], 3
32 - shl dword ptr [eax], 3
32 - shl dword ptr [eax], 1
32 - shr byte ptr [eax], cl
32 - sar word ptr [eax], 1
32 - shld eax, ebx, 5
32 - shld dword ptr [eax], ebx, 5
32 - shrd dword ptr [eax], ebx, cl
32 - shrd ax, bx, 3
32 - xabort 5
32 - xbegin .+0x100
32 - .byte 0x66, 0xc7, 0xf8, 0x00, 0x01
64 - xbegin .+0x100
64 - .byte 0x66, 0xc7, 0xf8, 0x00, 0x01
# --- relative branches ---
32 - jmp .+2
32 - jmp .+0x1000
32 - .byte 0x66, 0xe9, 0x00, 0x10
32 - call .+0x1000
32 - .byte 0x66, 0xe8, 0x00, 0x10
32 - jz .+2
32 - jz .+0x1000
32 - .byte 0x66, 0x0f, 0x84, 0x00, 0x10
32 - loop .
32 - loope .
32 - loopne .
32 - jecxz .
64 - jmp .+2
64 - jmp .+0x1000
64 - .byte 0x66, 0xe9, 0x00, 0x10, 0x00, 0x00
64 - call .+0x1000
64 - .byte 0x66, 0xe8, 0x00, 0x10, 0x00, 0x00
64 - jnz .+0x1000
64 - .byte 0x66, 0x0f, 0x85, 0x00, 0x10, 0x00, 0x00
64 - jrcxz .
64 - loop .
# --- far pointers and indirect branches ---
32 - jmp 0x10:0x12345678
32 - call 0x10:0x12345678
32 - .byte 0x66, 0xea, 0x34, 0x12, 0x10, 0x00
32 - .byte 0x66, 0x9a, 0x34, 0x12, 0x10, 0x00
32 - jmp fword ptr [eax]
32 - call fword ptr [eax]
32 - jmp dword ptr [eax]
32 - call eax
64 - jmp qword ptr [rax]
64 - call qword ptr [rip+0x10]
64 - call rax
64 - jmp r11
64 - jmp fword ptr [rax]
64 - rex.w jmp fword ptr [rax]
64 - push qword ptr [rax]
64 - pop qword ptr [rax]
32 - push dword ptr [eax]
32 - pop dword ptr [eax]
# --- prefixes: repeated, reordered, REX placement ---
32 store .byte 0x66, 0x66; mov word ptr [eax], cx
32 store .byte 0x26, 0x2e, 0x36, 0x3e, 0x64; mov dword ptr [eax], ecx
32 store .byte 0x67, 0x66, 0xc7, 0x07, 0x34, 0x12
32 store .byte 0x66, 0x67, 0xc7, 0x07, 0x34, 0x12
32 stos .byte 0xf2, 0xf3; stosb
32 stos .byte 0xf3, 0xf2; stosb
64 store .byte 0x48, 0x66, 0x89, 0x08
64 store .byte 0x41, 0x48, 0x89, 0x08
64 store .byte 0x66, 0x48, 0x89, 0x08
64 store .byte 0x67, 0x66, 0x41, 0xc7, 0x00, 0x34, 0x12
64 store .byte 0x65, 0x67, 0x48, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12
64 store .byte 0xf3, 0x48, 0x89, 0x08
64 alu-rw .byte 0x2e; lock add qword ptr [eax+ebx*1+0x12345678], 0x12345678
64 - .byte 0x48; nop
64 - .byte 0x41; nop
64 - pause
# --- the rest of the one-byte map ---
32 - nop
32 - xchg eax, ebx
32 - cbw
32 - cwde
32 - cdq
32 - cwd
64 - cdqe
64 - cqo
32 - fwait
32 - pushfd
32 - popfd
32 - pushf
64 - pushfq
64 - popfq
32 - sahf
32 - lahf
32 - xlat
32 - hlt
32 - cmc
32 - clc
32 - stc
32 - cli
32 - sti
32 - cld
32 - std
32 - .byte 0xf1
32 - leave
32 - iretd
64 - iretq
32 - push eax
32 - pop edi
64 - push r12
64 - pop rbp
64 - pushw ax
32 - push es
32 - push cs
32 - push ss
32 - push ds
32 - pop es
32 - pop ss
32 - pop ds
32 - pushad
32 - popad
32 - daa
32 - das
32 - aaa
32 - aas
32 - bound eax, qword ptr [ebx]
32 - arpl word ptr [eax], bx
32 - les eax, fword ptr [ebx]
32 - lds eax, fword ptr [ebx]
32 - lea eax, [ebx+ecx*2+4]
32 - lea eax, [0x12345678]
64 - lea rax, [rip+0x10]
64 - lea r8, [rsp+r9*8]
32 - mov word ptr [eax], es
32 - mov eax, ds
32 - mov ds, ax
32 - mov ss, word ptr [eax]
32 - mov bl, 0x12
64 - mov word ptr [rax], ss
32 - fld dword ptr [eax]
32 - fadd st, st(1)
32 - fnstsw ax
32 - fistp qword ptr [eax]
32 - fldz
32 - fnstenv [eax]
32 - fld tbyte ptr [ebx+ecx*8+0x100]
64 - fld qword ptr [rip+0x10]
# --- the 0F map ---
32 - sldt word ptr [eax]
32 - str eax
32 - lldt ax
32 - ltr word ptr [eax]
32 - verr word ptr [eax]
32 - verw ax
32 - sgdt [eax]
32 - lgdt [eax]
32 - lidt [eax+0x12345678]
32 - smsw eax
32 - lmsw ax
32 - invlpg [eax]
32 - vmcall
32 - vmlaunch
32 - vmresume
32 - vmxoff
32 - monitor
32 - mwait
32 - xgetbv
32 - xsetbv
32 - vmrun
32 - vmmcall
32 - vmload
32 - stgi
32 - clgi
32 - rdtscp
32 - lar eax, word ptr [eax]
32 - lsl eax, ecx
32 - clts
32 - invd
32 - wbinvd
32 - ud2
32 - ud1 eax, dword ptr [ebx]
32 - ud0 eax, dword ptr [ebx]
32 - prefetchw byte ptr [eax]
32 - prefetchnta byte ptr [eax]
32 - prefetcht0 byte ptr [eax+0x10]
32 - femms
32 - pfadd mm0, mm1
32 - pfmul mm0, qword ptr [eax+4]
32 - pi2fd mm2, qword ptr [ebx+ecx*2]
32 - nop dword ptr [eax]
32 - nop dword ptr [eax+eax*1+0]
32 - nop word ptr [eax+eax*1+0x12345678]
32 - endbr32
64 - endbr64
32 - mov eax, cr0
32 - mov cr3, eax
32 - mov eax, dr7
32 - mov dr0, ecx
32 - .byte 0x0f, 0x20, 0x00
32 - .byte 0x0f, 0x22, 0x58
32 - .byte 0x0f, 0x21, 0x80
64 - mov rax, cr8
64 - mov cr8, rax
64 - mov rax, cr3
64 - .byte 0x0f, 0x20, 0x05
32 - wrmsr
32 - rdtsc
32 - rdmsr
32 - rdpmc
32 - sysenter
32 - sysexit
64 - syscall
64 - .byte 0x0f, 0x07
64 - swapgs
32 - getsec
32 - cmovz eax, dword ptr [ebx]
32 - cmovnz ax, word ptr [ebx+0x10]
64 - cmovg rax, qword ptr [rip+0x10]
32 - movups xmm0, [eax]
32 - movaps xmmword ptr [eax], xmm1
32 - movss xmm0, dword ptr [eax]
32 - movsd xmm0, qword ptr [eax]
32 - movupd xmm0, [eax]
32 - movdqa xmm0, [eax+0x10]
32 - movdqu xmmword ptr [eax], xmm7
32 - movd mm0, dword ptr [eax]
32 - movd xmm0, eax
32 - movq mm0, qword ptr [eax]
32 - paddd xmm0, xmm1
32 - pxor mm0, mm1
32 - cvtsi2sd xmm0, dword ptr [eax]
32 - sqrtps xmm0, xmm1
32 - pshufw mm0, mm1, 0x1b
32 - pshufd xmm0, xmm1, 0x1b
32 - pshuflw xmm0, xmmword ptr [eax], 0x1b
32 - psrlw mm0, 3
32 - pslld xmm0, 3
32 - psrldq xmm0, 4
32 - pcmpeqb xmm0, xmm1
32 - emms
32 - vmread dword ptr [eax], ebx
32 - vmwrite ebx, dword ptr [eax]
32 - extrq xmm0, 3, 4
32 - insertq xmm0, xmm1, 3, 4
32 - extrq xmm0, xmm1
32 - insertq xmm0, xmm1
64 - vmread qword ptr [rax], rbx
64 - extrq xmm8, 3, 4
32 - haddpd xmm0, xmm1
32 - seto byte ptr [eax]
32 - setz al
64 - setnz byte ptr [rip+0x10]
32 - push fs
32 - pop gs
64 - push fs
64 - pop gs
32 - cpuid
32 - rsm
32 - fxsave [eax]
32 - fxrstor [eax]
32 - ldmxcsr dword ptr [eax]
32 - xsave [eax]
32 - clflush byte ptr [eax]
32 - lfence
32 - mfence
32 - sfence
64 - rdfsbase rax
64 - wrgsbase r8
32 - imul eax, dword ptr [ebx]
32 - lss eax, fword ptr [ebx]
32 - lfs eax, fword ptr [ebx]
32 - lgs ax, dword ptr [ebx]
32 - popcnt eax, dword ptr [ebx]
32 - tzcnt eax, dword ptr [ebx]
32 - lzcnt eax, ecx
32 - bsf eax, dword ptr [ebx]
32 - bsr eax, ecx
32 - cmpps xmm0, xmm1, 3
32 - cmpsd xmm0, qword ptr [eax], 1
32 - movnti dword ptr [eax], ebx
64 - movnti qword ptr [rax], rbx
32 - pinsrw mm0, eax, 2
32 - pinsrw xmm0, word ptr [eax], 2
32 - pextrw eax, mm0, 1
32 - shufps xmm0, xmm1, 0x44
32 - vmptrld qword ptr [eax]
32 - vmclear qword ptr [eax]
32 - vmxon qword ptr [eax]
32 - vmptrst qword ptr [eax]
32 - rdrand eax
32 - rdseed ecx
32 - xsaves [eax]
32 - bswap eax
64 - bswap r12
64 - bswap rax
32 - psubb xmm0, xmm1
32 - pmaddwd mm0, qword ptr [eax]
32 - maskmovq mm0, mm1
32 - movntdq xmmword ptr [eax], xmm0
32 - lddqu xmm0, [eax]
32 - movq2dq xmm0, mm1
# --- the 0F 38 and 0F 3A maps ---
32 - pshufb mm0, mm1
32 - pshufb xmm0, xmmword ptr [eax]
32 - pmulhrsw xmm0, xmm1
32 - ptest xmm0, xmm1
32 - pmovzxbw xmm0, qword ptr [eax]
32 - pminsd xmm0, xmm1
32 - aesenc xmm0, xmm1
32 - sha1msg1 xmm0, xmm1
32 - movbe eax, dword ptr [ebx]
32 - movbe word ptr [ebx], ax
32 - crc32 eax, byte ptr [ebx]
32 - crc32 eax, dword ptr [ebx]
32 - adcx eax, dword ptr [ebx]
32 - adox eax, ecx
32 - invept eax, xmmword ptr [ebx]
32 - invpcid eax, xmmword ptr [ebx]
64 - invpcid rax, xmmword ptr [rip+0x10]
64 - crc32 rax, qword ptr [r9+r10*2+0x100]
64 - movbe r8, qword ptr [rax]
32 - palignr mm0, mm1, 3
32 - palignr xmm0, xmmword ptr [eax], 3
32 - roundps xmm0, xmm1, 1
32 - blendps xmm0, xmm1, 5
32 - pextrb eax, xmm0, 1
32 - pextrd dword ptr [eax], xmm0, 1
32 - pinsrd xmm0, dword ptr [eax+0x12345678], 1
32 - insertps xmm0, xmm1, 0x10
32 - dpps xmm0, xmm1, 0xff
32 - mpsadbw xmm0, xmm1, 1
32 - pclmulqdq xmm0, xmm1, 0x11
32 - pcmpestri xmm0, xmm1, 0
32 - pcmpistrm xmm0, xmmword ptr [eax], 0x40
32 - sha1rnds4 xmm0, xmm1, 1
32 - aeskeygenassist xmm0, xmm1, 1
32 - gf2p8affineqb xmm0, xmm1, 1
64 - pextrq rax, xmm0, 1
64 - pinsrq xmm8, qword ptr [rip+0x10], 1
64 - roundsd xmm0, qword ptr [rip+0x10], 4
"""

ROW_RE = re.compile(r'^(32|64)\s+(\S+)\s+(.*)$')
CLASSES = {
    '-': ('X86_INSN_OTHER', '0'),
    'store': ('X86_INSN_MOV_STORE', 'X86_MEM_WRITE'),
    'load': ('X86_INSN_MOV_LOAD', 'X86_MEM_READ'),
    'stos': ('X86_INSN_STOS', 'X86_MEM_WRITE'),
    'movs': ('X86_INSN_MOVS', 'RMW'),
    'alu-r': ('X86_INSN_ALU_MEM', 'X86_MEM_READ'),
    'alu-rw': ('X86_INSN_ALU_MEM', 'RMW'),
}
# objdump prints a prefix the CPU ignores (a REX before a legacy prefix)
# as an instruction of its own; such a line joins the next one.
BARE_PREFIX = re.compile(r'^(rex(\.[WRXB]+)?|data16|addr32|addr16|lock|'
                         r'rep[a-z]*|[cdefgs]s)$')
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, 'decode-corpus.h')
BEGIN = '/* BEGIN generated by gen-decode-corpus.py: do not edit */\n'
END = '/* END generated */\n'


def parse():
    rows = []
    for n, line in enumerate(CORPUS.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = ROW_RE.match(line)
        if not m or m.group(2) not in CLASSES:
            sys.exit(f'corpus line {n}: cannot parse: {line}')
        rows.append((int(m.group(1)), m.group(2), m.group(3)))
    return rows


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def assemble(mode, texts, tmp):
    src = os.path.join(tmp, f'c{mode}.s')
    obj = os.path.join(tmp, f'c{mode}.o')
    bin_ = os.path.join(tmp, f'c{mode}.bin')
    with open(src, 'w') as f:
        f.write(f'.intel_syntax noprefix\n.code{mode}\n.text\n')
        for i, t in enumerate(texts):
            f.write(f'L{i}:\n{t}\n')
        f.write(f'L{len(texts)}:\n')
    try:
        run('as', f'--{mode}', '-o', obj, src)
    except subprocess.CalledProcessError as e:
        sys.exit(f'as failed ({mode}-bit):\n{e.stderr}')
    run('objcopy', '-O', 'binary', '-j', '.text', obj, bin_)
    code = open(bin_, 'rb').read()
    addr = {}
    for line in run('nm', obj).splitlines():
        v, _, name = line.split()
        if re.fullmatch(r'L\d+', name):
            addr[int(name[1:])] = int(v, 16)
    return code, [addr[i] for i in range(len(texts) + 1)], obj


def objdump_starts(mode, obj):
    """Instruction start offsets as objdump sees them, bare prefixes joined."""
    machine = 'intel,intel64' if mode == 64 else 'intel'
    starts, joined = [], False
    for line in run('objdump', '-d', '-M', machine, '--insn-width=16', obj).splitlines():
        m = re.match(r'^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$', line)
        if not m:
            continue
        if not joined:
            starts.append(int(m.group(1), 16))
        joined = bool(BARE_PREFIX.match(m.group(2).strip()))
    return starts


def build(rows, tmp):
    out = []
    for mode in (32, 64):
        sel = [r for r in rows if r[0] == mode]
        code, addr, obj = assemble(mode, [r[2] for r in sel], tmp)
        starts = objdump_starts(mode, obj)
        for i, (_, cls, text) in enumerate(sel):
            b = code[addr[i]:addr[i + 1]]
            if not 1 <= len(b) <= 15:
                sys.exit(f'{mode}-bit "{text}": {len(b)} bytes')
            inside = [s for s in starts if addr[i] <= s < addr[i + 1]]
            if inside != [addr[i]]:
                sys.exit(f'{mode}-bit "{text}": objdump disagrees on the length '
                         f'(starts {inside}, bytes {b.hex()})')
            out.append((mode, cls, text, b))
    return out


def c_table(entries):
    lines = [BEGIN]
    for mode, cls, text, b in entries:
        klass, access = CLASSES[cls]
        body = ', '.join(f'0x{x:02x}' for x in b)
        text = text.replace('\\', '\\\\').replace('"', '\\"')
        lines.append(f'    {{ M{mode}, {klass}, {access}, {len(b)}, {{ {body} }},\n'
                     f'      "{text}" }},\n')
    lines.append(END)
    return ''.join(lines)


def main():
    rows = parse()
    with tempfile.TemporaryDirectory() as tmp:
        table = c_table(build(rows, tmp))
    src = open(TARGET).read()
    if BEGIN not in src or END not in src:
        sys.exit(f'{TARGET}: markers not found')
    head, rest = src.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    new = head + table + tail
    if '--check' in sys.argv[1:]:
        if new != src:
            sys.exit('decode-corpus.h is out of date: run gen-decode-corpus.py')
        print(f'corpus up to date ({len(rows)} instructions)')
        return
    with open(TARGET, 'w') as f:
        f.write(new)
    print(f'wrote {len(rows)} instructions to {TARGET}')


if __name__ == '__main__':
    main()
