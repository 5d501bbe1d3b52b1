/* SPDX-License-Identifier: MIT */
/*
 * The allocators kmm is compared with, found at run time, and the child
 * processes that run the workloads on them.
 *
 * A peer is a malloc library put in front of glibc's with LD_PRELOAD in a
 * child (`kmm-bench --child WORKLOAD`, a fresh exec of this program), so that
 * each runs in a process of its own, as a program linked with it would. Its
 * .so is looked for, in order: the environment (KMM_BENCH_JEMALLOC=PATH...),
 * the dynamic linker's cache (ldconfig -p), the directory of the libc in use
 * and the usual library directories, then dpkg's file lists. A candidate
 * must be an ELF object for this machine (ldconfig -p also lists other
 * architectures'). A peer not found is "not installed": a note, not an error.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

#include <kmm/kmm.h>

#include "bench.h"

extern char **environ;

struct peer_desc {
	const char *name;
	const char *env;		/* overrides the search: a path, or "none" */
	const char *package;		/* Debian's, for the "not installed" note */
	const char *sonames[3];
};

static const struct peer_desc peers[] = {
	{ "jemalloc", "KMM_BENCH_JEMALLOC", "libjemalloc2", { "libjemalloc.so.2", NULL } },
	{ "tcmalloc", "KMM_BENCH_TCMALLOC", "libtcmalloc-minimal4",
	  { "libtcmalloc_minimal.so.4", "libtcmalloc.so.4", NULL } },
	{ "mimalloc", "KMM_BENCH_MIMALLOC", "libmimalloc2.0", { "libmimalloc.so.2", NULL } },
};

/* ---- finding a .so ---- */

/* e_ident class and data, and e_machine, of an ELF file; false if it is not one. */
static bool elf_kind(const char *path, unsigned char ident[2], uint16_t *machine)
{
	unsigned char h[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, h, sizeof(h)) == (ssize_t)sizeof(h) && !memcmp(h, ELFMAG, SELFMAG);
	close(fd);
	if (ok) {
		ident[0] = h[EI_CLASS];
		ident[1] = h[EI_DATA];
		/* e_machine in the file's byte order */
		*machine = h[EI_DATA] == ELFDATA2LSB ? (uint16_t)(h[18] | h[19] << 8)
						     : (uint16_t)(h[18] << 8 | h[19]);
	}
	return ok;
}

/* A shared object this process could load? */
static bool usable(const char *path)
{
	static unsigned char self_ident[2];
	static uint16_t self_machine;
	static int self_known = -1;
	unsigned char ident[2];
	uint16_t machine;
	struct stat st;

	if (self_known < 0)
		self_known = elf_kind("/proc/self/exe", self_ident, &self_machine);
	if (stat(path, &st) || !S_ISREG(st.st_mode) || access(path, R_OK))
		return false;
	if (!elf_kind(path, ident, &machine))
		return false;
	return !self_known || (!memcmp(ident, self_ident, 2) && machine == self_machine);
}

/* Runs a shell command; its whole stdout in a malloc'd string, or NULL. */
static char *command_output(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb)
				break;
			buf = nb;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	pclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* ldconfig -p lines: "\tlibjemalloc.so.2 (libc6,x86-64) => /path/libjemalloc.so.2" */
static bool find_in_ldcache(const char *soname, char *out, size_t outlen)
{
	static char *cache;
	static bool tried;
	size_t sl = strlen(soname);

	if (!tried) {
		tried = true;
		/* ldconfig is in /sbin on systems whose users do not have it in PATH */
		cache = command_output("{ ldconfig -p || /sbin/ldconfig -p || "
				       "/usr/sbin/ldconfig -p; } 2>/dev/null");
	}
	for (const char *line = cache; line && *line;) {
		const char *end = strchrnul(line, '\n'), *name = line, *arrow;

		while (name < end && (*name == ' ' || *name == '\t'))
			name++;
		arrow = strstr(name, " => ");
		if (arrow && arrow < end && !strncmp(name, soname, sl) && name[sl] == ' ') {
			int len = (int)(end - (arrow + 4));

			snprintf(out, outlen, "%.*s", len, arrow + 4);
			if (usable(out))
				return true;
		}
		line = *end ? end + 1 : end;
	}
	return false;
}

static int find_libc_dir(struct dl_phdr_info *info, size_t size, void *data)
{
	const char *name = info->dlpi_name, *slash = strrchr(name, '/');

	(void)size;
	if (slash && !strncmp(slash + 1, "libc.so", 7)) {
		snprintf(data, PATH_MAX, "%.*s", (int)(slash - name), name);
		return 1;
	}
	return 0;
}

