/*
 * fmapeak measures the peak float32 multiply-add rate of one core, in
 * GFLOP/s (2 FLOPs per lane per fused multiply-add), for 512-bit (AVX-512F)
 * and 256-bit (AVX2 with FMA) vectors. Each kernel keeps 16 independent
 * accumulators, twice the 4-cycle FMA latency × 2 FMA units of AMD Zen 4,
 * so no FMA waits for the result of another.
 *
 * Build: gcc -O2 -mavx512f -mfma -o fmapeak fmapeak.c
 * Run one copy per core at once to measure all cores. The 512-bit kernel
 * needs a processor with AVX-512F and is skipped without it.
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define CHAINS 16
#define ROUNDS 100000000L

/* Returns the CPU time of the calling thread, so that time spent waiting
   for a core that other processes hold does not count. */
static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Returns GFLOP/s of ROUNDS × CHAINS 512-bit multiply-adds. */
__attribute__((target("avx512f"))) static double peak512(float *check)
{
	__m512 acc[CHAINS];
	const __m512 mul = _mm512_set1_ps(0.9999999f), add = _mm512_set1_ps(1e-8f);
	for (int i = 0; i < CHAINS; i++)
		acc[i] = _mm512_set1_ps((float)i);

	double start = seconds();
	for (long r = 0; r < ROUNDS; r++) {
#pragma GCC unroll 16
		for (int i = 0; i < CHAINS; i++)
			acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
	}
	double elapsed = seconds() - start;

	/* Using every accumulator keeps the compiler from dropping chains. */
	__m512 sum = acc[0];
	for (int i = 1; i < CHAINS; i++)
		sum = _mm512_add_ps(sum, acc[i]);
	*check = _mm512_reduce_add_ps(sum);
	return 2.0 * 16 * CHAINS * (double)ROUNDS / elapsed / 1e9;
}

/* Returns GFLOP/s of ROUNDS × CHAINS 256-bit multiply-adds. */
__attribute__((target("avx2,fma"))) static double peak256(float *check)
{
	__m256 acc[CHAINS];
	const __m256 mul = _mm256_set1_ps(0.9999999f), add = _mm256_set1_ps(1e-8f);
	for (int i = 0; i < CHAINS; i++)
		acc[i] = _mm256_set1_ps((float)i);

	double start = seconds();
	for (long r = 0; r < ROUNDS; r++) {
#pragma GCC unroll 16
		for (int i = 0; i < CHAINS; i++)
			acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
	}
	double elapsed = seconds() - start;

	__m256 sum = acc[0];
	for (int i = 1; i < CHAINS; i++)
		sum = _mm256_add_ps(sum, acc[i]);
	float lanes[8];
	_mm256_storeu_ps(lanes, sum);
	*check = lanes[0];
	return 2.0 * 8 * CHAINS * (double)ROUNDS / elapsed / 1e9;
}

int main(void)
{
	float check;
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		printf("fma_peak_avx512_gflops_per_s %.1f GFLOP/s\n", peak512(&check));
	printf("fma_peak_avx2_gflops_per_s %.1f GFLOP/s\n", peak256(&check));
	printf("# checksum %g\n", check);
	return 0;
}
