/*
 * arm64-frame.h - assembler macros for the one register-frame layout
 * every arm64 exception entry of this tree uses (the hypervisor at EL2,
 * the XTF runtime and dom0's runtime at EL1, the stage-2 probe): x0-x30
 * in pairs from [sp, #0], x30 at #240, then each entry's own words.
 * The vector stubs store x0/x1 themselves; these move the rest.
 *
 * For .S files only (preprocessed). May not touch: anything but the
 * registers and frame words it names; it defines macros and nothing else.
 */
#ifndef WREN_ARM64_FRAME_H
#define WREN_ARM64_FRAME_H

/* Assembler, not C: clang-format keeps out. */
/* clang-format off */

/* x2-x17 to [sp, #16] .. [sp, #128]: the part both kinds share. */
.macro frame_save_x2_x17
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
.endm

.macro frame_load_x2_x17
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldp     x8, x9, [sp, #64]
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
.endm

/* x2-x29 to [sp, #16] .. [sp, #224]: a whole frame. */
.macro frame_save_x2_x29
        frame_save_x2_x17
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
.endm

.macro frame_load_x2_x29
        frame_load_x2_x17
        ldp     x18, x19, [sp, #144]
        ldp     x20, x21, [sp, #160]
        ldp     x22, x23, [sp, #176]
        ldp     x24, x25, [sp, #192]
        ldp     x26, x27, [sp, #208]
        ldp     x28, x29, [sp, #224]
.endm

/* The caller-saved x2-x18 and the frame pointer x29 (x18 and x29 share
 * x18's pair slot): enough around a call into C that keeps x19-x28. */
.macro frame_save_caller
        frame_save_x2_x17
        stp     x18, x29, [sp, #144]
.endm

.macro frame_load_caller
        frame_load_x2_x17
        ldp     x18, x29, [sp, #144]
.endm

/* clang-format on */

#endif /* WREN_ARM64_FRAME_H */
