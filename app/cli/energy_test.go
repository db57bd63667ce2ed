package cli

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestEnergyOODTable(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a CNN")
	}
	dir := trainTinyMNIST(t)

	code, stdout, stderr := run(t, "energy", "--checkpoint", filepath.Join(dir, "checkpoint.ebm"), "--ood")
	if code != exitOK {
		t.Fatalf("energy --ood: exit status %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 6 || !strings.Contains(lines[0], "AUROC") || !strings.HasPrefix(lines[1], "mnist (held-out)") {
		t.Fatalf("output %q, want a header, the held-out line and a line per set", stdout)
	}
	for _, name := range []string{"uniform noise", "Gaussian noise", "flipped left-right", "inverted intensity"} {
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, name) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("no line for %s in %q", name, stdout)
			continue
		}
		fields := strings.Fields(line)
		auc, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil || auc < 0 || auc > 1 {
			t.Errorf("line %q: AUROC %q not in [0, 1]", line, fields[len(fields)-1])
		}
	}
}
