package main

import (
	"runtime/debug"
	"testing"
)

func TestApplyMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if got := applyMemoryLimit(get); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d, want the default %d", got, defaultMemoryLimit)
	}
	// With GOMEMLIMIT set, the runtime's value (set here to stand for what
	// the runtime read at start) is left alone.
	debug.SetMemoryLimit(300 << 20)
	env["GOMEMLIMIT"] = "300MiB"
	if got := applyMemoryLimit(get); got != 300<<20 {
		t.Errorf("with GOMEMLIMIT set the limit is %d, want 300 MiB kept", got)
	}
}
