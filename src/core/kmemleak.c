/* SPDX-License-Identifier: MIT */
/*
 * kmemleak (mm/kmemleak.c), as a list of what is allocated: with
 * kmemleak=on every slab object and large kmalloc is recorded when it is
 * allocated (address, size, the caller, task and jiffies) and forgotten when
 * it is freed. "scan" takes every object still recorded as a suspect;
 * /sys/kernel/debug/kmemleak lists the suspects in kmemleak's format, and
 * kmm_shutdown lists what is still allocated. There is no reachability scan:
 * an object still referenced is listed too (docs/slab.md).
 *
 * Records come from a cache of their own, created SLAB_NOLEAKTRACE so that
 * recording does not recurse, and sit in a hash table of 4096 chains keyed
 * by address, under kmemleak_lock. A free of an address never recorded is
 * reported ("Freeing unknown object"), as the kernel does.
 */
#include "slab.h"

#define HASH_BITS 12
#define HEX_MAX 32	/* HEX_MAX_LINES * HEX_ROW_SIZE */

struct kmm_kmemleak_object {
	struct kmm_kmemleak_object *next;	/* hash chain */
	uintptr_t pointer;
	size_t size;
	unsigned long ip;
	unsigned long jiffies;
	int pid;
	bool reported;		/* taken by the last scan */
	char comm[16];
};

struct kmm_kmemleak {
	kmm_spinlock_t lock;
	struct kmm_kmem_cache *cache;
	unsigned long nr_objects;
	struct kmm_kmemleak_object *hash[1u << HASH_BITS];
};

static unsigned int hash_ptr(uintptr_t p)
{
	return (unsigned int)((p >> 4) * 0x9e3779b97f4a7c15ULL >> (64 - HASH_BITS));
}

int kmm_kmemleak_init(struct kmm_machine *m)
{
	struct kmm_kmemleak *kl;

	if (!m->desc.kmemleak)
		return 0;
	kl = kmm_alloc_pages_exact(m, sizeof(*kl), KMM_GFP_KERNEL | KMM___GFP_ZERO);
	if (!kl)
		return -12;
	kmm_spin_lock_init(&kl->lock);
	kl->cache = kmm_kmem_cache_create(m, "kmemleak_object", sizeof(struct kmm_kmemleak_object), 0,
					  KMM_SLAB_NOLEAKTRACE | KMM_SLAB_PANIC, NULL);
	if (!kl->cache)
		return -12;
	m->kmemleak = kl;
	m->slab_hooks |= KMM_SLAB_HOOK_KMEMLEAK;
	kmm_core_printk(m, KMM_KERN_INFO "kmemleak: Kernel memory leak detector initialized (mem pool available: 0)\n");
	return 0;
}

void kmm_kmemleak_alloc(struct kmm_machine *m, const void *ptr, size_t size, unsigned long ip)
{
	struct kmm_kmemleak *kl = m->kmemleak;
	struct kmm_kmemleak_object *o;
	const char *comm = kmm_plat_task_comm(m);
	unsigned int h;

	if (!kl || KMM_ZERO_OR_NULL_PTR(ptr))
		return;
	o = kmm_kmem_cache_alloc(kl->cache, KMM_GFP_ATOMIC | KMM___GFP_NOWARN);
	if (!o) {
		kmm_core_printk(m, KMM_KERN_WARNING "kmemleak: Cannot allocate a kmemleak_object structure\n");
		return;
	}
	o->pointer = (uintptr_t)ptr;
	o->size = size;
	o->ip = ip;
	o->jiffies = kmm_jiffies(m);
	o->pid = kmm_plat_task_pid(m);
	o->reported = false;
	for (size_t i = 0; i < sizeof(o->comm); i++) {
		o->comm[i] = comm ? comm[i] : '\0';
		if (!o->comm[i])
			break;
	}
	o->comm[sizeof(o->comm) - 1] = '\0';
	h = hash_ptr(o->pointer);
	kmm_spin_lock(&kl->lock);
	o->next = kl->hash[h];
	kl->hash[h] = o;
	kl->nr_objects++;
	kmm_spin_unlock(&kl->lock);
}

void kmm_kmemleak_free(struct kmm_machine *m, const void *ptr)
{
	struct kmm_kmemleak *kl = m->kmemleak;
	struct kmm_kmemleak_object **pp, *o = NULL;

	if (!kl || KMM_ZERO_OR_NULL_PTR(ptr))
		return;
	kmm_spin_lock(&kl->lock);
	for (pp = &kl->hash[hash_ptr((uintptr_t)ptr)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->pointer == (uintptr_t)ptr) {
			o = *pp;
			*pp = o->next;
			kl->nr_objects--;
			break;
		}
	}
	kmm_spin_unlock(&kl->lock);
	if (o)
		kmm_kmem_cache_free(kl->cache, o);
	else
		kmm_core_printk(m, KMM_KERN_WARNING "kmemleak: Freeing unknown object at 0x%016lx\n",
				(unsigned long)(uintptr_t)ptr);
}

