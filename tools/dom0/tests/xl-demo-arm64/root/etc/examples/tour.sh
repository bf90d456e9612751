# The first session on arm64, run by dom0 itself when `make run ARCH=arm64`
# has no terminal (CI): the host, the domain list, a guest created,
# listed, watched on its console and destroyed.
xl info
xl list
xl create /etc/examples/spinner.cfg
xl list
wait-console 1 "spinner" 60
xl destroy spinner
xl list
