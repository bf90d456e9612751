# dom0-libs: each line is a dom0 command (tools/dom0/script.c). The
# selftest is tools/dom0/selftest-libs.c; domain 1 is the "counter" domU.
selftest libs