/* "scan": every object allocated now is a suspect; returns how many are new. */
int kmm_kmemleak_scan(struct kmm_machine *m)
{
	struct kmm_kmemleak *kl = m->kmemleak;
	int new_leaks = 0;

	if (!kl)
		return -1;
	kmm_spin_lock(&kl->lock);
	for (unsigned int h = 0; h < (1u << HASH_BITS); h++)
		for (struct kmm_kmemleak_object *o = kl->hash[h]; o; o = o->next)
			if (!o->reported) {
				o->reported = true;
				new_leaks++;
			}
	kmm_spin_unlock(&kl->lock);
	if (new_leaks)
		kmm_core_printk(m, KMM_KERN_INFO "kmemleak: %d new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
				new_leaks);
	return new_leaks;
}

/* "clear": the current suspects are forgotten as leaks (they stay recorded). */
void kmm_kmemleak_clear(struct kmm_machine *m)
{
	struct kmm_kmemleak *kl = m->kmemleak;

	if (!kl)
		return;
	kmm_spin_lock(&kl->lock);
	for (unsigned int h = 0; h < (1u << HASH_BITS); h++)
		for (struct kmm_kmemleak_object *o = kl->hash[h]; o; o = o->next)
			o->reported = false;
	kmm_spin_unlock(&kl->lock);
}

/* kasan_disable_current(): a kmalloc object's slack is poisoned under ASan */
__attribute__((no_sanitize_address, noinline)) static void copy_bytes(uint8_t *dst,
								     const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = ((const volatile uint8_t *)src)[i];
}

static void print_object(struct kmm_kmemleak_object *o,
			 void (*out)(void *arg, const char *line), void *arg)
{
	size_t len = o->size < HEX_MAX ? o->size : HEX_MAX;
	char line[160], sym[128];
	uint8_t p[HEX_MAX];

	copy_bytes(p, (const uint8_t *)o->pointer, len);

	kmm_snprintf(line, sizeof(line), "unreferenced object 0x%08lx (size %zu):", (unsigned long)o->pointer, o->size);
	out(arg, line);
	kmm_snprintf(line, sizeof(line), "  comm \"%s\", pid %d, jiffies %lu", o->comm, o->pid, o->jiffies);
	out(arg, line);
	kmm_snprintf(line, sizeof(line), "  hex dump (first %zu bytes):", len);
	out(arg, line);
	for (size_t off = 0; off < len; off += 16) {
		kmm_hex_dump_row(line + 4, sizeof(line) - 4, p + off, len - off);
		kmm_memcpy(line, "    ", 4);
		out(arg, line);
	}
	/* one frame: the caller; the crc is the kernel's of the trace, here of the address */
	kmm_snprintf(line, sizeof(line), "  backtrace (crc %x):", (unsigned int)(o->ip ^ (o->ip >> 32)));
	out(arg, line);
	kmm_plat_symbol(o->ip, sym, sizeof(sym));
	kmm_snprintf(line, sizeof(line), "    %s", sym);
	out(arg, line);
}

/* Lists the suspects of the last scan (all recorded objects with `all`). */
int kmm_kmemleak_report(struct kmm_machine *m, bool all,
			void (*out)(void *arg, const char *line), void *arg)
{
	struct kmm_kmemleak *kl = m->kmemleak;
	int n = 0;

	if (!kl)
		return -1;
	kmm_spin_lock(&kl->lock);
	for (unsigned int h = 0; h < (1u << HASH_BITS); h++)
		for (struct kmm_kmemleak_object *o = kl->hash[h]; o; o = o->next)
			if (all || o->reported) {
				print_object(o, out, arg);
				n++;
			}
	kmm_spin_unlock(&kl->lock);
	return n;
}

static void printk_line(void *arg, const char *line)
{
	kmm_core_printk(arg, KMM_KERN_ERR "kmemleak: %s\n", line);
}

/* At shutdown: what is still allocated, in the log (and on the console). */
void kmm_kmemleak_shutdown(struct kmm_machine *m)
{
	struct kmm_kmemleak *kl = m->kmemleak;

	if (!kl || !kl->nr_objects)
		return;
	kmm_core_printk(m, KMM_KERN_ERR "kmemleak: %lu object(s) still allocated at shutdown\n",
			kl->nr_objects);
	kmm_kmemleak_report(m, true, printk_line, m);
}
