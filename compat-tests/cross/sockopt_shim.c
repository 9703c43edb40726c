/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockopt_shim.c - test-only LD_PRELOAD object for compat-tests/cross:
 * qemu-user 7.2 (Debian 12's qemu-user-static) refuses every SOL_PACKET
 * socket option with ENOPROTOOPT (linux-user/syscall.c has no SOL_PACKET
 * case), so the emulated daemon cannot ask for PACKET_AUXDATA and gives up
 * on its DHCP socket.  No kernel since 2.6.21 refuses it.  This object,
 * loaded into the emulated program only (qemu -E LD_PRELOAD=...), turns
 * that refusal into success: the daemon then gets no auxiliary data, so it
 * verifies every UDP checksum itself and sees no VLAN tag (the test has
 * none).  Every other call, and every other error, goes to the kernel
 * unchanged.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	long rc = syscall(SYS_setsockopt, fd, level, name, val, len);

	if (rc < 0 && errno == ENOPROTOOPT && level == SOL_PACKET)
		return 0;
	return (int)rc;
}
