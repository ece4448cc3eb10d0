import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from "../openapi/document";
import type { JsonSchema } from "../openapi/json-schema";
import { type FieldRow, constraintsOf, fieldRows, typeOf } from "./schema-fields";
import { escapeHtml } from "./status-page";

/** Escaped text in which `backticks` become code. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

interface Entry {
  path: string;
  method: string;
  operation: OpenApiOperation;
}

export function operationsOf(document: OpenApiDocument): Entry[] {
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
}

const anchorOf = (entry: Entry) => `op-${entry.operation.operationId.replace(/[^A-Za-z0-9_-]/g, "-")}`;

function table(caption: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("");
  return `<table><caption>${escapeHtml(caption)}</caption><tr>${head}</tr>${body}</table>`;
}

const ruleList = (rules: string[]) => rules.map((rule) => escapeHtml(rule)).join("<br>");

function parameterRow(parameter: OpenApiParameter): string[] {
  return [
    `<code>${escapeHtml(parameter.name)}</code>`,
    escapeHtml(parameter.in),
    parameter.required ? "yes" : "no",
    escapeHtml(typeOf(parameter.schema)),
    ruleList(constraintsOf(parameter.schema)),
    prose(parameter.description),
  ];
}

function fieldRow(field: FieldRow): string[] {
  return [
    `<code>${escapeHtml(field.name)}</code>`,
    field.required ? "yes" : "no",
    escapeHtml(field.type),
    ruleList(field.constraints),
    prose(field.description),
  ];
}

function bodySection(operation: OpenApiOperation): string {
  const schema = operation.requestBody?.content["application/json"].schema;
  if (!schema) return "";
  const intro = `<p>Body: JSON${schema.additionalProperties === false ? ", no fields other than these" : ""}.</p>`;
  return intro + table("Body fields", ["field", "required", "type", "rules", "notes"], fieldRows(schema).map(fieldRow));
}

function responsesSection(operation: OpenApiOperation): string {
  const rows = Object.entries(operation.responses).map(([status, response]) => {
    const types = Object.keys(response.content ?? {});
    return [`<code>${escapeHtml(status)}</code>`, prose(response.description), escapeHtml(types.join(", ") || "no body")];
  });
  return table("Responses", ["status", "meaning", "body"], rows);
}

function operationSection(entry: Entry): string {
  const { operation } = entry;
  const auth = operation.security.length > 0 ? "Needs the admin token." : "Open to anyone.";
  return (
    `<section class="operation" id="${anchorOf(entry)}" data-method="${escapeHtml(entry.method.toUpperCase())}" data-path="${escapeHtml(entry.path)}">` +
    `<h3><span class="method ${escapeHtml(entry.method)}">${escapeHtml(entry.method.toUpperCase())}</span> <code>${escapeHtml(entry.path)}</code></h3>` +
    `<p class="summary">${prose(operation.summary)}. <span class="auth">${auth}</span></p>` +
    (operation.description ? `<p>${prose(operation.description)}</p>` : "") +
    table("Parameters", ["name", "in", "required", "type", "rules", "meaning"], operation.parameters.map(parameterRow)) +
    bodySection(operation) +
    responsesSection(operation) +
    `</section>`
  );
}

function errorSection(document: OpenApiDocument): string {
  const components = document.components as { schemas: Record<string, JsonSchema> } | undefined;
  const error = components?.schemas.Error;
  if (!error) return "";
  return (
    `<section id="errors"><h2>Errors</h2><p>Every error answers the same JSON body:</p>` +
    table("Error body", ["field", "required", "type", "rules", "notes"], fieldRows(error).map(fieldRow)) +
    `</section>`
  );
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1f24}
code{font:13px ui-monospace,monospace;background:#f2f4f7;padding:0 .2em;border-radius:3px}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d6dae0;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.operation{border-top:2px solid #d6dae0;padding-top:.5rem;margin-top:1.5rem}.method{font:700 13px ui-monospace,monospace;padding:.1em .4em;border-radius:3px;color:#fff;background:#57606a}
.method.get{background:#1f6feb}.method.put{background:#9a6700}.method.post{background:#1a7f37}.method.delete{background:#cf222e}
nav li{margin:.15rem 0}.auth{color:#57606a}`;

/** The OpenAPI document as one self-contained HTML page: every value from the document is escaped. */
export function renderApiReference(document: OpenApiDocument): string {
  const info = document.info as { title: string; version: string; description: string };
  const entries = operationsOf(document);
  const tags = (document.tags as Array<{ name: string; description: string }> | undefined) ?? [];
  const groups = tags
    .map((tag) => ({ tag, entries: entries.filter((entry) => entry.operation.tags.includes(tag.name)) }))
    .filter((group) => group.entries.length > 0);
  const nav = groups
    .map(
      (group) =>
        `<li><strong>${escapeHtml(group.tag.name)}</strong> — ${prose(group.tag.description)}<ul>` +
        group.entries
          .map((entry) => `<li><a href="#${anchorOf(entry)}"><code>${escapeHtml(entry.method.toUpperCase())} ${escapeHtml(entry.path)}</code></a> ${prose(entry.operation.summary)}</li>`)
          .join("") +
        `</ul></li>`,
    )
    .join("");
  const sections = groups.map((group) => `<h2>${escapeHtml(group.tag.name)}</h2>${group.entries.map(operationSection).join("")}`).join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(info.title)}</title><style>${STYLE}</style></head><body>` +
    `<h1>${escapeHtml(info.title)}</h1><p>${prose(info.description)}</p>` +
    `<p>Version ${escapeHtml(info.version)}. Machine-readable: <a href="/admin/openapi.json"><code>/admin/openapi.json</code></a> (OpenAPI ${escapeHtml(document.openapi)}).</p>` +
    `<nav><ul>${nav}</ul></nav>${sections}${errorSection(document)}</body></html>`
  );
}