static bool find_in_dirs(const char *soname, char *out, size_t outlen)
{
	static const char *const usual[] = { "/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib64",
					     "/lib" };
	char libc_dir[PATH_MAX] = "";

	dl_iterate_phdr(find_libc_dir, libc_dir);
	if (libc_dir[0]) {
		snprintf(out, outlen, "%s/%s", libc_dir, soname);
		if (usable(out))
			return true;
		/* /lib/<triplet> and /usr/lib/<triplet> are not the same on every system */
		if (strncmp(libc_dir, "/usr/", 5))
			snprintf(out, outlen, "/usr%s/%s", libc_dir, soname);
		else
			snprintf(out, outlen, "%s/%s", libc_dir + 4, soname);
		if (usable(out))
			return true;
	}
	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++) {
		snprintf(out, outlen, "%s/%s", usual[i], soname);
		if (usable(out))
			return true;
	}
	return false;
}

static bool find_in_dpkg(const char *package, const char *soname, char *out, size_t outlen)
{
	char cmd[256], *list;
	bool found = false;

	snprintf(cmd, sizeof(cmd), "dpkg -L '%s' 2>/dev/null", package);
	list = command_output(cmd);
	for (char *save = NULL, *line = list ? strtok_r(list, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *slash = strrchr(line, '/');

		if (slash && !strcmp(slash + 1, soname)) {
			snprintf(out, outlen, "%s", line);
			found = usable(out);
		}
	}
	free(list);
	return found;
}

/* "libjemalloc2 5.3.0-1" from dpkg, if dpkg knows the file; "" otherwise. */
static void package_version(const char *path, char *out, size_t outlen)
{
	char real[PATH_MAX], cmd[PATH_MAX + 128], *owner, *version = NULL;
	const char *paths[2] = { path, real };

	out[0] = '\0';
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	for (int i = 0; i < 2 && !out[0]; i++) {
		char *colon;

		if (strchr(paths[i], '\''))
			continue;
		snprintf(cmd, sizeof(cmd), "dpkg-query -S '%s' 2>/dev/null", paths[i]);
		owner = command_output(cmd);
		/* "libjemalloc2:amd64: /usr/lib/..." */
		if (owner && (colon = strstr(owner, ": "))) {
			*colon = '\0';
			snprintf(cmd, sizeof(cmd), "dpkg-query -W -f='${Version}' '%s' 2>/dev/null",
				 owner);
			version = strchr(owner, '\'') ? NULL : command_output(cmd);
			if (version && version[0]) {
				char *arch = strchr(owner, ':');

				if (arch)
					*arch = '\0';
				snprintf(out, outlen, "%s %s", owner, version);
			}
			free(version);
		}
		free(owner);
	}
}

static bool find_peer(const struct peer_desc *d, struct bench_allocator *a)
{
	const char *env = getenv(d->env);

	if (env && *env) {
		if (!strcmp(env, "none")) {
			snprintf(a->note, sizeof(a->note), "disabled by %s=none", d->env);
			return false;
		}
		snprintf(a->path, sizeof(a->path), "%s", env);
		if (usable(a->path))
			return true;
		snprintf(a->note, sizeof(a->note), "%s=%s is not a usable shared object", d->env, env);
		return false;
	}
	for (int i = 0; d->sonames[i]; i++)
		if (find_in_ldcache(d->sonames[i], a->path, sizeof(a->path)) ||
		    find_in_dirs(d->sonames[i], a->path, sizeof(a->path)) ||
		    find_in_dpkg(d->package, d->sonames[i], a->path, sizeof(a->path)))
			return true;
	snprintf(a->note, sizeof(a->note), "not installed (Debian: %s)", d->package);
	a->path[0] = '\0';
	return false;
}

/*
 * kmm's own malloc, libkmm-malloc.so, built beside this program (or named by
 * KMM_BENCH_KMM_MALLOC): a column of its own, which is never the best peer.
 */
static void find_shim(struct bench_allocator *a, bool sanitizer)
{
	const char *env = getenv("KMM_BENCH_KMM_MALLOC");
	char exe[PATH_MAX - 32];
	ssize_t n;

	a->name = "kmm-malloc";
	a->kind = BENCH_ALLOC_PRELOAD;
	a->ours = true;
	snprintf(a->version, sizeof(a->version), "libkmm-malloc.so (kmm %s)", KMM_VERSION);
	if (sanitizer) {
		a->status = BENCH_ALLOC_SKIPPED;
		snprintf(a->note, sizeof(a->note), "skipped: sanitizer build");
		return;
	}
	if (env && !strcmp(env, "none")) {
		a->status = BENCH_ALLOC_MISSING;
		snprintf(a->note, sizeof(a->note), "disabled by KMM_BENCH_KMM_MALLOC=none");
		return;
	}
	if (env && *env) {
		snprintf(a->path, sizeof(a->path), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (strrchr(exe, '/'))
			*strrchr(exe, '/') = '\0';
		/* kmm-bench is in BUILD/, the shim in BUILD/ too */
		snprintf(a->path, sizeof(a->path), "%s/libkmm-malloc.so", exe);
	}
	if (!usable(a->path)) {
		a->status = BENCH_ALLOC_MISSING;
		snprintf(a->note, sizeof(a->note), "not built (libkmm-malloc.so beside kmm-bench)");
	}
}

int bench_allocators_find(struct bench_allocator *a, int max, bool sanitizer)
{
	int n = 0;

	if (max < 3 + (int)(sizeof(peers) / sizeof(peers[0])))
		return 0;
	memset(a, 0, sizeof(*a) * (size_t)max);
	a[n] = (struct bench_allocator){ .name = "kmm", .kind = BENCH_ALLOC_KMM };
	snprintf(a[n++].version, sizeof(a->version), "kmm %s", KMM_VERSION);

	a[n] = (struct bench_allocator){ .name = "glibc", .kind = BENCH_ALLOC_LIBC };
#ifdef __GLIBC__
	snprintf(a[n].version, sizeof(a->version), "glibc %s", gnu_get_libc_version());
#else
	snprintf(a[n].version, sizeof(a->version), "the system's libc");
#endif
	if (sanitizer) {
		a[n].status = BENCH_ALLOC_SKIPPED;
		snprintf(a[n].note, sizeof(a->note), "skipped: sanitizer build");
	}
	n++;

	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++, n++) {
		a[n].name = peers[i].name;
		a[n].kind = BENCH_ALLOC_PRELOAD;
		if (sanitizer) {
			/* the sanitizer's runtime must come first: no LD_PRELOAD of a malloc */
			a[n].status = BENCH_ALLOC_SKIPPED;
			snprintf(a[n].note, sizeof(a->note), "skipped: sanitizer build");
		} else if (!find_peer(&peers[i], &a[n])) {
			a[n].status = BENCH_ALLOC_MISSING;
		} else {
			package_version(a[n].path, a[n].version, sizeof(a->version));
		}
	}
	find_shim(&a[n++], sanitizer);
	return n;
}

/* ---- running a child ---- */

/* This environment without LD_PRELOAD, plus preload if not NULL. */
static char **child_environ(const char *preload)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			env[k++] = environ[i];
	if (preload)
		env[k++] = (char *)preload;
	return env;
}

