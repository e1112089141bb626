// Baseline for the browser benchmark: Papa Parse plus JavaScript versions of
// the users CSV checks of crates/core (header mapping, required fields per
// action, field lengths and control characters, login id, email and phone
// rules, formula-like and invisible characters, duplicate login ids and
// emails case-insensitively). It runs in a worker, as ours does, and answers
// each message with counts and the findings.
//
// NOTE: unlike the Rust validator it reports spreadsheet rows but not the
// physical lines each record spans, because Papa Parse does not give them
// without its slower step-by-step mode. This leaves the baseline a little
// less work to do than ours.
"use strict";

importScripts("/papaparse/papaparse.min.js");

const FIELDS = [
  "login_id", "email", "family_name", "given_name", "display_name",
  "department", "title", "phone",
];
const REQUIRED_FOR_CREATE = new Set(["login_id", "email", "family_name", "given_name"]);
const MAX_CHARS = {
  login_id: 64, email: 254, family_name: 64, given_name: 64,
  display_name: 128, department: 128, title: 128, phone: 32,
};
const LABELS = {
  login_id: "Login ID", email: "Email", family_name: "Family name",
  given_name: "Given name", display_name: "Display name", department: "Department",
  title: "Title", phone: "Phone",
};
const TEXT_FIELDS = new Set(["family_name", "given_name", "display_name", "department", "title"]);
const MULTILINE_FIELDS = new Set(["department", "title"]);
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/;
const FULL_WIDTH = /[＠。．]/;
const LOGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TOP_LEVEL = /^[A-Za-z]{2,}$/;
const PHONE = /^\+?[0-9 ()\-.]*$/;
const HAS_DIGIT = /[0-9]/;
// Control characters as Rust's char::is_control defines them: C0 and C1.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

function normalizeHeader(cell) {
  return cell.trim().replace(/^\uFEFF/, "").toLowerCase().replace(/[ -]/g, "_");
}

function checkEmail(value) {
  if (FULL_WIDTH.test(value)) return `Email \`${value}\` contains full-width characters.`;
  if (/\s/.test(value)) return `Email \`${value}\` contains a space; remove it.`;
  const at = value.indexOf("@");
  if (at < 0) return `Email \`${value}\` has no \`@\`.`;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (domain.includes("@")) return `Email \`${value}\` has more than one \`@\`.`;
  if (local.length === 0) return `Email \`${value}\` has nothing before the \`@\`.`;
  if (local.length > 64) return `Email \`${value}\` has more than 64 characters before the \`@\`.`;
  if (!EMAIL_LOCAL.test(local)) return `Email \`${value}\` has a character addresses cannot hold.`;
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return `Email \`${value}\` has a misplaced dot before the \`@\`.`;
  }
  if (domain.length === 0) return `Email \`${value}\` has no domain after the \`@\`.`;
  const labels = domain.split(".");
  if (labels.length < 2) return `Email \`${value}\` has no top-level domain.`;
  for (const label of labels) {
    if (label.length > 63 || !DOMAIN_LABEL.test(label)) {
      return `Email \`${value}\` has an invalid domain \`${domain}\`.`;
    }
  }
  if (!TOP_LEVEL.test(labels[labels.length - 1])) {
    return `Email \`${value}\` does not end in a top-level domain.`;
  }
  return null;
}

// Returns [severity, code, message] for a value, or null when it is fine.
function checkField(field, value, required) {
  if (value.length === 0) {
    return required ? ["error", "required", `${LABELS[field]} is required.`] : null;
  }
  // Count code points, as Rust's chars().count() does.
  let length = 0;
  for (const _ of value) length += 1;
  if (length > MAX_CHARS[field]) {
    return ["error", "too_long", `${LABELS[field]} is ${length} characters long.`];
  }
  const control = MULTILINE_FIELDS.has(field) ? CONTROL_BUT_NEWLINE : CONTROL;
  if (control.test(value)) {
    return ["error", "control_character", `${LABELS[field]} contains a control character.`];
  }
  if (field === "login_id") {
    return LOGIN_ID.test(value)
      ? null
      : ["error", "invalid_login_id", `Login ID \`${value}\` is invalid.`];
  }
  if (field === "email") {
    const problem = checkEmail(value);
    return problem === null ? null : ["error", "invalid_email", problem];
  }
  if (field === "phone") {
    if (!PHONE.test(value)) return ["error", "invalid_phone", `Phone \`${value}\` is invalid.`];
    if (!HAS_DIGIT.test(value)) return ["error", "invalid_phone", `Phone \`${value}\` has no digits.`];
    return null;
  }
  if (TEXT_FIELDS.has(field) && value.includes("  ")) {
    return ["warning", "double_space", `${LABELS[field]} \`${value}\` contains two spaces.`];
  }
  return null;
}

