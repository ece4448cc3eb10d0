// Seed data: every eventTypeId in the demo salon becomes an individual Cal.com
// event type owned by the staff member named next to it, with the Cal.com
// settings the demo salon declares in demo/calcom-event-types.json.
import demoSettings from "../../demo/calcom-event-types.json";
import salon from "../../demo/salon.json";
import { applySettings, eventTypeSettingsSchema, freshEventTypeSettings } from "./event-type-settings";
import type { EventTypeInfo, EventTypeSettings, StaffInfo } from "./types";

export const SALON_TIME_ZONE: string = salon.timeZone;
export const SALON_NAME: string = salon.name;

export const DEMO_STAFF: readonly StaffInfo[] = salon.staff.map((s) => ({
  userId: s.userId,
  name: s.name,
  username: s.username,
  email: s.email,
  timeZone: salon.timeZone,
  workingHours: { weekdays: [...s.workingHours.weekdays], start: s.workingHours.start, end: s.workingHours.end },
}));

/** Parsed once: a typo in the demo settings fails loudly at start-up, not as a silently kinder simulator. */
const DEMO_SETTINGS: EventTypeSettings = applySettings(freshEventTypeSettings(), eventTypeSettingsSchema.parse(demoSettings.settings));

export function demoEventTypes(): EventTypeInfo[] {
  const staffByName = new Map(DEMO_STAFF.map((s) => [s.name, s]));
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
          settings: structuredClone(DEMO_SETTINGS),
        });
      }
    }
  }
  return out.sort((a, b) => a.id - b.id);
}
