import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiDocument } from "../../src/openapi/document";
import { renderApiReference } from "../../src/views/api-reference";

const hostile = "<script>alert('x')</script>";

const document = openApiDocument(
  [
    {
      id: "putThing",
      method: "put",
      path: "/admin/things/{name}",
      scope: "deployment",
      tag: "Things",
      summary: `Save ${hostile}`,
      description: `Uses \`code\` and ${hostile}`,
      pathParams: { name: { schema: z.string().max(5), description: hostile } },
      body: {
        schema: z.object({ kind: z.enum(["a", hostile]), secret: z.string().min(8), list: z.array(z.object({ n: z.number().int().min(1) })).max(3) }).strict(),
        notes: { kind: hostile },
        writeOnly: ["secret"],
      },
      responses: { 200: { description: hostile } },
    },
  ],
  { title: hostile, version: "1", description: hostile, salonPrefixes: [], errorSchema: z.object({ ok: z.literal(false) }), tags: [{ name: "Things", description: hostile }] },
);

describe("renderApiReference", () => {
  const html = renderApiReference(document);

  it("escapes every text that comes from the document", () => {
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;");
  });

  it("lists parameters and nested body fields with their types and rules", () => {
    expect(html).toContain('data-method="PUT" data-path="/admin/things/{name}"');
    expect(html).toMatch(/<code>name<\/code><\/td><td>path<\/td><td>yes<\/td><td>string<\/td><td>at most 5 characters<\/td>/);
    expect(html).toMatch(/<code>secret<\/code><\/td><td>yes<\/td><td>string<\/td><td>at least 8 characters<br>write-only: never answered<\/td>/);
    expect(html).toMatch(/<code>list<\/code><\/td><td>yes<\/td><td>array of objects<\/td><td>at most 3 items<\/td>/);
    expect(html).toMatch(/<code>list\[\]\.n<\/code><\/td><td>yes<\/td><td>integer<\/td><td>≥ 1<\/td><td><\/td><\/tr>/);
    expect(html).toContain("Body: JSON, no fields other than these.");
    expect(html).toContain("Uses <code>code</code> and");
  });
});
