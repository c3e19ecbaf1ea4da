package widget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token errors. Both mean "start again"; they differ only in the message.
var (
	ErrBadToken     = errors.New("token is malformed or forged")
	ErrExpiredToken = errors.New("token has expired")
)

// Signer seals small values into URL-safe tokens with HMAC-SHA256, so state
// the browser carries between steps cannot be forged or altered.
type Signer struct{ key []byte }

// NewSigner derives the signing key from the server secret. The derivation
// keeps these tokens' key distinct from any other use of the secret.
func NewSigner(secret string) *Signer {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("groupbook widget tokens v1"))
	return &Signer{key: m.Sum(nil)}
}

type envelope struct {
	Purpose string          `json:"p"`
	Issued  int64           `json:"t"`
	Value   json.RawMessage `json:"v"`
}

// Seal returns a token holding v for the given purpose. The purpose is part
// of what is signed, so a token made for one step is refused by another.
func (s *Signer) Seal(purpose string, v any, now time.Time) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", purpose, err)
	}
	body, err := json.Marshal(envelope{Purpose: purpose, Issued: now.Unix(), Value: raw})
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", purpose, err)
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload)), nil
}

// Open checks a token's signature, purpose and age, and decodes its value.
func (s *Signer) Open(purpose, token string, maxAge time.Duration, now time.Time, v any) error {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 8192 {
		return ErrBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return ErrBadToken
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ErrBadToken
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || env.Purpose != purpose {
		return ErrBadToken
	}
	issued := time.Unix(env.Issued, 0)
	if now.Sub(issued) > maxAge || issued.After(now.Add(time.Minute)) {
		return ErrExpiredToken
	}
	if err := json.Unmarshal(env.Value, v); err != nil {
		return ErrBadToken
	}
	return nil
}

// PhoneRef is an opaque, stable reference to a phone for tokens that
// travel in URLs: base64url of HMAC-SHA256(key, "proof:"+phone) cut to 16
// bytes. Without the server's key it cannot be linked back to the phone
// (a phone number has too little entropy for a plain hash), and 128 bits
// leave no practical chance of two phones sharing one.
func (s *Signer) PhoneRef(phone string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("proof:" + phone))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func (s *Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}
