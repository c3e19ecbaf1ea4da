package main

import (
	"strings"
	"testing"

	"groupbook/booking/booktest"
)

func TestMigrateTwice(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			env := map[string]string{EnvDatabaseURL: booktest.URL(t, kind)}

			err, out, _ := runCmd(t, env, "", "migrate")
			must(t, err)
			if !strings.Contains(out, "applied migration 0001") {
				t.Errorf("first migrate printed %q, want the applied migration", out)
			}

			err, out, _ = runCmd(t, env, "", "migrate")
			must(t, err)
			if strings.Contains(out, "applied migration") || !strings.Contains(out, "up to date") {
				t.Errorf("second migrate printed %q, want up to date and nothing applied", out)
			}
		})
	}
}

func TestMigrateHidesPostgresPassword(t *testing.T) {
	if got := redactDSN("postgres://gb:s3cret@db:5432/gb"); strings.Contains(got, "s3cret") {
		t.Errorf("redactDSN = %q", got)
	}
}
