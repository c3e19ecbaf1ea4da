package locales

import (
	"strings"
	"sync"
)

// matchMemo remembers Match's answers: parsing an Accept-Language header
// and asking the matcher was a tenth of a cached widget page's cost, and
// real visitors send few distinct headers. Bounded, since the header is
// client input: when full it starts over.
type matchMemo struct {
	mu sync.RWMutex
	m  map[string]string
}

const (
	matchMemoEntries = 1024
	matchMemoKeyLen  = 256 // longer candidate lists are matched every time
)

func memoKey(candidates []string) (string, bool) {
	n := 0
	for _, c := range candidates {
		n += len(c) + 1
	}
	if n > matchMemoKeyLen {
		return "", false
	}
	return strings.Join(candidates, "\x00"), true
}

func (m *matchMemo) get(key string) (string, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	lang, ok := m.m[key]
	return lang, ok
}

func (m *matchMemo) put(key, lang string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= matchMemoEntries {
		m.m = make(map[string]string, 64)
	}
	m.m[key] = lang
}
