//go:build openblas

package backend

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

func TestOpenBLASRegistered(t *testing.T) {
	if _, ok := blas32.Implementation().(netlib.Implementation); !ok {
		t.Errorf("blas32.Implementation() is %T, want netlib.Implementation", blas32.Implementation())
	}
	if name := Name(); !strings.HasPrefix(name, "OpenBLAS") {
		t.Errorf("Name() = %q, want the OpenBLAS version first", name)
	}
}
