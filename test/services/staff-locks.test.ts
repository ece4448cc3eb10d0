import { describe, expect, it } from "vitest";
import { lockName } from "../../src/services/staff-locks";

describe("lockName", () => {
  it("names one lock per stylist however the name is spelled in case, spaces or Unicode form", () => {
    const composed = "J\u00fcrgen  M\u00fcller";
    const decomposed = " ju\u0308rgen mu\u0308ller ";
    expect(lockName("t1", composed, "2026-12-05")).toBe(lockName("t1", decomposed, "2026-12-05"));
    expect(lockName("t1", "ANNA", "2026-12-05")).toBe(lockName("t1", "anna", "2026-12-05"));
  });

  it("keeps different stylists and different days apart", () => {
    expect(lockName("t1", "Anna", "2026-12-05")).not.toBe(lockName("t1", "Anne", "2026-12-05"));
    expect(lockName("t1", "Anna", "2026-12-05")).not.toBe(lockName("t1", "Anna", "2026-12-06"));
  });
});
