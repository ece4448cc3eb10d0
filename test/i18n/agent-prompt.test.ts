import { describe, expect, it } from "vitest";
import { LOCALES, messagesFor } from "../../src/i18n";
import { agentPrompt, serviceMinutes } from "../../src/i18n/agent-prompt";
import { ZONE, dauerwelle, faerben } from "../domain/fixtures";

const catalog = [dauerwelle, faerben];

describe("agentPrompt", () => {
  it.each(LOCALES)("tells the %s agent today's date on the salon's clock, not Retell's Los Angeles default", (locale) => {
    const prompt = agentPrompt(locale, catalog, ZONE);
    expect(prompt).toContain("{{current_time_Europe/Berlin}}");
    expect(prompt).not.toContain("{{current_time}}");
  });

  it("lists every service with its length and stylists, and the whole team", () => {
    const prompt = agentPrompt("de", catalog, ZONE);
    expect(serviceMinutes(dauerwelle)).toBe(165);
    expect(prompt).toContain("- Dauerwelle: etwa 2 Stunden 45 Minuten, bei Anna, Ben und Clara");
    expect(prompt).toMatch(/- Färben: etwa .+, bei /);
    expect(prompt).toContain("## Team\nAnna, Ben und Clara");
  });

  it("teaches how spoken days and times become date and time", () => {
    const prompt = agentPrompt("de", catalog, ZONE);
    for (const phrase of ["morgen", "nächsten Dienstag", "halb drei", "YYYY-MM-DD", "HH:mm", "date 2026-12-06 und time 14:30"]) {
      expect(prompt).toContain(phrase);
    }
  });

  it("asks to check availability before booking and to confirm name and time before start_booking", () => {
    const prompt = agentPrompt("en", catalog, ZONE);
    expect(prompt).toMatch(/check_availability before every booking/);
    expect(prompt).toMatch(/Before start_booking: repeat the name, service, day and time/);
  });

  it.each(LOCALES)("says what to do for every reason (%s)", (locale) => {
    const prompt = agentPrompt(locale, catalog, ZONE);
    for (const [reason, guidance] of Object.entries(messagesFor(locale).reasons)) expect(prompt).toContain(`- ${reason}: ${guidance}`);
  });

  it("says so when the catalog is empty instead of listing nothing", () => {
    expect(agentPrompt("en", [], ZONE)).toContain("No services set up yet");
  });
});
