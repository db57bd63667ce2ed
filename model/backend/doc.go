// Package backend selects the BLAS implementation that serves
// gonum.org/v1/gonum/blas/blas32 for the whole program.
//
// Importing the package, usually for its side effect, registers the
// implementation with blas32.Use in an init function, so every later call to
// blas32.Gemm and the other blas32 routines goes to it. Package model imports
// backend, so any importer of model gets the same BLAS.
//
// # Implementations
//
// The default build registers the pure-Go implementation of
// gonum.org/v1/gonum/blas/gonum. Its Sgemm is wrapped so that large products
// are cut into tiles that gonum computes serially, and the tiles are shared
// out to a fixed pool of worker goroutines. gonum's own parallel Sgemm starts
// new goroutines and allocates on every call. The wrapper allocates nothing
// after its workers have started, because the Langevin steps of package model
// must not allocate. Every other routine is gonum's, unchanged.
//
// The build tag openblas registers gonum.org/v1/netlib/blas/netlib, which
// calls the CBLAS interface of OpenBLAS through cgo. The package links
// libopenblas itself; setting CGO_LDFLAGS=-lopenblas as well does no harm:
//
//	CGO_LDFLAGS=-lopenblas go test -tags openblas ./model/...
//
// # Threads
//
// SetThreads sets how many threads one BLAS call may use: OpenBLAS threads
// under the openblas tag, goroutines of the worker pool otherwise. Package
// model splits its own loops over Threads goroutines as well. The pure-Go
// pool serves one call at a time, and a call that arrives while another one
// holds the pool runs serially in its own goroutine rather than wait.
package backend
