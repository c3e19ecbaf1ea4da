package main

import (
	"fmt"
	"strings"
	"time"
)

// markdown renders the report: the machine, then one table per figure.
func (r *report) markdown() string {
	var b strings.Builder
	m, c := r.Machine, r.Config
	fmt.Fprintf(&b, "## groupbook load run, %s\n\n", m.Date)
	fmt.Fprintf(&b, "Machine: %d CPUs (%s), %s, %s; %s; %s.  \n", m.CPUs, m.CPU, m.Platform, m.Go, orNone(m.Wrk, "wrk"), orNone(m.Pgbench, "pgbench"))
	fmt.Fprintf(&b, "Each figure is the median of %d rounds of %s, target and baseline alternating; "+
		"wrk -t%d -c%d --latency with Accept-Encoding: gzip. Baseline: Gin hello-world (release mode, no middleware).\n\n",
		c.Rounds, c.Duration, c.Threads, c.Connections)

	if len(r.Pages) > 0 {
		b.WriteString("### Widget pages against Gin hello-world\n\n")
		b.WriteString("| database | extra events | page | req/s | baseline req/s | ratio | p50 | p99 | p99/p50 | baseline p99/p50 | errors |\n")
		b.WriteString("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, p := range r.Pages {
			rate, base := median(p.Rate), median(p.Base)
			p50, p99 := medianDuration(p.P50), medianDuration(p.P99)
			b50, b99 := medianDuration(p.BaseP50), medianDuration(p.BaseP99)
			fmt.Fprintf(&b, "| %s | %d | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %d |\n",
				p.DB, p.Events, p.Target, rate, base, percent(rate, base), ms(p50), ms(p99),
				times(float64(p99), float64(p50)), times(float64(b99), float64(b50)), p.Bad)
		}
		b.WriteString("\n")
		for _, p := range r.Pages {
			if p.BadSample != "" {
				fmt.Fprintf(&b, "- %s, %d events, %s: %d bad responses, e.g. %s\n", p.DB, p.Events, p.Target, p.Bad, p.BadSample)
			}
		}
	}

	if br := r.Bookings; br != nil {
		rate, tps := median(br.Rates), median(br.TPS)
		b.WriteString("\n### Bookings over HTTP on PostgreSQL against pgbench\n\n")
		fmt.Fprintf(&b, "%d visitors, each booking one seat again and again in one of %d events (GET the contact step, POST the booking form; "+
			"only bookings answered with their confirmation count); pgbench -c%d -j2, one single-row UPDATE per transaction, scale %d.\n\n",
			c.Clients, br.Events, c.Clients, c.PgbenchScale)
		b.WriteString("| bookings/s | pgbench tps | ratio | bookings | refused (full) | failed |\n")
		b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: |\n")
		fmt.Fprintf(&b, "| %.0f | %.0f | %s | %d | %d | %d |\n", rate, tps, percent(rate, tps), br.Booked, br.Refused, br.Failed)
		if br.FirstErr != "" {
			fmt.Fprintf(&b, "\nFirst failure: %s\n", br.FirstErr)
		}
		if sc := br.Statements; sc != nil {
			fmt.Fprintf(&b, "\nSQL statements per booking (counted at the PostgreSQL protocol, %d bookings one at a time, BEGIN and COMMIT included): "+
				"%.1f for the contact step, %.1f for the booking, %.1f in all.\n", calibrationBookings, sc.Contact, sc.Book, sc.Contact+sc.Book)
		}
		if br.HasStats && br.Booked > 0 {
			n := float64(br.Booked)
			fmt.Fprintf(&b, "\nPer booking, from pg_stat_database over the booking rounds (the SMS worker's sending included): "+
				"%.1f transactions committed (each statement outside a transaction counts as one), %.1f rows inserted, %.1f rows updated, %.1f rows read.\n",
				float64(br.Stats.Commits)/n, float64(br.Stats.Inserted)/n, float64(br.Stats.Updated)/n, float64(br.Stats.Returned+br.Stats.Fetched)/n)
		}
		if br.HasCPU && br.Booked+br.Refused > 0 {
			n := float64(br.Booked + br.Refused)
			fmt.Fprintf(&b, "\nCPU per booking attempt over the booking rounds (/proc and getrusage): server %.2f ms, PostgreSQL %.2f ms, "+
				"the visitors (loadbench) %.2f ms; %.2f ms of the machine's %d cores in all.\n",
				1000*br.CPU.Server/n, 1000*br.CPU.Postgres/n, 1000*br.CPU.Visitors/n,
				1000*(br.CPU.Server+br.CPU.Postgres+br.CPU.Visitors)/n, r.Machine.CPUs)
		}
	}

	if len(r.Memory) > 0 {
		b.WriteString("\n### Server memory after its runs (/proc/<pid>/status)\n\n")
		b.WriteString("| database | extra events | VmHWM (peak RSS) | VmRSS |\n| --- | ---: | ---: | ---: |\n")
		for _, m := range r.Memory {
			fmt.Fprintf(&b, "| %s | %d | %.1f MB | %.1f MB |\n", m.DB, m.Events, float64(m.Mem.HWM)/1024, float64(m.Mem.RSS)/1024)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n%s\n", n)
	}
	return b.String()
}

func orNone(v, tool string) string {
	if v == "" {
		return "no " + tool
	}
	return v
}

// percent is a/b as a percentage.
func percent(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", 100*a/b)
}

// times is a/b as a factor.
func times(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f×", a/b)
}

// ms shows a latency in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
