/**
 * A short two-note chime for a newly waiting chat, made with Web Audio so no sound file is
 * fetched. Browsers only allow sound after the person has interacted with the page, so the
 * console primes it on the sign-in click or the first click after a reload.
 */
let context: AudioContext | null = null;

export function primeSound(): void {
	context ??= new AudioContext();
	if (context.state === "suspended") void context.resume();
}

export function chime(): void {
	if (!context || context.state !== "running") return;
	const start = context.currentTime;
	for (const [offset, frequency] of [
		[0, 880],
		[0.16, 1318.5],
	] as const) {
		const tone = context.createOscillator();
		const volume = context.createGain();
		tone.frequency.value = frequency;
		volume.gain.setValueAtTime(0.0001, start + offset);
		volume.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
		volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
		tone.connect(volume).connect(context.destination);
		tone.start(start + offset);
		tone.stop(start + offset + 0.32);
	}
}
