// The simulated Cal.com account's event types: the demo salon's, plus any a
// test declares through the control API. Owned by the Durable Object.
import { z } from "zod";
import { applySettings, eventTypeSettingsSchema, freshEventTypeSettings } from "./event-type-settings";
import { DEMO_STAFF, demoEventTypes } from "./salon";
import type { EventTypeInfo, StaffInfo } from "./types";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** A user that is not one of the demo staff; Cal.com's default schedule is Mon–Fri 09:00–17:00. */
const ownerSchema = z.union([
  z.string().min(1),
  z.strictObject({
    userId: z.number().int().min(1),
    username: z.string().min(1),
    name: z.string().min(1),
    email: z.email(),
    timeZone: z.string().default("Europe/Berlin"),
    workingHours: z
      .strictObject({ weekdays: z.array(z.number().int().min(1).max(7)), start: clock, end: clock })
      .default({ weekdays: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }),
  }),
]);

export const eventTypeDeclarationSchema = eventTypeSettingsSchema.extend({
  id: z.number().int().min(1),
  lengthInMinutes: z.number().int().min(1).optional(),
  slug: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
  /** A demo staff username, or a full user. */
  owner: ownerSchema.optional(),
});
export type EventTypeDeclaration = z.infer<typeof eventTypeDeclarationSchema>;

export const declarationsSchema = z.strictObject({ eventTypes: z.array(eventTypeDeclarationSchema).min(1) });

export class EventTypeRegistry {
  private readonly byId = new Map<number, EventTypeInfo>();
  private readonly users = new Map<string, StaffInfo>();

  constructor(declared: readonly EventTypeInfo[] = []) {
    this.reset();
    for (const et of declared) this.put(et);
  }

  reset(): void {
    this.byId.clear();
    this.users.clear();
    for (const s of DEMO_STAFF) this.users.set(s.username, s);
    for (const et of demoEventTypes()) this.byId.set(et.id, et);
  }

  private put(et: EventTypeInfo): void {
    this.byId.set(et.id, et);
    this.users.set(et.owner.username, et.owner);
  }

  get(id: number): EventTypeInfo | undefined {
    return this.byId.get(id);
  }

  bySlug(username: string, slug: string): EventTypeInfo | undefined {
    return [...this.byId.values()].find((et) => et.owner.username === username && et.slug === slug);
  }

  user(username: string): StaffInfo | undefined {
    return this.users.get(username);
  }

  all(): EventTypeInfo[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * Upserts one declaration. An existing event type keeps every setting the declaration does not name;
   * a new one starts from a fresh Cal.com event type's defaults. Returns a problem sentence or the event type.
   */
  declare(d: EventTypeDeclaration): EventTypeInfo | string {
    const existing = this.byId.get(d.id);
    let owner: StaffInfo | undefined = existing?.owner;
    if (typeof d.owner === "string") {
      owner = this.users.get(d.owner);
      if (!owner) return `event type ${d.id}: unknown owner username ${d.owner}`;
    } else if (d.owner) owner = { ...d.owner };
    if (!owner) return `event type ${d.id}: a new event type needs an owner`;
    const lengthInMinutes = d.lengthInMinutes ?? existing?.lengthInMinutes;
    if (lengthInMinutes === undefined) return `event type ${d.id}: a new event type needs lengthInMinutes`;
    const { id, lengthInMinutes: _l, slug, title, owner: _o, ...settings } = d;
    const et: EventTypeInfo = {
      id,
      slug: slug ?? existing?.slug ?? `event-${id}`,
      title: title ?? existing?.title ?? `Event ${id}`,
      lengthInMinutes,
      serviceSlug: existing?.serviceSlug ?? null,
      segmentKey: existing?.segmentKey ?? null,
      owner,
      settings: applySettings(existing?.settings ?? freshEventTypeSettings(), settings),
    };
    this.put(et);
    return et;
  }
}
