import type { CallClaim, SagaOutcome } from "../domain/saga-outcome";

interface CallRecord {
  claimedAtMs: number;
  answerJson?: string;
  /** The composite uid of the saga that runs this call anew, once this one's answer no longer held. */
  followedBy?: string;
}

const CALL_KEY = "call";
/** A claimed call whose Worker never answered is taken over after this long. */
const CALL_CLAIM_TTL_MS = 90_000;

/** The Retell answer of the function call this saga serves, so a replayed call is answered the same. */
export class CallLedger {
  constructor(private readonly storage: DurableObjectStorage) {}

  /**
   * First caller gets "new"; replays get the recorded answer, or "running" meanwhile. `sagaOutcome` is read
   * only for a claim that never got its answer recorded: if it got as far as the saga, running again would plan anew.
   */
  async claim(sagaOutcome: () => Promise<SagaOutcome | undefined>): Promise<CallClaim> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return { status: "superseded", next: call.followedBy };
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    if (call && Date.now() - call.claimedAtMs < CALL_CLAIM_TTL_MS) return { status: "running" };
    const outcome = await sagaOutcome();
    if (outcome) return { status: "booking", outcome };
    await this.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: Date.now() });
    return { status: "new" };
  }

  /** The call ended without an answer worth replaying (a passing refusal, an error): the next copy runs anew. */
  async release(): Promise<void> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call && !call.answerJson) await this.storage.delete(CALL_KEY);
  }

  /**
   * This call's answer no longer holds: its next run is `nextCompositeUid`'s — or, when a concurrent copy
   * decided that first, that copy's. Returns the uid every copy follows.
   */
  async supersede(nextCompositeUid: string): Promise<string> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return call.followedBy;
    await this.storage.put<CallRecord>(CALL_KEY, { ...(call ?? { claimedAtMs: Date.now() }), followedBy: nextCompositeUid });
    return nextCompositeUid;
  }

  async peek(): Promise<CallClaim> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return { status: "superseded", next: call.followedBy };
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    return call ? { status: "running" } : { status: "new" };
  }

  async record(answerJson: string): Promise<void> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    await this.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: call?.claimedAtMs ?? Date.now(), answerJson });
  }

  async exists(): Promise<boolean> {
    return (await this.storage.get<CallRecord>(CALL_KEY)) !== undefined;
  }

  async forget(): Promise<void> {
    await this.storage.delete(CALL_KEY);
  }
}
