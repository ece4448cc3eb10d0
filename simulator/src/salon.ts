// Seed data: every eventTypeId in the demo salon becomes an individual Cal.com
// event type owned by the staff member named next to it.
import salon from "../../demo/salon.json";
import type { EventTypeInfo, StaffInfo } from "./types";

export const SALON_TIME_ZONE: string = salon.timeZone;
export const SALON_NAME: string = salon.name;

const staffByName = new Map<string, StaffInfo>(
  salon.staff.map((s) => [
    s.name,
    {
      userId: s.userId,
      name: s.name,
      username: s.username,
      email: s.email,
      timeZone: salon.timeZone,
      workingHours: { weekdays: [...s.workingHours.weekdays], start: s.workingHours.start, end: s.workingHours.end },
    },
  ]),
);

function buildEventTypes(): EventTypeInfo[] {
  const out: EventTypeInfo[] = [];
  for (const service of salon.services) {
    for (const segment of service.segments) {
      for (const et of segment.eventTypes) {
        const owner = staffByName.get(et.staff);
        if (!owner) throw new Error(`salon.json: unknown staff ${et.staff} for event type ${et.eventTypeId}`);
        out.push({
          id: et.eventTypeId,
          slug: `${service.slug}-${segment.key.toLowerCase()}-${owner.username}`,
          title: `${service.name} – ${segment.name} (${owner.name})`,
          lengthInMinutes: segment.durationMinutes,
          serviceSlug: service.slug,
          segmentKey: segment.key,
          owner,
        });
      }
    }
  }
  return out.sort((a, b) => a.id - b.id);
}

export const EVENT_TYPES: readonly EventTypeInfo[] = buildEventTypes();

const byId = new Map(EVENT_TYPES.map((et) => [et.id, et]));

export function findEventType(id: number): EventTypeInfo | undefined {
  return byId.get(id);
}

export function findEventTypeBySlug(username: string, slug: string): EventTypeInfo | undefined {
  return EVENT_TYPES.find((et) => et.owner.username === username && et.slug === slug);
}

export function findStaffByUsername(username: string): StaffInfo | undefined {
  return [...staffByName.values()].find((s) => s.username === username);
}
