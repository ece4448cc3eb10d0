/**
 * The phases of one request, for its `Server-Timing` header: every millisecond the Worker spends before it
 * answers has a name (the benchmark prints them). Phases may nest (the saga's own phases run inside `saga`);
 * a phase timed twice adds up.
 */
export class ServerTiming {
  private readonly phases = new Map<string, number>();

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.add(name, Date.now() - started);
    }
  }

  add(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  /** Phases measured elsewhere (in a Durable Object) and reported back. */
  addAll(phases: Readonly<Record<string, number>> | undefined): void {
    for (const [name, ms] of Object.entries(phases ?? {})) this.add(name, ms);
  }

  /** `app;dur=<total>` first (the benchmark reads it), then each phase in the order it first ran. */
  header(totalMs: number): string {
    return [`app;dur=${totalMs}`, ...[...this.phases].map(([name, ms]) => `${name};dur=${ms}`)].join(", ");
  }
}


/** Times `work` as `name` when there is a request to report it to (a context built for cron has none). */
export function timed<T>(timing: ServerTiming | undefined, name: string, work: () => Promise<T>): Promise<T> {
  return timing ? timing.time(name, work) : work();
}