function validate(buffer) {
  const findings = [];
  const counts = { errors: 0, warnings: 0, notices: 0 };
  const add = (severity, code, row, column, message) => {
    findings.push({ severity, code, row, column, message });
    if (severity === "error") counts.errors += 1;
    else if (severity === "warning") counts.warnings += 1;
    else counts.notices += 1;
  };

  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch (error) {
    add("error", "unknown_encoding", null, null, String(error));
    return { rows: 0, validRows: 0, counts, findings };
  }
  const parsed = Papa.parse(text, { skipEmptyLines: "greedy" });
  for (const error of parsed.errors) {
    add("error", "unreadable", error.row + 1, null, error.message);
  }
  const records = parsed.data;
  if (records.length === 0) {
    add("error", "empty_file", null, null, "The file is empty.");
    return { rows: 0, validRows: 0, counts, findings };
  }

  // Header mapping: each cell is the action, a user field, or ignored.
  const columns = records[0].map((cell) => {
    const name = normalizeHeader(cell);
    if (name === "action") return "action";
    return FIELDS.includes(name) ? name : null;
  });
  const hasColumn = new Set(columns.filter((column) => column !== null));
  if (!hasColumn.has("action") || !hasColumn.has("login_id")) {
    add("error", "missing_header", null, null, "The header has no action or login_id column.");
    return { rows: 0, validRows: 0, counts, findings };
  }

  const seenLoginIds = new Map();
  const seenEmails = new Map();
  let validRows = 0;
  let trimmed = 0;
  for (let index = 1; index < records.length; index += 1) {
    const cells = records[index];
    const row = index + 1;
    const errorsBefore = counts.errors;
    if (cells.length > columns.length) {
      const extra = cells.slice(columns.length);
      if (extra.some((cell) => cell.trim().length > 0)) {
        add("error", "too_many_cells", row, null, "The row has more values than the header.");
      }
    }
    let action = null;
    const values = {};
    for (let column = 0; column < columns.length; column += 1) {
      const field = columns[column];
      if (field === null) continue;
      const raw = cells[column] ?? "";
      const value = raw.trim();
      if (value.length !== raw.length) trimmed += 1;
      if (INVISIBLE.test(value)) {
        add("warning", "invisible_character", row, field, `\`${value}\` contains an invisible character.`);
      }
      const first = value.charAt(0);
      const formula = first === "=" || first === "+" || first === "-" || first === "@" ||
        first === "\t" || first === "\r";
      if (formula && !(field === "phone" && first === "+")) {
        add("warning", "formula_like", row, field, `\`${value}\` starts like a formula.`);
      }
      if (field === "action") action = value.toLowerCase();
      else values[field] = value;
    }
    if (action !== "create" && action !== "update" && action !== "delete") {
      add("error", "invalid_action", row, "action", `The action \`${action}\` is unknown.`);
      continue;
    }
    for (const field of FIELDS) {
      const required = field === "login_id" || (action === "create" && REQUIRED_FOR_CREATE.has(field));
      if (required && !hasColumn.has(field)) continue;
      if (action === "delete" && field !== "login_id") continue;
      const issue = checkField(field, values[field] ?? "", required);
      if (issue !== null) add(issue[0], issue[1], row, field, issue[2]);
    }
    if (action === "update" && FIELDS.every((f) => f === "login_id" || !values[f])) {
      add("warning", "update_without_change", row, null, "The update names no change.");
      continue;
    }
    for (const [field, seen] of [["login_id", seenLoginIds], ["email", seenEmails]]) {
      const value = values[field] ?? "";
      if (value.length === 0) continue;
      const key = value.toLowerCase();
      const firstRow = seen.get(key);
      if (firstRow === undefined) seen.set(key, row);
      else add("error", "duplicate_key", row, field, `\`${value}\` duplicates row ${firstRow}.`);
    }
    if (counts.errors === errorsBefore) validRows += 1;
  }
  if (trimmed > 0) add("notice", "trimmed", null, null, `${trimmed} value(s) were trimmed.`);
  return { rows: records.length - 1, validRows, counts, findings };
}

onmessage = (event) => {
  const { job, bytes } = event.data;
  const result = validate(bytes);
  // Send the counts and the first findings, as the Rust worker's digest does.
  postMessage({
    job,
    rows: result.rows,
    validRows: result.validRows,
    counts: result.counts,
    findings: result.findings.slice(0, 20),
  });
};

postMessage({ ready: true });
