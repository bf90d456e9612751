/*
 * main.c - dom0's program: start the services (services.c), then run a
 * script (command line "script=/path") or the interactive shell.
 *
 * May not touch: the runtime; a service's internals.
 */
#include <stdio.h>
#include <string.h>
#include "dom0.h"

int dom0_services_start(void);

int main(int argc, char **argv)
{
    const char *script = NULL;
    for ( int i = 1; i < argc; i++ )
        if ( !strncmp(argv[i], "script=", 7) )
            script = argv[i] + 7;
        else if ( !strcmp(argv[i], "verdict=peer") )
            dom0_peer_verdict = true;
    if ( dom0_services_start() )
    {
        if ( script )
            printf("%s result: FAILURE (a service did not start)\n",
                   dom0_peer_verdict ? "Peer" : "Test");
        return 1;
    }
    return script ? dom0_script(script) : dom0_shell();
}
