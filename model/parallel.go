package model

import (
	"sync"
	"sync/atomic"

	"github.com/ebmlab/ebmlab/model/backend"
)

// rangeFunc is a loop body over the index range [lo, hi). The bodies passed
// to parallelFor write disjoint memory for disjoint ranges.
type rangeFunc func(lo, hi int)

// minParallelWork is the number of values a loop must touch before it is
// split over goroutines. Below it, waking the workers costs more than the
// loop, by an estimate of a few microseconds per wake-up and about a
// nanosecond per value.
const minParallelWork = 1 << 14

// parallelFor runs body over [0, n) in chunks on up to backend.Threads()
// goroutines and returns when all chunks are done. work is the number of
// values the whole loop touches. It allocates nothing: body should be a
// method value made once, not a new closure per call.
func parallelFor(body rangeFunc, n, work int) {
	threads := backend.Threads()
	if threads <= 1 || n < 2 || work < minParallelWork || !loops.mu.TryLock() {
		body(0, n)
		return
	}
	defer loops.mu.Unlock()
	loops.run(body, n, threads)
}

// loopPool is the set of worker goroutines that parallelFor shares out
// chunks to. The workers start on first use and live as long as the program.
type loopPool struct {
	// mu is held by the one parallelFor that uses the workers, job and
	// done; a parallelFor that finds it held runs its loop serially.
	mu      sync.Mutex
	started int
	job     loopJob
	jobs    chan *loopJob
	done    sync.WaitGroup
}

var loops = loopPool{jobs: make(chan *loopJob)}

// loopJob is one loop shared by several goroutines. next is the start of
// the first chunk that no goroutine has taken.
type loopJob struct {
	body  rangeFunc
	n     int
	chunk int
	next  atomic.Int64
}

func (p *loopPool) run(body rangeFunc, n, threads int) {
	// A few chunks per goroutine even out chunks of unequal cost.
	chunks := min(n, 4*threads)
	p.job.body = body
	p.job.n = n
	p.job.chunk = (n + chunks - 1) / chunks
	p.job.next.Store(0)

	helpers := min(threads, chunks) - 1
	for p.started < helpers {
		go p.work()
		p.started++
	}
	p.done.Add(helpers)
	for range helpers {
		p.jobs <- &p.job
	}
	p.job.runChunks()
	p.done.Wait()

	// Drop the reference to the caller's layer.
	p.job.body = nil
}

func (p *loopPool) work() {
	for job := range p.jobs {
		job.runChunks()
		p.done.Done()
	}
}

// runChunks runs the chunks that no other goroutine has taken.
func (j *loopJob) runChunks() {
	for {
		lo := int(j.next.Add(int64(j.chunk))) - j.chunk
		if lo >= j.n {
			return
		}
		j.body(lo, min(lo+j.chunk, j.n))
	}
}
