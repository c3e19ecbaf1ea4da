package main

import "runtime/debug"

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is not set.
//
// Go's default collector lets the heap grow to twice what is live before
// collecting, so a burst of concurrent requests leaves the process holding
// twice its working set long after. The server's working set is small (a
// few MB of templates, translations, caches and in-flight pages), so a
// soft limit keeps its resident size within what a small VPS or container
// expects (README, "Performance": at most 80 MB under load) at the cost of
// a few more collections under load. It is soft: a process whose live data
// grows past it keeps working, collecting more often, with the runtime
// capping the collector's share of CPU. GOMEMLIMIT (Go's own variable,
// e.g. GOMEMLIMIT=256MiB) overrides it, for a busy multi-location install.
const defaultMemoryLimit = 40 << 20

// applyMemoryLimit sets the default soft limit unless GOMEMLIMIT already
// set one (the runtime reads that variable itself at start), and returns
// the limit in force. main calls it, not run: tests that run the server
// in-process keep their own heap settings.
func applyMemoryLimit(env func(string) string) int64 {
	if env("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return debug.SetMemoryLimit(-1) // -1 reads without changing
}
