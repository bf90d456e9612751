# dom0-runtime: each line is a dom0 command (tools/dom0/script.c); a line
# starting with '!' must fail. The selftests are tools/dom0/selftest.c.
echo "hello from dom0's script"
selftest stdio
selftest malloc
cat /etc/selftest.txt
selftest file
selftest tmp
ls /
selftest socket
selftest pipe
selftest clock
selftest privcmd
selftest evtchn
selftest poll
selftest tty
selftest nosys
selftest task
!cat /etc/no-such-file
!false
