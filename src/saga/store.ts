import type { SagaRecord } from "../domain/saga-types";

const SAGA_KEY = "saga";
/** Present while the appointment's D1 row is (or may be) `pending`: kept apart from the record, see writePendingRow. */
const ROW_PENDING_KEY = "row_pending";

/** The saga's state and alarm in its Durable Object's storage. */
export class SagaStore {
  constructor(private readonly storage: DurableObjectStorage) {}

  async load(): Promise<SagaRecord | undefined> {
    return this.storage.get<SagaRecord>(SAGA_KEY);
  }

  async save(record: SagaRecord): Promise<void> {
    await this.storage.put(SAGA_KEY, record);
  }

  /** The first save of a new booking's record, with the note that its pending D1 row is on its way. */
  async saveWithPendingRow(record: SagaRecord): Promise<void> {
    await this.storage.put({ [SAGA_KEY]: record, [ROW_PENDING_KEY]: true });
  }

  async rowPending(): Promise<boolean> {
    return (await this.storage.get<boolean>(ROW_PENDING_KEY)) === true;
  }

  /** The pending row is written (or removed); `settled`: the saga is final, so its alarm has nothing left to do. */
  async rowWritten(settled: boolean): Promise<void> {
    await Promise.all([this.storage.delete(ROW_PENDING_KEY), settled ? this.storage.deleteAlarm() : undefined]);
  }

  async setAlarm(atMs: number): Promise<void> {
    await this.storage.setAlarm(atMs);
  }

  /** Never postpones an alarm that is already due sooner. */
  async ensureAlarm(atMs: number): Promise<void> {
    const current = await this.storage.getAlarm();
    if (current === null || current > atMs) await this.storage.setAlarm(atMs);
  }

  async deleteAlarm(): Promise<void> {
    await this.storage.deleteAlarm();
  }

  /** Everything this saga object keeps (its state, its call's answer) and its alarm. */
  async deleteEverything(): Promise<void> {
    await this.storage.deleteAlarm();
    await this.storage.deleteAll();
  }
}
