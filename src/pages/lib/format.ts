/** Times and durations in the reader's language and time zone (the browser's own). */
export class Formats {
	private readonly clock: Intl.DateTimeFormat;
	private readonly dateAndTime: Intl.DateTimeFormat;
	private readonly minuteUnit: Intl.NumberFormat;
	private readonly shortMinutes: Intl.NumberFormat;
	private readonly shortHours: Intl.NumberFormat;
	private readonly relative: Intl.RelativeTimeFormat;

	constructor(readonly lang: string) {
		this.clock = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
		this.dateAndTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
		this.minuteUnit = new Intl.NumberFormat(lang, { style: "unit", unit: "minute", unitDisplay: "long" });
		this.shortMinutes = new Intl.NumberFormat(lang, { style: "unit", unit: "minute", unitDisplay: "short" });
		this.shortHours = new Intl.NumberFormat(lang, { style: "unit", unit: "hour", unitDisplay: "short", maximumFractionDigits: 1 });
		this.relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto", style: "short" });
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
