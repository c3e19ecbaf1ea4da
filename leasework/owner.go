package leasework

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

// Owner names a worker uniquely: host and pid say which process holds a
// lease, the tag (when not empty) which kind of worker, and the random
// part keeps two workers of one process (or a restarted process reusing
// a pid) apart.
func Owner(tag string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	name := host + "-" + strconv.Itoa(os.Getpid())
	if tag != "" {
		name += "-" + tag
	}
	return fmt.Sprintf("%s-%08x", name, rand.Uint32())
}
