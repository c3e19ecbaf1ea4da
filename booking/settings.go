package booking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/uptrace/bun"
)

type setting struct {
	bun.BaseModel `bun:"table:settings"`

	Key   string `bun:"key,pk"`
	Value string `bun:"value"`
}

// SecretKey is the settings key of the server's signing secret.
const SecretKey = "secret"

// SettingOrCreate returns a stored setting, storing make()'s value first if
// there is none. When several processes start at once, the first insert wins
// and every process reads that one value.
func (s *Store) SettingOrCreate(ctx context.Context, key string, make func() (string, error)) (string, error) {
	v, err := make()
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewInsert().Model(&setting{Key: key, Value: v}).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
		return "", fmt.Errorf("store setting %s: %w", key, err)
	}
	st := new(setting)
	if err := s.db.NewSelect().Model(st).Where("key = ?", key).Scan(ctx); err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return st.Value, nil
}

// Setting reads a stored setting; ErrNotFound when there is none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	st := new(setting)
	if err := s.db.NewSelect().Model(st).Where("key = ?", key).Scan(ctx); err != nil {
		return "", notFound(err, "setting", key)
	}
	return st.Value, nil
}

// RandomSecret returns 32 random bytes, hex-encoded.
func RandomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}
