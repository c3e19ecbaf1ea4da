package main

import "time"

// pageResult is one target's rounds against the baseline's.
type pageResult struct {
	DB       string
	Events   int
	Target   string
	Rate     []float64
	Base     []float64
	P50, P99 []time.Duration
	// The baseline's own latency tail in the same rounds: on a machine
	// whose cores wrk and the server share, even hello-world's p99 is many
	// times its p50.
	BaseP50, BaseP99 []time.Duration
	Bad              int64 // non-2xx/3xx responses and socket errors, all rounds
	BadSample        string
}

// memResult is the server's memory after one database's runs.
type memResult struct {
	DB     string
	Events int
	Mem    memory
}

// bookingResult is the booking load's rounds against pgbench's.
type bookingResult struct {
	Events   int
	Rates    []float64 // bookings/s per round
	TPS      []float64
	Booked   int
	Refused  int
	Failed   int
	FirstErr string
	// Per booking, from pg_stat_database over the booking rounds (the SMS
	// worker's sending included); zero when unavailable.
	Stats    dbStats
	HasStats bool
	// CPU is the machine time the booking rounds used, by whom.
	CPU    cpuTimes
	HasCPU bool
	// Statements are counted on a few bookings made one at a time.
	Statements *statementCounts
}

// report is everything one loadbench run measured.
type report struct {
	Machine  machine
	Config   *config
	Pages    []pageResult
	Memory   []memResult
	Bookings *bookingResult
	Notes    []string
}
