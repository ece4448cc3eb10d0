// An alert webhook receiver (like a Slack incoming webhook) for tests and manual runs: records what it is
// sent and can be told to fail the next N posts, so the gateway's retries can be seen. Memory-only.

export interface ReceivedAlert {
  receivedAt: string;
  contentType: string | null;
  body: string;
}

const LIMIT = 500;

export class AlertSink {
  private received: ReceivedAlert[] = [];
  private failNext = 0;
  private failedCount = 0;

  /** The answer the sender gets: 500 while failures are pending (nothing recorded), else 200. */
  receive(alert: ReceivedAlert): number {
    if (this.failNext > 0) {
      this.failNext -= 1;
      this.failedCount += 1;
      return 500;
    }
    this.received.push(alert);
    if (this.received.length > LIMIT) this.received.shift();
    return 200;
  }

  failNextPosts(times: number): void {
    this.failNext = times;
  }

  snapshot(): { alerts: ReceivedAlert[]; failed: number; failNext: number } {
    return { alerts: this.received, failed: this.failedCount, failNext: this.failNext };
  }

  clear(): void {
    this.received = [];
    this.failNext = 0;
    this.failedCount = 0;
  }
}
