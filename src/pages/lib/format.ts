/** Times and durations in the reader's language and time zone (the browser's own). */
export class Formats {
	// Each formatter is made on first use: making one loads its locale's data, and all six took a
	// phone (4x slower CPU) 160 ms before the join page could open its socket (W7).
	private clockFormat?: Intl.DateTimeFormat;
	private dateAndTimeFormat?: Intl.DateTimeFormat;
	private minuteUnitFormat?: Intl.NumberFormat;
	private shortMinutesFormat?: Intl.NumberFormat;
	private shortHoursFormat?: Intl.NumberFormat;
	private relativeFormat?: Intl.RelativeTimeFormat;

	constructor(readonly lang: string) {}

	private get clock(): Intl.DateTimeFormat {
		return (this.clockFormat ??= new Intl.DateTimeFormat(this.lang, { hour: "numeric", minute: "2-digit" }));
	}

	private get dateAndTime(): Intl.DateTimeFormat {
		return (this.dateAndTimeFormat ??= new Intl.DateTimeFormat(this.lang, { dateStyle: "medium", timeStyle: "short" }));
	}

	private get minuteUnit(): Intl.NumberFormat {
		return (this.minuteUnitFormat ??= new Intl.NumberFormat(this.lang, { style: "unit", unit: "minute", unitDisplay: "long" }));
	}

	private get shortMinutes(): Intl.NumberFormat {
		return (this.shortMinutesFormat ??= new Intl.NumberFormat(this.lang, { style: "unit", unit: "minute", unitDisplay: "short" }));
	}

	private get shortHours(): Intl.NumberFormat {
		return (this.shortHoursFormat ??= new Intl.NumberFormat(this.lang, { style: "unit", unit: "hour", unitDisplay: "short", maximumFractionDigits: 1 }));
	}

	private get relative(): Intl.RelativeTimeFormat {
		return (this.relativeFormat ??= new Intl.RelativeTimeFormat(this.lang, { numeric: "auto", style: "short" }));
	}

	time(at: number): string {
		return this.clock.format(at);
	}

	/** The time alone today, with the date on other days. */
	when(at: number, now = Date.now()): string {
		return new Date(at).toDateString() === new Date(now).toDateString() ? this.time(at) : this.dateAndTime.format(at);
	}

	/** 1:02:03 or 4:05: what a countdown shows. */
	countdown(ms: number): string {
		const total = Math.max(0, Math.ceil(ms / 1000));
		const h = Math.floor(total / 3600);
		const m = Math.floor((total % 3600) / 60);
		const s = String(total % 60).padStart(2, "0");
		return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
	}

	/** "12 hr" or "45 min": a wait, rounded as a person would say it. */
	duration(ms: number): string {
		const minutes = Math.max(1, Math.round(ms / 60_000));
		return minutes < 90 ? this.shortMinutes.format(minutes) : this.shortHours.format(Math.round(minutes / 30) / 2);
	}

	minutes(count: number): string {
		return this.minuteUnit.format(count);
	}

	/** "now", "3 min. ago", "2 hr. ago", "yesterday". */
	ago(at: number, now = Date.now()): string {
		const seconds = Math.round((at - now) / 1000);
		if (seconds > -45) return this.relative.format(0, "second");
		const minutes = Math.round(seconds / 60);
		if (minutes > -60) return this.relative.format(minutes, "minute");
		const hours = Math.round(minutes / 60);
		if (hours > -24) return this.relative.format(hours, "hour");
		return this.relative.format(Math.round(hours / 24), "day");
	}
}
