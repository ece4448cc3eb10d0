import type { SagaRecord } from "../domain/saga-types";

const SAGA_KEY = "saga";

/** The saga's state and alarm in its Durable Object's storage. */
export class SagaStore {
  constructor(private readonly storage: DurableObjectStorage) {}

  async load(): Promise<SagaRecord | undefined> {
    return this.storage.get<SagaRecord>(SAGA_KEY);
  }

  async save(record: SagaRecord): Promise<void> {
    await this.storage.put(SAGA_KEY, record);
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
