/* SPDX-License-Identifier: MIT */
/*
 * Code addresses as names, for slub_debug's call sites and kmemleak: the
 * dynamic symbol table through dladdr(), as the kernel's %pS prints them
 * ("func+0x1c/0x80"). A function the dynamic table does not export (a
 * static one, or a program linked without -rdynamic) prints in hex.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#include <kmm/platform.h>

void kmm_plat_symbol(unsigned long ip, char *buf, size_t len)
{
	Dl_info info;

	if (!len)
		return;
	if (ip && dladdr((void *)ip, &info) && info.dli_sname && info.dli_saddr) {
		snprintf(buf, len, "%s+0x%lx", info.dli_sname, ip - (unsigned long)info.dli_saddr);
		return;
	}
	snprintf(buf, len, "0x%lx", ip);
}
