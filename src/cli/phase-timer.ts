/** Wall-clock seconds of a command's consecutive phases, for `--timings`. */
export class PhaseTimer {
  private last = performance.now();
  private readonly phases: [string, number][] = [];

  /** Ends the current phase under `name`; the next one starts now. */
  end(name: string): void {
    const now = performance.now();
    this.phases.push([name, (now - this.last) / 1000]);
    this.last = now;
  }

  /** `read 0.214 s, index 0.051 s, ...` */
  summary(): string {
    return this.phases.map(([name, seconds]) => `${name} ${seconds.toFixed(3)} s`).join(', ');
  }
}
