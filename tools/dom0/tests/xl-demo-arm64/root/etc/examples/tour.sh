# The first session on arm64, run by dom0 itself when `make run ARCH=arm64`
# has no terminal (CI): the host, and the domain list.
xl info
xl list
