// Unknown fields in a Kubernetes object, offline. kubernetes-models'
// validate() checks the types and required fields of the API's OpenAPI
// schema but, like that schema, lets a misspelt field through, which the API
// server then refuses (kubectl's strict field validation) or, worse, a tool
// drops. The field names of every API type are in the package's type
// declarations (v1/Container.d.ts: `"readinessProbe"?: IIoK8sApiCoreV1Probe;`),
// generated from the same schema: this module reads them and walks an object
// against them, as kubeconform -strict does with JSON Schema.
"use strict";

const fs = require("fs");
const path = require("path");

// A type expression of a declaration: "Array<X>", "{ [key: string]: X; }",
// an imported interface, or anything else (primitives, literal unions,
// aliases such as IntOrString), which has no fields to check.
function parseType(text, imports) {
  const t = text.trim().replace(/;$/, "").trim();
  const array = /^Array<(.*)>$/s.exec(t);
  if (array) return { array: parseType(array[1], imports) };
  const map = /^\{\s*\[key: string\]:\s*(.*?);?\s*\}$/s.exec(t);
  if (map) return { map: parseType(map[1], imports) };
  if (/^[A-Za-z0-9_]+$/.test(t) && imports[t]) return { ref: imports[t] };
  return { leaf: true };
}

class KnownFields {
  // modulesDir: the node_modules folder holding kubernetes-models.
  constructor(modulesDir) {
    this.modulesDir = modulesDir;
    this.cache = new Map();  // .d.ts path -> {fields} | null (not an interface)
  }

  // The interface declared in file (its first one): field name -> type, or
  // null when the file declares a type alias (a primitive).
  fields(file) {
    if (this.cache.has(file)) return this.cache.get(file);
    const text = fs.readFileSync(file, "utf8");
    const imports = {};
    for (const m of text.matchAll(/import \{ ([A-Za-z0-9_]+) \} from "([^"]+)";/g)) {
      const from = m[2].startsWith(".")
        ? path.resolve(path.dirname(file), m[2])
        : path.join(this.modulesDir, m[2]);
      imports[m[1]] = from + ".d.ts";
    }
    const body = /export interface [A-Za-z0-9_]+(?: extends [A-Za-z0-9_]+)? \{\n([\s\S]*?)\n\}/.exec(text);
    if (!body) {
      this.cache.set(file, null);
      return null;
    }
    const fields = {};
    // Top-level members are indented by four spaces; a member's type may go
    // on over further, deeper lines ({ [key: string]: X; }).
    const lines = body[1].split("\n");
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
      if (!m) continue;
      let type = m[2];
      while (!/;$/.test(type) || (type.match(/\{/g) || []).length > (type.match(/\}/g) || []).length) {
        i++;
        if (i >= lines.length) break;
        type += " " + lines[i].trim();
      }
      fields[m[1]] = parseType(type, imports);
    }
    this.cache.set(file, fields);
    return fields;
  }

  // The declaration file of a top-level object, or null when the package
  // has no model of that apiVersion and kind.
  fileOf(apiVersion, kind) {
    const file = path.join(this.modulesDir, "kubernetes-models", apiVersion, kind + ".d.ts");
    return fs.existsSync(file) ? file : null;
  }

  // Paths (a.b[0].c) of the fields of object that its type does not have.
  unknown(object) {
    const file = this.fileOf(object.apiVersion, object.kind);
    if (!file) return [];
    const found = [];
    this.walk(object, { ref: file }, "", found);
    return found;
  }

  walk(value, type, at, found) {
    if (value === null || value === undefined || type.leaf) return;
    if (type.array) {
      if (Array.isArray(value)) value.forEach((v, i) => this.walk(v, type.array, `${at}[${i}]`, found));
      return;
    }
    if (typeof value !== "object" || Array.isArray(value)) return;
    if (type.map) {
      for (const [k, v] of Object.entries(value)) this.walk(v, type.map, `${at}.${k}`, found);
      return;
    }
    const fields = this.fields(type.ref);
    if (!fields) return;
    for (const [k, v] of Object.entries(value)) {
      const where = at ? `${at}.${k}` : k;
      if (!(k in fields)) found.push(where);
      else this.walk(v, fields[k], where, found);
    }
  }
}

module.exports = { KnownFields };
