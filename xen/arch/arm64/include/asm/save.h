/*
 * save.h - arm64's HVM context records (save.c, vgic_save.c): the vGIC
 * record's three halves, which vgic_save.c keeps beside the vGIC's
 * state, for save.c's table. Common code never includes it.
 */
#ifndef ASM_SAVE_H
#define ASM_SAVE_H

#include <xen/types.h>

struct vcpu;
struct hvm_wren_arm_vgic;

void vgic_record_save(struct vcpu *v, struct hvm_wren_arm_vgic *r);
int vgic_record_check(struct vcpu *v, const struct hvm_wren_arm_vgic *r);
int vgic_record_load(struct vcpu *v, const struct hvm_wren_arm_vgic *r);

#endif /* ASM_SAVE_H */
