package main

import (
	"os"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// TestFyneAppTOMLMatches keeps FyneApp.toml, which the fyne packaging
// tool reads, in step with the metadata the program sets at run time.
func TestFyneAppTOMLMatches(t *testing.T) {
	raw, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Details struct {
			Icon, Name, ID, Version string
			Build                   int
		}
		Migrations map[string]bool
	}
	if err := toml.Unmarshal(raw, &meta); err != nil {
		t.Fatalf("FyneApp.toml: %v", err)
	}
	if meta.Details.ID != appID {
		t.Errorf("ID %q in FyneApp.toml, %q in the program", meta.Details.ID, appID)
	}
	if meta.Details.Name != appName {
		t.Errorf("Name %q in FyneApp.toml, %q in the program", meta.Details.Name, appName)
	}
	if meta.Details.Version != appVersion {
		t.Errorf("Version %q in FyneApp.toml, %q in the program", meta.Details.Version, appVersion)
	}
	if meta.Details.Build != appBuild {
		t.Errorf("Build %d in FyneApp.toml, %d in the program", meta.Details.Build, appBuild)
	}
	if !meta.Migrations["fyneDo"] {
		t.Error("FyneApp.toml does not opt in to the fyneDo migration")
	}
	if _, err := os.Stat("../" + meta.Details.Icon); err != nil {
		t.Errorf("icon %s: %v", meta.Details.Icon, err)
	}
}
