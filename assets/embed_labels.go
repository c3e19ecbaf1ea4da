package assets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
)

// embedLabelsPlaceholder marks where embed.js receives its texts. It is a
// valid (empty) object literal, so the file parses even unfilled.
var embedLabelsPlaceholder = []byte("{/*groupbook:labels*/}")

// checkEmbedJS fails start-up when embed.js has lost its placeholder, which
// would leave the floating button without a label.
func checkEmbedJS(f *file) error {
	if !bytes.Contains(f.raw, embedLabelsPlaceholder) {
		return fmt.Errorf("assets: %s lacks the labels placeholder %s", f.name, embedLabelsPlaceholder)
	}
	return nil
}

// WithEmbedLabels returns a copy of a whose embed.js carries labels, the
// button's and dialog's texts by language ({"hu": {"button": "Foglalás",
// ...}}), in place of its placeholder. The texts live in the locale files
// like every other, and embed.js picks the language by data-lang when it
// runs on the host page. One file holds every language (a few hundred
// bytes), so /embed.js stays one URL with one cache entry; its ETag and
// hashed name follow the filled-in content. a itself is not changed.
func (a *Assets) WithEmbedLabels(labels map[string]map[string]string) *Assets {
	// A map of strings always marshals; json escapes <, > and & and the
	// line separators that would end a JavaScript string.
	js, _ := json.Marshal(labels)
	orig := a.byName[EmbedJSName]
	f, err := newFile(orig.name, bytes.Replace(orig.raw, embedLabelsPlaceholder, js, 1))
	if err != nil {
		// Only gzip of an in-memory buffer can fail here, and it does not;
		// serving the unfilled file is the safe way to degrade.
		return a
	}
	out := &Assets{byName: maps.Clone(a.byName), byHashed: maps.Clone(a.byHashed)}
	delete(out.byHashed, orig.hashedName)
	out.byName[f.name] = f
	out.byHashed[f.hashedName] = f
	return out
}
