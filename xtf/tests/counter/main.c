/*
 * counter - helper domU for the "pause" test.
 *
 * Increments the uint64_t at guest-physical WREN_TEST_COUNTER_GPA for
 * ever, without hypercalls, so that it only stops when the hypervisor
 * stops it. Prints no verdict. If that address is not RAM in its memory
 * map, it says so and crashes, which the controller sees as "counter
 * stuck".
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "pause helper: counter";

static bool counter_is_ram(void)
{
    const struct hvm_memmap_table_entry *map =
        (const void *)(uintptr_t)xtf_start_info->memmap_paddr;

    for ( unsigned int i = 0; i < xtf_start_info->memmap_entries; i++ )
        if ( map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= WREN_TEST_COUNTER_GPA &&
             map[i].addr + map[i].size >= WREN_TEST_COUNTER_GPA + 8 )
            return true;
    return false;
}

void test_main(void)
{
    volatile uint64_t *c = (volatile uint64_t *)WREN_TEST_COUNTER_GPA;

    if ( !counter_is_ram() )
    {
        printf("%#lx is not RAM in my memory map\n", WREN_TEST_COUNTER_GPA);
        xtf_shutdown(SHUTDOWN_crash);
    }
    printf("Counting at %#lx\n", WREN_TEST_COUNTER_GPA);
    *c = 0;
    for ( ;; )
        (*c)++;
}
