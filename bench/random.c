/* SPDX-License-Identifier: MIT */
/*
 * The random-100k row's requests: BENCH_RANDOM_OBJS sizes, then the order in
 * which the blocks are freed, drawn once per process from a fixed seed, so
 * that kmm (in the bench process) and every peer (each in a child of its
 * own) serve the same requests in the same order. The sizes are the churn
 * row's (bench_churn_size(), 8..1024 bytes); the order of frees is a
 * Fisher-Yates shuffle of the indices on the same xorshift64* stream.
 */
#include <stdbool.h>

#include "bench.h"
#include "remote.h"

#define BENCH_RANDOM_SEED 0x5851f42d4c957f2dULL

const struct bench_random_seq *bench_random_seq(void)
{
	static struct bench_random_seq seq;
	static bool drawn;
	uint64_t rng = BENCH_RANDOM_SEED;

	if (drawn)
		return &seq;
	for (uint32_t i = 0; i < BENCH_RANDOM_OBJS; i++) {
		seq.size[i] = (uint32_t)bench_churn_size(bench_churn_next(&rng));
		seq.free_order[i] = i;
	}
	for (uint32_t i = BENCH_RANDOM_OBJS - 1; i > 0; i--) {
		/* j uniform in 0..i, without a division */
		uint32_t j = (uint32_t)(((bench_churn_next(&rng) >> 32) * (i + 1)) >> 32);
		uint32_t t = seq.free_order[i];

		seq.free_order[i] = seq.free_order[j];
		seq.free_order[j] = t;
	}
	drawn = true;
	return &seq;
}
