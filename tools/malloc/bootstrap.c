/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap arena: memory for what is allocated while the shim itself
 * starts, before the machine can serve it or on the machine's own behalf.
 * Booting calls calloc for the machine and its log, attaching a thread calls
 * it for the task, and pthread_key_create, pthread_atfork and the dynamic
 * linker may allocate too: each of those mallocs comes back into the shim,
 * which must not recurse into a machine that is not up, or into an attach
 * that is not done. The thread's busy count marks those moments, and their
 * allocations come from here.
 *
 * Data structure: a bump allocator over a static 512 KiB area (in .bss:
 * host memory only where touched), then over chunks of at least 1 MiB
 * mapped from the host, at most MAX_CHUNKS of them. Each block starts with a
 * 16-byte header holding its size, so realloc and malloc_usable_size know
 * it. Blocks are never given back: free() recognises them (shim_arena_owns)
 * and ignores them. What comes here is bounded: the machine's own structures
 * once, and one task per thread running at once (tasks are reused).
 *
 * Invariants: used <= size of each chunk; every block lies in a chunk;
 * chunks[0] is the static area. Locking: arena_lock (a spinlock: callers may
 * be anywhere, even in a fork handler) serialises the bump and the chunk list.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "shim.h"

#define ARENA_STATIC (512 * 1024)
#define CHUNK_MIN (1024 * 1024)
#define MAX_CHUNKS 64
#define HDR 16

struct chunk {
	char *base;
	size_t size, used;
};

static char arena_static[ARENA_STATIC] __attribute__((aligned(SHIM_PAGE)));
static struct chunk chunks[MAX_CHUNKS] = { { arena_static, ARENA_STATIC, 0 } };
static int nr_chunks = 1;
static atomic_flag arena_busy = ATOMIC_FLAG_INIT;

_Static_assert(HDR % SHIM_MIN_ALIGN == 0, "the header keeps blocks 16-byte aligned");

void shim_arena_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&arena_busy, memory_order_acquire))
		;
}

void shim_arena_unlock(void)
{
	atomic_flag_clear_explicit(&arena_busy, memory_order_release);
}

void shim_arena_reset_lock(void)
{
	atomic_flag_clear(&arena_busy);
}

/* A block of size bytes aligned to align in chunk c, or NULL if it does not fit. */
static void *carve(struct chunk *c, size_t size, size_t align)
{
	uintptr_t start = (uintptr_t)c->base + c->used + HDR;

	start = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (start + size > (uintptr_t)c->base + c->size)
		return NULL;
	c->used = start + size - (uintptr_t)c->base;
	((size_t *)start)[-2] = size;
	return (void *)start;
}

void *shim_arena_alloc(size_t size, size_t align)
{
	void *p = NULL;

	if (align < SHIM_MIN_ALIGN)
		align = SHIM_MIN_ALIGN;
	if (size > (1UL << 40) || align > (1UL << 30))
		return NULL;
	size = (size + SHIM_MIN_ALIGN - 1) & ~(size_t)(SHIM_MIN_ALIGN - 1);
	shim_arena_lock();
	for (int i = nr_chunks - 1; i >= 0 && !p; i--)
		p = carve(&chunks[i], size, align);
	if (!p && nr_chunks < MAX_CHUNKS) {
		size_t len = (size + align + HDR + CHUNK_MIN - 1) & ~(size_t)(CHUNK_MIN - 1);
		void *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (base != MAP_FAILED) {
			chunks[nr_chunks] = (struct chunk){ base, len, 0 };
			p = carve(&chunks[nr_chunks], size, align);
			/* published after the chunk: shim_arena_owns reads without the lock */
			__atomic_store_n(&nr_chunks, nr_chunks + 1, __ATOMIC_RELEASE);
		}
	}
	shim_arena_unlock();
	return p;
}

bool shim_arena_owns(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	int n = __atomic_load_n(&nr_chunks, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (a >= (uintptr_t)chunks[i].base && a < (uintptr_t)chunks[i].base + chunks[i].size)
			return true;
	return false;
}

size_t shim_arena_size(const void *p)
{
	return shim_arena_owns(p) ? ((const size_t *)p)[-2] : 0;
}
