/*
 * hvm_context.c (arm64) - xtf_hvm_context_sample (xtf/build.h) for calls
 * that must be refused before the context is read (a domU's
 * sethvmcontext: -EPERM): zeroes of XTF_HVM_CTX_ONE bytes. Arm's records
 * are part arm-save's; nothing here builds them. Touches only buf.
 */
#include <xtf.h>
#include <xtf/build.h>

uint32_t xtf_hvm_context_sample(void *buf)
{
    memset(buf, 0, XTF_HVM_CTX_ONE);
    return XTF_HVM_CTX_ONE;
}