/* Did malloc come from where it should? */
static bool provider_ok(const struct bench_allocator *a, const char *provider)
{
	char want[PATH_MAX], got[PATH_MAX];
	const char *base = strrchr(provider, '/');

	base = base ? base + 1 : provider;
	if (a->kind == BENCH_ALLOC_LIBC)
		return !strncmp(base, "libc.so", 7) || !strncmp(base, "libc-", 5) ||
		       !strncmp(base, "ld-musl", 7);
	return realpath(a->path, want) && realpath(provider, got) && !strcmp(want, got);
}

int bench_peer_spawn(const struct bench_allocator *a, const struct bench_workload *w,
		     const struct bench_params *p, struct bench_result *r, long *maxrss_kb,
		     char *err, size_t errlen)
{
	char warmup[32], target[32], preload[PATH_MAX + 16], out[PATH_MAX + 256], provider[PATH_MAX];
	char *argv[] = { "kmm-bench", "--child", (char *)w->name, "--warmup-ns", warmup,
			 "--time-ns", target, NULL };
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	char **env;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], status, ret;
	unsigned long long ops;
	long rss;

	snprintf(warmup, sizeof(warmup), "%llu", (unsigned long long)p->warmup_ns);
	snprintf(target, sizeof(target), "%llu", (unsigned long long)p->target_ns);
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", a->path);
	env = child_environ(a->kind == BENCH_ALLOC_PRELOAD ? preload : NULL);
	if (!env || pipe2(fds, O_CLOEXEC)) {
		free(env);
		snprintf(err, errlen, "out of resources to start a child: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	ret = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(fds[1]);
	if (ret) {
		close(fds[0]);
		snprintf(err, errlen, "cannot run /proc/self/exe: %s", strerror(ret));
		return -1;
	}
	while (len < sizeof(out) - 1 &&
	       ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "wait4: %s", strerror(errno));
			return -1;
		}
	*maxrss_kb = ru.ru_maxrss;
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "child killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		return -1;
	}
	if (WEXITSTATUS(status)) {
		snprintf(err, errlen, "child exited with status %d (its stderr is above)",
			 WEXITSTATUS(status));
		return -1;
	}
	if (sscanf(out, "kmm-bench-result ns_per_op=%lf ops=%llu maxrss_kib=%ld malloc=%4095[^\n]",
		   &r->ns_per_op, &ops, &rss, provider) != 4) {
		snprintf(err, errlen, "child printed no result line");
		return -1;
	}
	r->ops = ops;
	if (rss > 0)
		*maxrss_kb = rss;
	if (!provider_ok(a, provider)) {
		snprintf(err, errlen, "malloc came from %s, not from %s", provider,
			 a->kind == BENCH_ALLOC_LIBC ? "libc" : a->path);
		return -1;
	}
	return 0;
}
