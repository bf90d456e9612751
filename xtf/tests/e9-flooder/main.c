/*
 * e9-flooder - helper domU for the "e9-flood" test.
 *
 * Says once (through its PV console ring) that it starts, then writes
 * 64-byte lines to port 0xE9 for ever, one OUT a byte, as fast as its
 * vCPU runs. Prints no verdict; the controller pauses and unpauses it.
 */
#include <xtf.h>

const char test_title[] = "e9-flood helper: flooder";

void test_main(void)
{
    static const char line[] = "flood flood flood flood flood flood flood flood flood flood ..\n";

    printf("e9-flooder: writing to port 0xE9 for ever\n");
    for ( ;; )
        for ( unsigned int i = 0; i < sizeof(line) - 1; i++ )
            outb((uint8_t)line[i], 0xe9);
}
