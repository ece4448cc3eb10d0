import type { CallClaim, SagaOutcome } from "../domain/saga-outcome";

interface CallRecord {
  claimedAtMs: number;
  answerJson?: string;
  /** The composite uid of the saga that runs this call anew, once this one's answer no longer held. */
  followedBy?: string;
}

/**
 * The signed requests this saga answered, by digest of signature + bytes: the answer each got, or null while it
 * is still being answered. A copy of the same bytes gets that answer again, whatever became of the booking since.
 */
type SignedCopies = Record<string, string | null>;

const CALL_KEY = "call";
const COPIES_KEY = "copies";
/** A claimed call whose Worker never answered is taken over after this long. */
const CALL_CLAIM_TTL_MS = 90_000;

/** The Retell answer of the function call this saga serves, so a replayed call is answered the same. */
export class CallLedger {
  constructor(private readonly storage: DurableObjectStorage) {}

  /**
   * First caller gets "new"; replays get the recorded answer, or "running" meanwhile. `sagaOutcome` is read
   * only for a claim that never got its answer recorded: if it got as far as the saga, running again would plan anew.
   * `digest` names the signed request: a copy of bytes this saga already answered gets "copy" with that answer
   * (or "running" while it is still being answered), even once the call's answer stopped holding.
   */
  async claim(sagaOutcome: () => Promise<SagaOutcome | undefined>, digest?: string): Promise<CallClaim> {
    const copies = digest === undefined ? {} : ((await this.storage.get<SignedCopies>(COPIES_KEY)) ?? {});
    if (digest !== undefined && digest in copies) {
      const answerJson = copies[digest];
      return answerJson ? { status: "copy", answerJson } : { status: "running" };
    }
    const claim = await this.claimCall(sagaOutcome);
    // Every request this saga answers is remembered by its bytes; one sent on to the next run is that saga's.
    if (digest !== undefined && claim.status !== "superseded") await this.storage.put<SignedCopies>(COPIES_KEY, { ...copies, [digest]: null });
    return claim;
  }

  private async claimCall(sagaOutcome: () => Promise<SagaOutcome | undefined>): Promise<CallClaim> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return { status: "superseded", next: call.followedBy };
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    if (call && Date.now() - call.claimedAtMs < CALL_CLAIM_TTL_MS) return { status: "running" };
    const outcome = await sagaOutcome();
    if (outcome) return { status: "booking", outcome };
    await this.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: Date.now() });
    return { status: "new" };
  }

  /**
   * The call ended without an answer worth replaying (a passing refusal, an error): the next copy runs anew.
   * A copy of the same signed bytes gets `answerJson` again; without one (an error), it runs anew too.
   */
  async release(digest?: string, answerJson?: string): Promise<void> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call && !call.answerJson) await this.storage.delete(CALL_KEY);
    if (digest !== undefined) await this.answerCopy(digest, answerJson);
  }

  /**
   * This call's answer no longer holds: its next run is `nextCompositeUid`'s — or, when a concurrent copy
   * decided that first, that copy's. Returns the uid every copy follows. The request that found out (`digest`)
   * is answered by that run, and remembered there.
   */
  async supersede(nextCompositeUid: string, digest?: string): Promise<string> {
    if (digest !== undefined) await this.answerCopy(digest, undefined);
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return call.followedBy;
    await this.storage.put<CallRecord>(CALL_KEY, { ...(call ?? { claimedAtMs: Date.now() }), followedBy: nextCompositeUid });
    return nextCompositeUid;
  }

  /** Like a claim, without claiming: a copy already answered gets its own answer, anything else the call's. */
  async peek(digest?: string): Promise<CallClaim> {
    if (digest !== undefined) {
      const answerJson = (await this.storage.get<SignedCopies>(COPIES_KEY))?.[digest];
      if (answerJson) return { status: "answered", answerJson };
    }
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    if (call?.followedBy) return { status: "superseded", next: call.followedBy };
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    return call ? { status: "running" } : { status: "new" };
  }

  /** The call's answer, and (`digest`) the answer that signed request got. */
  async record(answerJson: string, digest?: string): Promise<void> {
    const call = await this.storage.get<CallRecord>(CALL_KEY);
    await this.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: call?.claimedAtMs ?? Date.now(), answerJson });
    if (digest !== undefined) await this.answerCopy(digest, answerJson);
  }

  /** The answer one signed request got (a replay of the call's answer), for a copy of its bytes; none: forget it. */
  async answerCopy(digest: string, answerJson: string | undefined): Promise<void> {
    const copies = (await this.storage.get<SignedCopies>(COPIES_KEY)) ?? {};
    if (answerJson === undefined) {
      if (!(digest in copies)) return;
      delete copies[digest];
    } else copies[digest] = answerJson;
    await this.storage.put<SignedCopies>(COPIES_KEY, copies);
  }

  async exists(): Promise<boolean> {
    return (await this.storage.get<CallRecord>(CALL_KEY)) !== undefined || (await this.storage.get<SignedCopies>(COPIES_KEY)) !== undefined;
  }

  async forget(): Promise<void> {
    await this.storage.delete([CALL_KEY, COPIES_KEY]);
  }
}
