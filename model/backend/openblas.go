//go:build openblas

package backend

/*
#cgo LDFLAGS: -lopenblas

// These functions are OpenBLAS extensions declared in its cblas.h. They are
// declared here so that the build does not depend on which cblas.h the
// system puts first on the include path.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
*/
import "C"

import (
	"runtime"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	blas32.Use(netlib.Implementation{})
}

// Name returns a short description of the BLAS that serves blas32, such as
// "OpenBLAS 0.3.21 Zen (netlib cgo)": the version from openblas_get_config
// and the kernel set from openblas_get_corename.
func Name() string {
	config := strings.Fields(C.GoString(C.openblas_get_config()))
	version := "OpenBLAS"
	if len(config) >= 2 {
		version = config[0] + " " + config[1]
	}
	return version + " " + C.GoString(C.openblas_get_corename()) + " (netlib cgo)"
}

// SetThreads sets the number of threads that OpenBLAS may use for one call.
// n < 1 selects runtime.GOMAXPROCS(0).
//
// NOTE: idle OpenBLAS threads wait for new work for a while before they sleep
// (OPENBLAS_THREAD_TIMEOUT sets how long), so with more than one thread they
// may compete for cores with the loops that package model runs between
// products. How much this costs has not been measured on an idle machine.
func SetThreads(n int) {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	C.openblas_set_num_threads(C.int(n))
}

// Threads returns the number of threads that OpenBLAS may use for one call.
func Threads() int {
	return int(C.openblas_get_num_threads())
}
