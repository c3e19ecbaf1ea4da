package handlers

import "testing"

func TestSettingsParsePrice(t *testing.T) {
	for _, tc := range []struct {
		in    string
		minor int64
		msg   string
	}{
		{"", 0, ""},
		{"0", 0, ""},
		{"35", 3500, ""},
		{"35.00", 3500, ""},
		{"35.5", 3550, ""},
		{"35,50", 3550, ""},
		{"35.", 3500, ""},
		{" 3 500 ", 350000, ""},
		{"3\u00a0500,99", 350099, ""},
		{"999999999.99", 99999999999, ""},
		{"-5", 0, "admin_settings_error_price_negative"},
		{"-0.50", 0, "admin_settings_error_price_negative"},
		{"abc", 0, "admin_settings_error_price"},
		{"35.001", 0, "admin_settings_error_price"},
		{"1,000", 0, "admin_settings_error_price"},
		{"1.000.000", 0, "admin_settings_error_price"},
		{"1e5", 0, "admin_settings_error_price"},
		{"€35", 0, "admin_settings_error_price"},
		{"--5", 0, "admin_settings_error_price"},
		{"1234567890", 0, "admin_settings_error_price"},
	} {
		minor, msg := settingsParsePrice(tc.in)
		if minor != tc.minor || msg != tc.msg {
			t.Errorf("settingsParsePrice(%q) = %d, %q; want %d, %q", tc.in, minor, msg, tc.minor, tc.msg)
		}
	}
}

func TestSettingsPriceInput(t *testing.T) {
	for minor, want := range map[int64]string{0: "0", 3500: "35", 3550: "35.50", 3505: "35.05", 350000: "3500"} {
		got := settingsPriceInput(minor)
		if got != want {
			t.Errorf("settingsPriceInput(%d) = %q, want %q", minor, got, want)
		}
		if back, msg := settingsParsePrice(got); back != minor || msg != "" {
			t.Errorf("round trip of %d: %d %q", minor, back, msg)
		}
	}
}
