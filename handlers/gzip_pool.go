package handlers

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"
)

// gzipMinSize: below about a kilobyte gzip saves less than the header and
// the CPU cost of compressing.
const gzipMinSize = 1024

// gzipWriters are reused: a gzip.Writer holds hundreds of KB of state, and
// one per response was most of the compressor's memory.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // the level is valid
	return w
}}

// gzipBytes compresses b at the fast level.
func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/4 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&out)
	w.Write(b) //nolint:errcheck // a bytes.Buffer does not fail
	w.Close()  //nolint:errcheck // a bytes.Buffer does not fail
	gzipWriters.Put(w)
	return out.Bytes()
}

// gunzipBytes inflates what gzipBytes made.
func gunzipBytes(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return out, nil
}
