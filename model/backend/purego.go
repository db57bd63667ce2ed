//go:build !openblas

package backend

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

func init() {
	pool.threads.Store(int32(runtime.GOMAXPROCS(0)))
	blas32.Use(tiledGonum{})
}

// Name returns a short description of the BLAS that serves blas32.
func Name() string {
	return "gonum pure Go"
}

// SetThreads sets the number of goroutines that one large Sgemm call may use.
// n < 1 selects runtime.GOMAXPROCS(0).
func SetThreads(n int) {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	pool.threads.Store(int32(n))
}

// Threads returns the number of goroutines that one large Sgemm call may use.
func Threads() int {
	return int(pool.threads.Load())
}

const (
	// gonumBlock and gonumMinParBlocks mirror the constants of
	// gonum.org/v1/gonum/blas/gonum v0.17.0: an Sgemm whose C has fewer
	// than gonumMinParBlocks blocks of gonumBlock×gonumBlock runs serially
	// and allocates nothing. If a later gonum changes them, tiles may run
	// in parallel inside gonum again, which stays correct but allocates.
	gonumBlock        = 64
	gonumMinParBlocks = 4

	// minParallelWork is the number of multiply-adds below which handing
	// tiles to other goroutines costs more than it saves (an estimate for
	// gonum's kernels at a few GFLOP/s and a wake-up of a few microseconds).
	minParallelWork = 1 << 15
)

// tiledGonum is gonum's pure-Go BLAS with an Sgemm that splits C into tiles
// small enough for gonum's serial path and shares them among a worker pool.
type tiledGonum struct {
	gonum.Implementation
}

// Sgemm computes C = alpha * op(A) * op(B) + beta * C as gonum's Sgemm does,
// but without allocating.
func (tiledGonum) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	args := gemmArgs{
		tA: tA, tB: tB, m: m, n: n, k: k,
		alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
		beta: beta, c: c, ldc: ldc,
	}
	args.tile()
	if args.tiles() <= 1 || k == 0 {
		// gonum checks the arguments and, for a single tile, runs serially.
		gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}

	// Check the arguments here, because a panic inside a worker would end
	// the program without the caller's stack.
	checkSgemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	threads := int(pool.threads.Load())
	if threads <= 1 || m*n*k < minParallelWork || !pool.mu.TryLock() {
		var job gemmJob
		job.gemmArgs = args
		job.runAll()
		return
	}
	defer pool.mu.Unlock()
	pool.run(args, threads)
}

// gemmArgs holds the arguments of one Sgemm call and the size of the
// rowTile×colTile tiles of C that it is cut into.
type gemmArgs struct {
	tA, tB        blas.Transpose
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int

	rowTile, colTile int
}

// gemmJob is one Sgemm call shared by several goroutines. Tiles are numbered
// row-major, and next hands out the numbers.
type gemmJob struct {
	gemmArgs
	next atomic.Int64
}

// tile chooses tiles of at most three gonum blocks, so that gonum computes
// each one serially. Wide tiles suit gonum's kernels, which run along rows
// of B and C.
func (g *gemmArgs) tile() {
	colBlocks := min(max((g.n+gonumBlock-1)/gonumBlock, 1), gonumMinParBlocks-1)
	g.colTile = colBlocks * gonumBlock
	g.rowTile = (gonumMinParBlocks - 1) / colBlocks * gonumBlock
}

func (g *gemmArgs) tiles() int {
	if g.m <= 0 || g.n <= 0 {
		return 0
	}
	return ceilDiv(g.m, g.rowTile) * ceilDiv(g.n, g.colTile)
}

// runAll computes the tiles that no other goroutine has taken.
func (j *gemmJob) runAll() {
	total := int64(j.tiles())
	perRow := int64(ceilDiv(j.n, j.colTile))
	for {
		t := j.next.Add(1) - 1
		if t >= total {
			return
		}
		j.runTile(int(t/perRow)*j.rowTile, int(t%perRow)*j.colTile)
	}
}

// runTile computes the tile of C whose top-left element is (i0, j0).
func (g *gemmArgs) runTile(i0, j0 int) {
	rows := min(g.rowTile, g.m-i0)
	cols := min(g.colTile, g.n-j0)

	// op(A) rows i0… are A rows i0… or, transposed, A columns i0….
	a := g.a[i0:]
	if g.tA == blas.NoTrans {
		a = g.a[i0*g.lda:]
	}
	// op(B) columns j0… are B columns j0… or, transposed, B rows j0….
	b := g.b[j0:]
	if g.tB != blas.NoTrans {
		b = g.b[j0*g.ldb:]
	}
	c := g.c[i0*g.ldc+j0:]
	gonum.Implementation{}.Sgemm(g.tA, g.tB, rows, cols, g.k, g.alpha, a, g.lda, b, g.ldb, g.beta, c, g.ldc)
}

// gemmPool is the set of worker goroutines shared by all Sgemm calls. The
// workers start on first use and live as long as the program, like the
// threads of a native BLAS.
type gemmPool struct {
	threads atomic.Int32

	// mu is held by the one call that uses the workers, job and done.
	mu      sync.Mutex
	started int
	job     gemmJob
	jobs    chan *gemmJob
	done    sync.WaitGroup
}

var pool = gemmPool{jobs: make(chan *gemmJob)}

// run computes the product described by args with the calling goroutine and
// up to threads-1 workers. The caller holds p.mu.
func (p *gemmPool) run(args gemmArgs, threads int) {
	p.job.gemmArgs = args
	p.job.next.Store(0)
	helpers := min(threads, args.tiles()) - 1
	for p.started < helpers {
		go p.work()
		p.started++
	}

	p.done.Add(helpers)
	for range helpers {
		p.jobs <- &p.job
	}
	p.job.runAll()
	p.done.Wait()

	// Drop the references to the caller's matrices.
	p.job.gemmArgs = gemmArgs{}
}

func (p *gemmPool) work() {
	for job := range p.jobs {
		job.runAll()
		p.done.Done()
	}
}

func ceilDiv(a, b int) int {
	return (a + b - 1) / b
}

// checkSgemm panics with gonum's messages on the arguments that gonum's
// Sgemm rejects.
func checkSgemm(tA, tB blas.Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	transA := checkTranspose(tA)
	transB := checkTranspose(tB)
	if m < 0 {
		panic("blas: m < 0")
	}
	if n < 0 {
		panic("blas: n < 0")
	}
	if k < 0 {
		panic("blas: k < 0")
	}

	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if transB {
		rowsB, colsB = n, k
	}
	if lda < max(1, colsA) {
		panic("blas: bad leading dimension of A")
	}
	if ldb < max(1, colsB) {
		panic("blas: bad leading dimension of B")
	}
	if ldc < max(1, n) {
		panic("blas: bad leading dimension of C")
	}
	if m == 0 || n == 0 {
		return
	}
	if rowsA > 0 && len(a) < (rowsA-1)*lda+colsA {
		panic("blas: insufficient length of a")
	}
	if rowsB > 0 && len(b) < (rowsB-1)*ldb+colsB {
		panic("blas: insufficient length of b")
	}
	if len(c) < (m-1)*ldc+n {
		panic("blas: insufficient length of c")
	}
}

func checkTranspose(t blas.Transpose) (transposed bool) {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic("blas: illegal transpose")
}
